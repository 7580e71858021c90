/**
 * Notes on PostgreSQL behind several composers (issue 20): 3 real `mcp-packs` processes (apps/server, built) serve
 * Streamable HTTP on loopback, each mounting the notes pack on the same database and tenant; 8 SDK clients (2026-07-28,
 * stateless), spread over the replicas, each make WRITES successful read-modify-write increments of a counter note
 * (read, add one, update with expectedVersion; on version_conflict read again and retry). Zero lost updates means:
 * every counter's body equals the successful increments made to it, and its version is one more than that.
 * The replicas start together and migrate the empty database at their first call (they take turns on a lock).
 * Env: NOTES_REPLICAS_WRITES (per client, default 40), NOTES_REPLICAS_COUNTERS (default 4), MCP_PACKS_BENCH_PG_URL.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { spawnServing } from '../../apps/server/test/processes.ts';
import { writeResult } from './harness.ts';
import { processRss } from './memory.ts';
import { benchDatabase } from './postgres-cluster.ts';
import { childEnv } from './server-clients.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.join(here, '..', '..', 'apps', 'server', 'dist', 'cli.js');
const TOKEN = 'bench-token-notes-replicas-0123';
const REPLICAS = 3;
const CLIENTS = 8;
const WRITES = Number(process.env.NOTES_REPLICAS_WRITES ?? 40);
const COUNTERS = Number(process.env.NOTES_REPLICAS_COUNTERS ?? 4);

interface Replica {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

async function startReplica(config: string, work: string): Promise<Replica> {
  const server = await spawnServing(process.execPath, [CLI, '--http', '--port', '0', '--config', config], {
    env: childEnv({ MCP_PACKS_TOKEN: TOKEN, XDG_DATA_HOME: path.join(work, 'data'), XDG_CACHE_HOME: work }),
    timeoutMs: 30_000,
  });
  return { url: server.url, pid: server.child.pid as number, stop: server.stop };
}

async function connect(url: string): Promise<Client> {
  const client = new Client(
    { name: 'replicas-bench', version: '0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
    }),
  );
  return client;
}

interface CallResult {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
  content?: unknown;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallResult> {
  return (await client.callTool({ name, arguments: args })) as CallResult;
}

function codeOf(result: CallResult): string | undefined {
  return (result._meta?.['mcp-packs/error'] as { code?: string } | undefined)?.code;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

export default async function run(): Promise<void> {
  const database = await benchDatabase('notes_replicas');
  const work = await mkdtemp(path.join(os.tmpdir(), 'notes-replicas-'));
  const replicas: Replica[] = [];
  const clients: Client[] = [];
  try {
    const config = path.join(work, 'mcp-packs.config.json');
    await writeFile(
      config,
      JSON.stringify({
        packs: [
          { use: '@mcp-packs/notes', config: { storage: { kind: 'postgres', url: database.url, tenant: 'bench' } } },
        ],
      }),
    );
    replicas.push(...(await Promise.all(Array.from({ length: REPLICAS }, () => startReplica(config, work)))));
    clients.push(
      ...(await Promise.all(Array.from({ length: CLIENTS }, (_, i) => connect(replicas[i % REPLICAS]?.url as string)))),
    );

    // The first calls, on every replica at once, migrate the empty database.
    const counters = await Promise.all(
      Array.from({ length: COUNTERS }, async (_, i) => {
        const result = await call(clients[i % CLIENTS] as Client, 'notes_create', { title: `Counter ${i}`, body: '0' });
        if (result.isError) throw new Error(`create failed: ${JSON.stringify(result.content)}`);
        return result.structuredContent?.id as string;
      }),
    );
    const successes = new Map<string, number>(counters.map((id) => [id, 0]));
    let conflicts = 0;
    let otherErrors = 0;
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(
      clients.map(async (client, c) => {
        for (let w = 0; w < WRITES; w++) {
          const id = counters[(c * 7 + w * 3) % counters.length] as string;
          const t0 = performance.now();
          for (;;) {
            const read = await call(client, 'notes_read', { id });
            if (read.isError) {
              if (++otherErrors > 100) throw new Error(`read failed: ${JSON.stringify(read.content)}`);
              continue;
            }
            const { body, version } = read.structuredContent as { body: string; version: number };
            const updated = await call(client, 'notes_update', {
              id,
              expectedVersion: version,
              body: String(Number(body) + 1),
            });
            if (!updated.isError) break;
            if (codeOf(updated) === 'version_conflict') conflicts++;
            else if (++otherErrors > 100) throw new Error(`update failed: ${JSON.stringify(updated.content)}`);
          }
          latencies.push(performance.now() - t0);
          successes.set(id, (successes.get(id) ?? 0) + 1);
        }
      }),
    );
    const elapsedMs = performance.now() - started;
    const final = await Promise.all(
      counters.map(async (id) => {
        const read = await call(clients[0] as Client, 'notes_read', { id });
        const { body, version } = read.structuredContent as { body: string; version: number };
        return { id, value: Number(body), version, successes: successes.get(id) ?? 0 };
      }),
    );
    const writes = [...successes.values()].reduce((a, b) => a + b, 0);
    const counted = final.reduce((sum, counter) => sum + counter.value, 0);
    const lost = writes - counted;
    const consistent = final.every((c) => c.value === c.successes && c.version === c.successes + 1);
    const replicaRssMiB = replicas.map((replica) => Math.round((processRss(replica.pid) / 2 ** 20) * 10) / 10);
    const results = {
      replicas: REPLICAS,
      clients: CLIENTS,
      counters: COUNTERS,
      writesPerClient: WRITES,
      successfulWrites: writes,
      counted,
      lostUpdates: lost,
      conflictsRetried: conflicts,
      otherErrors,
      elapsedMs: Math.round(elapsedMs),
      writesPerSecond: Math.round((writes / elapsedMs) * 1000 * 10) / 10,
      readModifyWriteP50Ms: Math.round(quantile(latencies, 0.5) * 10) / 10,
      readModifyWriteP99Ms: Math.round(quantile(latencies, 0.99) * 10) / 10,
      replicaRssMiB,
      postgresRssMiB: Math.round(database.serverRssMiB()),
      final,
    };
    console.log(
      `${REPLICAS} replicas, ${CLIENTS} clients: ${writes} successful read-modify-writes in ${results.elapsedMs} ms ` +
        `(${results.writesPerSecond}/s, p50 ${results.readModifyWriteP50Ms} ms, p99 ${results.readModifyWriteP99Ms} ms), ` +
        `${conflicts} conflicts retried, ${otherErrors} other errors, ${lost} lost; replica RSS ${replicaRssMiB.join(', ')} MiB`,
    );
    writeResult({
      name: 'notes-replicas',
      description:
        'Notes on one PostgreSQL database behind 3 mcp-packs replicas (built CLI, Streamable HTTP on loopback, 2026-07-28): 8 SDK clients doing read-modify-write increments with expectedVersion and retry on version_conflict. Times in ms, memory in MiB.',
      results,
      targets: [
        { description: `zero lost updates (${lost} lost of ${writes})`, met: lost === 0 && consistent },
        {
          description: `every counter's version is 1 + its successful writes (${consistent})`,
          met: consistent,
        },
        { description: `no errors but version_conflict (${otherErrors})`, met: otherErrors === 0 },
      ],
    });
    if (!consistent || lost !== 0) throw new Error(`lost updates: ${JSON.stringify(final)}`);
  } finally {
    await Promise.all(clients.map((client) => client.close().catch(() => {})));
    await Promise.all(replicas.map((replica) => replica.stop()));
    await database.dispose();
    await rm(work, { recursive: true, force: true });
  }
}
