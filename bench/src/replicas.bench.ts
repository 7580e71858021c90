/**
 * `pnpm bench replicas`: the composer as N replicas behind a load balancer against one process, in one run.
 *
 * - **direct**: one `mcp-packs --http` process (sessions in memory), clients connect to it;
 * - **replicas**: three processes with one config and one state secret, sessions in a real `redis-server`, behind a
 *   real HAProxy (`balance roundrobin`, no stickiness), clients connect to HAProxy.
 *
 * Each era, 16 concurrent clients call the fixture pack's echo tool on keep-alive connections (2025-11-25: each
 * client its own session, so every replica serves sessions it did not open), in alternating rounds of a few seconds
 * per variant. Reported per variant and era: calls/s, p50 and p95 latency, errors, and the resident memory of every
 * process of the variant (replicas + HAProxy + Redis; or the one process). The machine is a shared 2-core box:
 * three replicas cannot go faster than one there; the figure to read is the cost of the hop and the shared state.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForPort } from '../../apps/server/test/processes.ts';
import { writeResult } from './harness.ts';
import { processRss } from './memory.ts';
import { rawPost } from './raw-mcp.ts';

const serverDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'apps', 'server');
const CLI = join(serverDir, 'dist', 'cli.js');
const FIXTURE_PACK = join(serverDir, 'test', 'fixtures', 'local-pack.mjs');
const TOKEN = 'bench-replicas-token-0123456789';
const SECRET = 'bench replicas state secret, 32 characters or more';
const CLIENTS = 16;
const ROUND_MS = 3000;
const ROUNDS = 3;
const ERAS = ['2026-07-28', '2025-11-25'] as const;
type Era = (typeof ERAS)[number];

interface Proc {
  pid: number;
  stop(): Promise<void>;
}

async function startProcess(command: string, args: string[], port: number, env: Record<string, string> = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'ignore'], env: { ...process.env, ...env } });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (error) => reject(new Error(`cannot run ${command}: ${error.message}`)));
  });
  await waitForPort(port, child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid: child.pid as number,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  } satisfies Proc;
}

async function startComposer(configFile: string, name: string): Promise<Proc & { port: number }> {
  const port = await freePort();
  const proc = await startProcess(
    process.execPath,
    [CLI, '--config', configFile, '--http', '--port', String(port)],
    port,
    {
      MCP_PACKS_TOKEN: TOKEN,
      MCP_PACKS_STATE_SECRET: SECRET,
      MCP_PACKS_REPLICA: name,
      MCP_PACKS_LOG_LEVEL: 'warning',
    },
  );
  return { ...proc, port };
}

/** One load client on a keep-alive connection, speaking plain HTTP as an SDK client puts it on the wire. */
class Caller {
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 1 });
  #session = '';
  #id = 0;
  constructor(
    readonly url: string,
    readonly era: Era,
  ) {}

  async post(
    method: string,
    params: Record<string, unknown>,
    name?: string,
  ): Promise<{ status: number; text: string }> {
    const target = { url: this.url, agent: this.#agent, era: this.era, token: TOKEN, session: this.#session };
    const reply = await rawPost(target, { id: ++this.#id, method, params }, name);
    if (reply.session !== undefined) this.#session = reply.session;
    return { status: reply.status, text: reply.text };
  }

  async open(): Promise<void> {
    if (this.era === '2026-07-28') return;
    await this.post('initialize', {
      protocolVersion: this.era,
      capabilities: {},
      clientInfo: { name: 'bench', version: '0' },
    });
    await this.post('notifications/initialized', {});
  }

  close(): void {
    this.#agent.destroy();
  }
}

interface Round {
  calls: number;
  errors: number;
  latencies: number[];
  ms: number;
}

async function round(url: string, era: Era): Promise<Round> {
  const callers = Array.from({ length: CLIENTS }, () => new Caller(url, era));
  await Promise.all(callers.map((caller) => caller.open()));
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const end = start + ROUND_MS;
  await Promise.all(
    callers.map(async (caller, index) => {
      let n = 0;
      while (performance.now() < end) {
        const text = `c${index}-${n++}`;
        const began = performance.now();
        try {
          const reply = await caller.post('tools/call', { name: 'fx_echo', arguments: { text } }, 'fx_echo');
          if (reply.status !== 200 || !reply.text.includes(`hello ${text}`)) errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - began);
      }
    }),
  );
  const ms = performance.now() - start;
  for (const caller of callers) caller.close();
  return { calls: latencies.length, errors, latencies, ms };
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

function summary(rounds: readonly Round[], pids: readonly number[]) {
  const latencies = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const perRound = rounds.map((r) => (r.calls / r.ms) * 1000).sort((a, b) => a - b);
  const rounded = (value: number) => Math.round(value * 100) / 100;
  return {
    callsPerSecond: rounded(quantile(perRound, 0.5)),
    p50Ms: rounded(quantile(latencies, 0.5)),
    p95Ms: rounded(quantile(latencies, 0.95)),
    calls: latencies.length,
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    rssMiB: rounded(pids.reduce((sum, pid) => sum + processRss(pid), 0) / 2 ** 20),
    processes: pids.length,
  };
}

export default async function run(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'mcp-packs-bench-replicas-'));
  const stops: (() => Promise<void>)[] = [];
  try {
    const packs = [{ use: FIXTURE_PACK, prefix: 'fx' }];
    const oneConfig = join(work, 'one.config.json');
    writeFileSync(oneConfig, JSON.stringify({ transport: { type: 'http' }, packs }));
    const redisPort = await freePort();
    const redis = await startProcess(
      'redis-server',
      ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', work],
      redisPort,
    );
    stops.push(redis.stop);
    const replicasConfig = join(work, 'replicas.config.json');
    writeFileSync(
      replicasConfig,
      JSON.stringify({ transport: { type: 'http', backend: { redis: `redis://127.0.0.1:${redisPort}` } }, packs }),
    );
    const direct = await startComposer(oneConfig, 'direct');
    stops.push(direct.stop);
    const replicas = await Promise.all([1, 2, 3].map((n) => startComposer(replicasConfig, `r${n}`)));
    for (const replica of replicas) stops.push(replica.stop);
    const proxyPort = await freePort();
    const cfg = join(work, 'haproxy.cfg');
    writeFileSync(
      cfg,
      [
        'global',
        '  maxconn 1000',
        'defaults',
        '  mode http',
        '  timeout connect 5s',
        '  timeout client 60s',
        '  timeout server 60s',
        'frontend mcp',
        `  bind 127.0.0.1:${proxyPort}`,
        '  default_backend replicas',
        'backend replicas',
        '  balance roundrobin',
        ...replicas.map((replica, i) => `  server r${i + 1} 127.0.0.1:${replica.port}`),
        '',
      ].join('\n'),
    );
    const proxy = await startProcess('haproxy', ['-f', cfg, '-db'], proxyPort);
    stops.push(proxy.stop);

    const results: Record<string, unknown> = {};
    for (const era of ERAS) {
      const directRounds: Round[] = [];
      const replicaRounds: Round[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        directRounds.push(await round(`http://127.0.0.1:${direct.port}/mcp`, era));
        replicaRounds.push(await round(`http://127.0.0.1:${proxyPort}/mcp`, era));
      }
      const one = summary(directRounds, [direct.pid]);
      const three = summary(replicaRounds, [...replicas.map((replica) => replica.pid), proxy.pid, redis.pid]);
      results[era] = {
        direct: one,
        replicas: three,
        throughputRatio: Math.round((three.callsPerSecond / one.callsPerSecond) * 100) / 100,
      };
      console.log(
        `${era}: direct ${one.callsPerSecond} calls/s p50 ${one.p50Ms} ms p95 ${one.p95Ms} ms ${one.rssMiB} MiB; ` +
          `3 replicas via HAProxy ${three.callsPerSecond} calls/s p50 ${three.p50Ms} ms p95 ${three.p95Ms} ms ${three.rssMiB} MiB (${three.processes} processes)`,
      );
    }
    const errors = ERAS.reduce((sum, era) => {
      const figures = results[era] as { direct: { errors: number }; replicas: { errors: number } };
      return sum + figures.direct.errors + figures.replicas.errors;
    }, 0);
    writeResult({
      name: 'replicas',
      description: `${CLIENTS} concurrent clients calling fx_echo: one process directly vs 3 replicas behind HAProxy (roundrobin) sharing Redis, ${ROUNDS} alternating rounds of ${ROUND_MS} ms per variant and era`,
      results,
      targets: [{ description: 'no errors through the load balancer or directly, in either era', met: errors === 0 }],
    });
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    rmSync(work, { recursive: true, force: true });
  }
}
