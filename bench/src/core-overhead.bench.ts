/**
 * Framework overhead: a no-op tool mounted with mountPack vs the same tool registered directly with
 * McpServer.registerTool, both called through a real SDK Client over the in-memory transport, in one process.
 * Target: median ratio <= 1.2.
 */
import { definePack, defineTool, mountPack } from '@mcp-packs/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { compare, pairedRatio, writeResult } from './harness.ts';

async function connect(server: McpServer): Promise<Client> {
  const client = new Client({ name: 'bench', version: '0' });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(b);
  await client.connect(a);
  return client;
}

export default async function run(): Promise<void> {
  const input = z.object({});

  const raw = new McpServer({ name: 'raw', version: '0' }, { capabilities: { logging: {} } });
  raw.registerTool('noop', { description: 'No-op.', inputSchema: input, annotations: { readOnlyHint: true } }, () => ({
    content: [{ type: 'text', text: 'ok' }],
  }));

  const packs = new McpServer({ name: 'packs', version: '0' }, { capabilities: { logging: {} } });
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
  await mountPack(packs, pack, { prefix: null, logSink: () => {} });

  const rawClient = await connect(raw);
  const packsClient = await connect(packs);
  const call = (client: Client) => () => client.callTool({ name: 'noop', arguments: {} });

  const stats = await compare(
    { raw: call(rawClient), mountPack: call(packsClient) },
    { batchSize: 2000, batches: 41, warmupBatches: 5 },
  );
  const ratio = pairedRatio(stats, 'mountPack', 'raw');
  console.log(
    `raw SDK ${(stats.raw?.medianMs ?? 0).toFixed(4)} ms/call, mountPack ${(stats.mountPack?.medianMs ?? 0).toFixed(4)} ms/call, ratio ${ratio.toFixed(3)}`,
  );
  writeResult({
    name: 'core-overhead',
    description: 'No-op tool call through a real Client over InMemoryTransport: mountPack vs McpServer.registerTool.',
    results: { ...stats, pairedMedianRatio: ratio },
    targets: [{ description: `paired median ratio mountPack/raw ${ratio.toFixed(3)} <= 1.2`, met: ratio <= 1.2 }],
  });
  await rawClient.close();
  await packsClient.close();
}
