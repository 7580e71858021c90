/**
 * A PostgreSQL for the notes benchmarks: the server at MCP_PACKS_BENCH_PG_URL when given (a plain role with
 * CREATEDB), else a private cluster started with scripts/postgres.sh in a temp folder and stopped afterwards. Each
 * benchmark gets a fresh database of its own.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { processRss } from './memory.ts';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../../scripts/postgres.sh', import.meta.url));

/** A fresh database for one benchmark. */
export interface BenchDatabase {
  url: string;
  /** The RSS of the cluster's processes (postmaster and backends), in MiB; NaN for a server given by URL. */
  serverRssMiB(): number;
  dispose(): Promise<void>;
}

function clusterRss(dir: string | undefined): number {
  if (!dir) return Number.NaN;
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return Number.NaN;
  }
  // The postmaster and its children (backends, checkpointer, ...). Shared buffers count in each that touched them,
  // so this overstates what the cluster holds; it is the figure `ps` would show summed.
  let total = processRss(pid);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.split(') ')[1]?.split(' ')[1]) === pid) total += processRss(Number(entry));
    } catch {}
  }
  return total / 2 ** 20;
}

/** Start (or reach) the server and create a database `name` on it. */
export async function benchDatabase(name: string): Promise<BenchDatabase> {
  const given = process.env.MCP_PACKS_BENCH_PG_URL;
  let dir: string | undefined;
  let base = given;
  if (!base) {
    dir = await mkdtemp(path.join(os.tmpdir(), 'notes-bench-pg-'));
    const { stdout } = await run(script, ['start', dir], { timeout: 120_000 });
    base = stdout.trim().split('\n').at(-1) as string;
  }
  const database = `${name}_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${database}`;
  return {
    url: url.href,
    serverRssMiB: () => clusterRss(dir),
    dispose: async () => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await client.end();
      if (dir) {
        await run(script, ['stop', dir], { timeout: 60_000 }).catch(() => {});
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
