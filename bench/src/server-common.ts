/** What the parts of server.bench.ts share: where things are, the eras, the run sizes, and small numeric helpers. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));
export const repo = join(here, '..', '..');
export const serverDir = join(repo, 'apps', 'server');
export const CLI = join(serverDir, 'dist', 'cli.js');
export const FIXTURE_PACK = join(serverDir, 'test', 'fixtures', 'local-pack.mjs');
export const TOKEN = 'bench-token-0123456789abcdef';

/** The protocol eras, newest first: 2026-07-28 (stateless, `server/discover`) and 2025-11-25 (`initialize`). */
export const ERAS = ['2026-07-28', '2025-11-25'] as const;
export type Era = (typeof ERAS)[number];

export const COLD_RUNS = 10;
export const RSS_RUNS = 3;
export const CALL_BATCH = 50;
export const CALL_BATCHES = 40;
export const HTTP_CLIENTS = 50;
export const HTTP_CALLS = 6000;
/** Rounds per server and era; even, as rounds alternate which server goes first (the second of a pair runs slower). */
export const HTTP_ROUNDS = 6;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
export const hr = () => process.hrtime.bigint();
export const msSince = (start: bigint, end = hr()) => Number(end - start) / 1e6;

export const key = (server: string, era: Era) => `${server}@${era}`;
