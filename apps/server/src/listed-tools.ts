/**
 * The tools of some mounts as `tools/list` lists them: final names, transforms applied (titles, descriptions,
 * schemas, annotations, tags), hidden tools absent. Asked of a plain server through a real client in memory, so a
 * description of the server never rebuilds what core decided, and cannot drift from what goes over the wire.
 */
import type { PackInstance } from '@mcp-packs/core/host';
import type { Tool } from '@modelcontextprotocol/client';
import { InMemoryTransport, McpServer } from '@modelcontextprotocol/server';
import { VERSION } from './version.js';

/**
 * List the tools of `instances` attached to a server of their own (with only `tools`, final names, when given).
 * Costs a server and a client in memory: call it once and keep the answer.
 */
export async function listTools(instances: readonly PackInstance[], tools?: readonly string[]): Promise<Tool[]> {
  const wanted = tools === undefined ? undefined : new Set(tools);
  const offered = instances.flatMap((instance) => instance.tools).filter((name) => wanted?.has(name) ?? true);
  // A server without tools answers no tools/list at all.
  if (offered.length === 0) return [];
  const { Client } = await import('@modelcontextprotocol/client');
  const server = new McpServer({ name: 'mcp-packs-listing', version: VERSION }, { capabilities: { tools: {} } });
  const attachments = instances.map((instance) => instance.attach(server, tools === undefined ? {} : { tools }));
  // Listing calls no tool: skip the client's output-schema compilation.
  const client = new Client(
    { name: 'mcp-packs-listing', version: VERSION },
    {
      jsonSchemaValidator: {
        getValidator: () => (input) => ({ valid: true, data: input as never, errorMessage: undefined }),
      },
    },
  );
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  try {
    await server.connect(serverSide);
    await client.connect(clientSide);
    const listed: Tool[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : {});
      listed.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    return listed;
  } finally {
    await client.close();
    await server.close();
    for (const attachment of attachments) attachment.detach();
  }
}
