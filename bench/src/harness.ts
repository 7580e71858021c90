/**
 * A small side-by-side benchmark harness. Variants run in alternating batches within one process, so drift on a
 * noisy shared machine hits all of them alike; what we hold ourselves to is the ratio of medians, not absolute times.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

export interface VariantStats {
  /** Median time of one operation, in milliseconds (median over batches of the per-batch mean). */
  medianMs: number;
  /** The 95th percentile of the per-batch means (not of single operations: see `operationP99Ms`). */
  p95Ms: number;
  /** The fastest per-batch mean. */
  minMs: number;
  operations: number;
  /** With `perOperation`: the median of single operations, each timed on its own, in milliseconds. */
  operationP50Ms?: number;
  /** With `perOperation`: the 99th percentile of single operations, in milliseconds. */
  operationP99Ms?: number;
}

export interface CompareOptions {
  /** Operations per batch. */
  batchSize: number;
  /** Measured batches per variant. */
  batches: number;
  /** Unmeasured warm-up batches per variant. */
  warmupBatches?: number;
  /** Also time each operation on its own, for tail latencies (`operationP50Ms`, `operationP99Ms`). */
  perOperation?: boolean;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] as number;
}

const rounds = new WeakMap<object, Record<string, number[]>>();

/**
 * The median over rounds of `variant / baseline`, each ratio taken within one round (the two batches ran back to
 * back), which cancels most of the drift a shared machine adds between rounds.
 */
export function pairedRatio(stats: Record<string, VariantStats>, variant: string, baseline: string): number {
  const perBatch = rounds.get(stats);
  const a = perBatch?.[variant] ?? [];
  const b = perBatch?.[baseline] ?? [];
  const ratios = a.map((value, i) => value / (b[i] ?? Number.NaN)).sort((x, y) => x - y);
  return quantile(ratios, 0.5);
}

/** Run each variant's operation `batchSize` times per batch, interleaving variants batch by batch. */
export async function compare(
  variants: Record<string, () => Promise<unknown>>,
  options: CompareOptions,
): Promise<Record<string, VariantStats>> {
  const names = Object.keys(variants);
  const perBatch: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const perOperation: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const total = (options.warmupBatches ?? 3) + options.batches;
  for (let batch = 0; batch < total; batch++) {
    // Rotate the order so no variant always runs first.
    const order = names.map((_, i) => names[(i + batch) % names.length] as string);
    for (const name of order) {
      const op = variants[name] as () => Promise<unknown>;
      const measured = batch >= (options.warmupBatches ?? 3);
      const single = options.perOperation && measured ? perOperation[name] : undefined;
      const start = process.hrtime.bigint();
      if (single) {
        for (let i = 0; i < options.batchSize; i++) {
          const t0 = process.hrtime.bigint();
          await op();
          single.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
      } else {
        for (let i = 0; i < options.batchSize; i++) await op();
      }
      const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
      if (measured) perBatch[name]?.push(elapsedMs / options.batchSize);
    }
  }
  const stats: Record<string, VariantStats> = {};
  rounds.set(stats, perBatch);
  for (const name of names) {
    const sorted = [...(perBatch[name] ?? [])].sort((a, b) => a - b);
    stats[name] = {
      medianMs: quantile(sorted, 0.5),
      p95Ms: quantile(sorted, 0.95),
      minMs: sorted[0] ?? Number.NaN,
      operations: options.batchSize * options.batches,
    };
    if (options.perOperation) {
      const ops = (perOperation[name] ?? []).sort((a, b) => a - b);
      stats[name] = { ...stats[name], operationP50Ms: quantile(ops, 0.5), operationP99Ms: quantile(ops, 0.99) };
    }
  }
  return stats;
}

/** The command line that ran the benchmarks, as typed (`pnpm bench server`), for the record. */
function command(): string {
  const args = process.argv.slice(2).filter((arg) => arg !== '--');
  if (process.env.npm_lifecycle_event === 'bench') return ['pnpm', 'bench', ...args].join(' ');
  return [process.argv0, ...process.execArgv, ...process.argv.slice(1)].join(' ');
}

/** The commit the benchmarks ran on, with `-dirty` when the work tree had changes (results written meanwhile aside). */
function commit(): string | undefined {
  try {
    const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync(
      'git',
      ['status', '--porcelain', '--untracked-files=no', '--', ':(top)', ':(top,exclude)bench/results'],
      { encoding: 'utf8' },
    ).trim();
    return dirty ? `${head}-dirty` : head;
  } catch {
    return undefined;
  }
}

/** Facts about the run, stored with every result. */
export function environment(): Record<string, unknown> {
  return {
    command: command(),
    commit: commit(),
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    totalMemoryGiB: Math.round(os.totalmem() / 2 ** 30),
    // 1, 5 and 15 minute load averages when the result was written: how busy the shared machine was.
    loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
  };
}

/** A benchmark's result file: what was measured, the figures, the targets and whether they were met. */
export interface BenchResult {
  name: string;
  description: string;
  results: Record<string, unknown>;
  targets: { description: string; met: boolean }[];
}

/** Write `bench/results/<name>.json` and print a summary line per target. */
export function writeResult(result: BenchResult): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${result.name}.json`);
  writeFileSync(file, `${JSON.stringify({ ...result, environment: environment() }, null, 2)}\n`);
  for (const target of result.targets) {
    console.log(`${target.met ? 'PASS' : 'MISS'} ${result.name}: ${target.description}`);
  }
  console.log(`wrote ${file}`);
}
