/**
 * Hostile clients of the Streamable HTTP transport, against the built server on 127.0.0.1 with a bearer token, in
 * both protocol eras where the era matters: bodies too large (declared, streamed, invited with 100-continue), nested
 * too deep, batches, clients too slow (headers or body one byte a second), clients that never read (one big answer,
 * a pipelined burst), floods of connections, of headers, of sessions. Each case says what came back; the harness
 * checks the server lived and served the next call, and `figures()` measures the memory of an idle 2025-era session.
 *
 * The server runs with short limits (headers 1 s, request 2 s, send 1 s, 500 sessions, 300 connections) so that
 * every case ends in a few seconds; the defaults are longer (see apps/server/README.md).
 *
 * This file is the suite: its server, its case list and its figures. The cases are in http-attacks.ts (one request:
 * bodies, pace, unread answers) and http-floods.ts (floods), the requests and raw sockets they use in http-wire.ts.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type HttpChild, LOCAL_PACK, startHttp, tempDir, writeConfig } from '../helpers.js';
import type { HostileCase, HostileSuite } from './harness.js';
import { bodyCases, slowClientCases } from './http-attacks.js';
import { floodCases } from './http-floods.js';
import { goodCall, type HttpContext, LIMITS, openSessions, TOKEN } from './http-wire.js';

export {
  type HttpContext,
  INITIALIZE,
  LIMITS,
  modern,
  modernHeaders,
  openSession,
  openSessions,
  post,
  TOKEN,
} from './http-wire.js';

/** The cases, in the order they run: one request's body and pace first, then the floods. */
const cases: HostileCase<HttpContext>[] = [...bodyCases, ...slowClientCases, ...floodCases];

/** The config of the suite's server: the fixture pack, short limits. */
function suiteConfig(dir: string, transport: Record<string, unknown> = LIMITS): string {
  return writeConfig(dir, {
    transport: { type: 'http', sessionIdleSeconds: 600, ...transport },
    packs: [{ use: LOCAL_PACK, prefix: 'fx' }],
  });
}

/**
 * A server with the inspector on, so that a full garbage collection can be asked for before memory is read:
 * resident size right after thousands of requests is mostly garbage the collector has not come to yet.
 */
export async function startInspectable(
  args: readonly string[],
  options: { cwd?: string } = {},
): Promise<{ server: HttpChild; memory(): Promise<{ rssKiB: number; heapKiB: number }>; close(): Promise<void> }> {
  const server = await startHttp(['--log-level', 'debug', ...args], {
    env: { MCP_PACKS_TOKEN: TOKEN, NODE_OPTIONS: '--inspect=127.0.0.1:0' },
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  const wsUrl = /Debugger listening on (ws:\/\/\S+)/.exec(server.stderr())?.[1];
  if (!wsUrl) throw new Error(`no inspector URL in:\n${server.stderr()}`);
  const socket = new WebSocket(wsUrl);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', reject, { once: true });
  });
  let id = 0;
  const waiting = new Map<number, (value: unknown) => void>();
  socket.addEventListener('message', (event) => {
    const reply = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (reply.id !== undefined) waiting.get(reply.id)?.(reply.result);
  });
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve) => {
      waiting.set(++id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  return {
    server,
    async memory() {
      await call('HeapProfiler.collectGarbage');
      await call('HeapProfiler.collectGarbage');
      const result = (await call('Runtime.evaluate', {
        expression: 'JSON.stringify(process.memoryUsage())',
        returnByValue: true,
      })) as { result: { value: string } };
      const usage = JSON.parse(result.result.value) as { rss: number; heapUsed: number };
      return { rssKiB: Math.round(usage.rss / 1024), heapKiB: Math.round(usage.heapUsed / 1024) };
    },
    async close() {
      socket.close();
      await server.stop();
    },
  };
}

/** Memory of `count` idle 2025-era sessions on a fresh server started with `args`, per session. */
async function idleSessionMemory(args: readonly string[], count: number, cwd?: string) {
  const measured = await startInspectable(args, cwd ? { cwd } : {});
  try {
    const port = Number(new URL(measured.server.url).port);
    await goodCall(port).catch(() => undefined); // the fixture pack may be absent; warms the request path either way
    await openSessions(port, 20); // the first sessions warm what every session uses (compiled code, caches)
    const before = await measured.memory();
    const start = performance.now();
    const ids = await openSessions(port, count);
    const ms = performance.now() - start;
    const rawRss = Number(
      /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${measured.server.child.pid}/status`, 'utf8'))?.[1],
    );
    const after = await measured.memory();
    const open = Math.max(...[...measured.server.stderr().matchAll(/opened \((\d+) open\)/g)].map((m) => Number(m[1])));
    return {
      sessions: ids.length,
      open,
      rssPerSessionKiB: Math.round(((after.rssKiB - before.rssKiB) / ids.length) * 10) / 10,
      heapPerSessionKiB: Math.round(((after.heapKiB - before.heapKiB) / ids.length) * 10) / 10,
      rssBeforeGcPerSessionKiB: Math.round(((rawRss - before.rssKiB) / ids.length) * 10) / 10,
      initializeMs: Math.round((ms / ids.length) * 100) / 100,
      rssBeforeMiB: Math.round(before.rssKiB / 102.4) / 10,
      rssAfterMiB: Math.round(after.rssKiB / 102.4) / 10,
    };
  } finally {
    await measured.close();
  }
}

const suite: HostileSuite<HttpContext> = {
  area: 'http',
  async start() {
    const dir = tempDir('mcp-packs-hostile-http-');
    const server = await startHttp(['--config', suiteConfig(dir.path), '--log-level', 'debug'], {
      env: { MCP_PACKS_TOKEN: TOKEN },
    });
    const port = Number(new URL(server.url).port);
    const pid = server.child.pid as number;
    return {
      pid,
      port,
      url: server.url,
      stderr: server.stderr,
      probe: async () => {
        await goodCall(port);
      },
      alive: () => server.child.exitCode === null && server.child.signalCode === null,
      close: async () => {
        await server.stop();
        dir.cleanup();
      },
    };
  },
  cases,
  async figures() {
    const dir = tempDir('mcp-packs-hostile-http-figures-');
    try {
      const fixture = await idleSessionMemory(
        ['--config', suiteConfig(dir.path, { maxSessions: 10_000, maxConnections: 10_000 })],
        2000,
      );
      // The built-in default config (five packs), as a user without a config file runs it (fs on an empty folder).
      const cwd = join(dir.path, 'cwd');
      mkdirSync(cwd);
      const defaults = await idleSessionMemory([], 500, cwd);
      return { idleSession: { fixturePack3Tools: fixture, defaultPacks: defaults } };
    } finally {
      dir.cleanup();
    }
  },
};

export default suite;
