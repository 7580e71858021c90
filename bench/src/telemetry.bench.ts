/**
 * What tracing costs, side by side in one run:
 *
 * - through the composer: the built CLI over stdio, behind a real SDK v2 client (2026-07-28 pinned), with no
 *   `telemetry` section (`off`) and with one that exports every span over OTLP/HTTP to a receiver in this process
 *   (`on`); a fixture pack's echo tool. Ratio on/off, and each server's RSS after the calls.
 * - in core: `mountPack` with no observer (the default, `off`) and with an observer that does nothing (`noop`),
 *   over the in-memory transport in the 2025 era: what the hook itself can cost at most when a host sets one.
 *   With no observer the call path is one `undefined` check and no OpenTelemetry module is ever loaded.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { definePack } from '@mcp-packs/core';
import { type CallObserver, mountPack } from '@mcp-packs/core/host';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { InMemoryTransport, McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { compare, pairedRatio, writeResult } from './harness.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE_PACK = path.join(here, '..', '..', 'apps', 'server', 'test', 'fixtures', 'local-pack.mjs');
const CLI = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@mcp-packs/server/package.json')),
  'dist',
  'cli.js',
);

/** The server's resident memory, MiB (Linux `/proc`), or NaN. */
function rssMiB(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? Number.NaN : Math.round((Number(kb) / 1024) * 10) / 10;
  } catch {
    return Number.NaN;
  }
}

async function spawnCli(config: string): Promise<{ client: Client; pid: number }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, '--config', config],
    stderr: 'ignore',
  });
  const client = new Client({ name: 'bench', version: '0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(transport);
  return { client, pid: transport.pid as number };
}

const noopPack = definePack({
  name: 'noop',
  version: '0.0.0',
  description: 'One tool that does nothing.',
  tools: ({ defineTool: tool }) => ({
    noop: tool({
      description: 'Nothing.',
      inputSchema: z.object({}),
      annotations: { readOnlyHint: true },
      execute: () => 'ok',
    }),
  }),
});

async function inMemory(observer: CallObserver | undefined): Promise<{ client: Client; close(): Promise<void> }> {
  const server = new McpServer({ name: 'bench', version: '0' });
  const mounted = await mountPack(server, noopPack, {
    prefix: null,
    logSink: () => {},
    ...(observer ? { observer } : {}),
  });
  const client = new Client({ name: 'bench', version: '0' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  return {
    client,
    close: async () => {
      await client.close();
      await mounted.close();
    },
  };
}

export default async function run(): Promise<void> {
  let spans = 0;
  let exports = 0;
  const receiver = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    exports++;
    spans += (body.match(/"spanId"/g) ?? []).length;
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/traces`;
  const dir = await mkdtemp(path.join(tmpdir(), 'telemetry-bench-'));
  const write = (name: string, extra: Record<string, unknown>) => {
    const file = path.join(dir, name);
    writeFileSync(file, JSON.stringify({ ...extra, packs: [{ use: FIXTURE_PACK, prefix: 'fx' }] }));
    return file;
  };
  const off = await spawnCli(write('off.json', {}));
  const on = await spawnCli(write('on.json', { telemetry: { endpoint, exportDelayMs: 1000 } }));
  const legacyOff = await inMemory(undefined);
  const legacyNoop = await inMemory({ toolCall: () => () => {} });
  try {
    const echo = (client: Client) => () => client.callTool({ name: 'fx_echo', arguments: { text: 'hi' } });
    const noop = (client: Client) => () => client.callTool({ name: 'noop', arguments: {} });
    const composer = await compare(
      { off: echo(off.client), on: echo(on.client) },
      { batchSize: 100, batches: 25, warmupBatches: 3 },
    );
    const core = await compare(
      { off: noop(legacyOff.client), noop: noop(legacyNoop.client) },
      { batchSize: 1000, batches: 41, warmupBatches: 5 },
    );
    const memory = { offRssMiB: rssMiB(off.pid), onRssMiB: rssMiB(on.pid) };
    await on.client.close();
    await off.client.close();
    const onVsOff = pairedRatio(composer, 'on', 'off');
    const noopVsOff = pairedRatio(core, 'noop', 'off');
    console.log(
      `composer over stdio: off ${composer.off?.medianMs.toFixed(3)} ms, on ${composer.on?.medianMs.toFixed(3)} ms (on/off ${onVsOff.toFixed(3)}); RSS off ${memory.offRssMiB} MiB, on ${memory.onRssMiB} MiB; ${spans} spans in ${exports} exports`,
    );
    console.log(
      `core in memory: no observer ${core.off?.medianMs.toFixed(4)} ms, no-op observer ${core.noop?.medianMs.toFixed(4)} ms (${noopVsOff.toFixed(3)})`,
    );
    writeResult({
      name: 'telemetry',
      description:
        'OpenTelemetry tracing of tool calls. composer: the built CLI over stdio (2026-07-28, real SDK v2 client), a fixture echo tool, without a telemetry section (off) and exporting every span over OTLP/HTTP to a receiver in the bench process (on). core: mountPack over the in-memory transport (2025-11-25), without an observer (off, the default) and with one that does nothing (noop). Times in ms per call (median of batch means), paired ratios per batch, RSS of each server after the calls.',
      results: {
        composer,
        core,
        memory,
        pairedRatios: { composerOnVsOff: onVsOff, coreNoopObserverVsNone: noopVsOff },
        exported: { spans, exports },
      },
      targets: [
        {
          description: `off costs nothing: the call hook with a no-op observer vs none ${noopVsOff.toFixed(3)} <= 1.05 (with none, the path is one undefined check and no OpenTelemetry module is loaded)`,
          met: noopVsOff <= 1.05,
        },
        {
          description: `on: ${onVsOff.toFixed(3)}x a call over stdio without tracing, ${spans} spans exported (reported, no target: every call is exported)`,
          met: spans >= 2500,
        },
      ],
    });
  } finally {
    await legacyOff.close();
    await legacyNoop.close();
    await new Promise((resolve) => receiver.close(resolve));
    await rm(dir, { recursive: true, force: true });
  }
}
