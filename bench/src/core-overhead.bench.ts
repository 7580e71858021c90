/**
 * Framework overhead per call, in each protocol era: a no-op tool from a pack vs the same tool registered directly
 * with the SDK v2 `McpServer.registerTool`, both called through a real SDK v2 `Client`, in one process:
 *
 * - 2025-11-25: one server per connection, over the SDK's in-memory transport (`mountPack` vs `registerTool`);
 * - 2026-07-28: the SDK's `createMcpHandler` reached by an in-process `fetch` (no sockets), which builds a fresh
 *   server for every request, as a deployed HTTP endpoint does: the pack is set up once (`createPackInstance`) and
 *   attached to each server (`instance.attach`), vs `registerTool` on each server. What attaching costs per request
 *   is part of core's overhead in this era.
 *
 * Both sides build their servers alike (same options, one shared JSON Schema validator, the tool's input schema
 * built once), so the ratio is core's work alone. Target: paired median ratio <= 1.2 in each era.
 */
import { definePack, defineTool } from '@mcp-packs/core';
import { createPackInstance, mountPack } from '@mcp-packs/core/host';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createMcpHandler, InMemoryTransport, McpServer } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { z } from 'zod';
import { compare, pairedRatio, writeResult } from './harness.ts';

const input = z.object({});
const jsonSchemaValidator = new AjvJsonSchemaValidator();

const pack = definePack({
  name: 'bench',
  description: 'A no-op for measuring overhead.',
  tools: {
    noop: defineTool({
      description: 'No-op.',
      inputSchema: input,
      annotations: { readOnlyHint: true },
      execute: () => 'ok',
    }),
  },
});

function newServer(name: string): McpServer {
  return new McpServer({ name, version: '0' }, { capabilities: { logging: {} }, jsonSchemaValidator });
}

function rawServer(): McpServer {
  const server = newServer('raw');
  server.registerTool(
    'noop',
    { description: 'No-op.', inputSchema: input, annotations: { readOnlyHint: true } },
    () => ({
      content: [{ type: 'text', text: 'ok' }],
    }),
  );
  return server;
}

/** A 2025-era client over the in-memory transport. */
async function connectLegacy(server: McpServer): Promise<Client> {
  const client = new Client({ name: 'bench', version: '0' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  return client;
}

/** A 2026-era client of `createMcpHandler(factory)`, reached by in-process fetch. */
async function connectModern(factory: () => McpServer): Promise<{ client: Client; close(): Promise<void> }> {
  const handler = createMcpHandler(factory, { legacy: 'reject' });
  const client = new Client({ name: 'bench', version: '0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(
    new StreamableHTTPClientTransport(new URL('http://bench.test/mcp'), {
      fetch: (url, init) => handler.fetch(new Request(url, init)),
    }),
  );
  return {
    client,
    close: async () => {
      await client.close();
      await handler.close();
    },
  };
}

export default async function run(): Promise<void> {
  const packs = newServer('packs');
  const mounted = await mountPack(packs, pack, { prefix: null, logSink: () => {} });
  const rawLegacy = await connectLegacy(rawServer());
  const packsLegacy = await connectLegacy(packs);

  const instance = await createPackInstance(pack, { prefix: null, sdk: 'v2', logSink: () => {} });
  const rawModern = await connectModern(rawServer);
  const packsModern = await connectModern(() => {
    const server = newServer('packs');
    instance.attach(server);
    return server;
  });

  const call = (client: Client) => () => client.callTool({ name: 'noop', arguments: {} });
  for (const client of [rawLegacy, packsLegacy, rawModern.client, packsModern.client]) {
    const result = await call(client)();
    if (result.isError) throw new Error(`noop failed: ${JSON.stringify(result.content)}`);
  }

  // One comparison per era: a 2026-era call leaves ~10x the garbage of a 2025 one, and interleaved with it a 2025
  // variant would pay for the other era's collections.
  const options = { batchSize: 500, batches: 31, warmupBatches: 5, perOperation: true };
  const legacy = await compare(
    { 'raw@2025-11-25': call(rawLegacy), 'mountPack@2025-11-25': call(packsLegacy) },
    { ...options, batchSize: 2000 },
  );
  const modern = await compare(
    { 'raw@2026-07-28': call(rawModern.client), 'attach@2026-07-28': call(packsModern.client) },
    options,
  );
  const stats = { ...legacy, ...modern };
  const legacyRatio = pairedRatio(legacy, 'mountPack@2025-11-25', 'raw@2025-11-25');
  const modernRatio = pairedRatio(modern, 'attach@2026-07-28', 'raw@2026-07-28');
  // Not paired (the eras ran one after the other): a ratio of medians.
  const eraRatio =
    (modern['raw@2026-07-28']?.medianMs ?? Number.NaN) / (legacy['raw@2025-11-25']?.medianMs ?? Number.NaN);
  const ms = (name: string) => (stats[name]?.medianMs ?? 0).toFixed(4);
  console.log(
    `2025-11-25: raw SDK ${ms('raw@2025-11-25')} ms/call, mountPack ${ms('mountPack@2025-11-25')} ms/call, ratio ${legacyRatio.toFixed(3)}`,
  );
  console.log(
    `2026-07-28: raw SDK ${ms('raw@2026-07-28')} ms/call, attach ${ms('attach@2026-07-28')} ms/call, ratio ${modernRatio.toFixed(3)} (raw 2026 vs raw 2025 ${eraRatio.toFixed(3)})`,
  );
  writeResult({
    name: 'core-overhead',
    description:
      'No-op tool call through a real SDK v2 Client, pack vs McpServer.registerTool, per era: 2025-11-25 over InMemoryTransport (mountPack, one server per connection); 2026-07-28 through createMcpHandler by in-process fetch (a fresh server per request; the pack set up once and attached to each). Keys are <variant>@<era>; medianMs = median of batch means, operationP50Ms/operationP99Ms = over single calls.',
    results: {
      ...stats,
      pairedMedianRatio: { '2025-11-25': legacyRatio, '2026-07-28': modernRatio },
      rawModernVsRawLegacy: eraRatio,
    },
    targets: [
      {
        description: `2025-11-25: paired median ratio mountPack/raw ${legacyRatio.toFixed(3)} <= 1.2`,
        met: legacyRatio <= 1.2,
      },
      {
        description: `2026-07-28: paired median ratio attach/raw ${modernRatio.toFixed(3)} <= 1.2 (a server built per request on both)`,
        met: modernRatio <= 1.2,
      },
    ],
  });
  await rawLegacy.close();
  await packsLegacy.close();
  await rawModern.close();
  await packsModern.close();
  await mounted.close();
  await instance.close();
}
