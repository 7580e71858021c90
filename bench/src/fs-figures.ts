/**
 * Figures of the filesystem bench that one run can be trusted on: many single calls, ours and the other side
 * interleaved call by call (the order alternating), each call timed on its own. The figure is the median of the
 * per-pair ratios (each pair ran back to back, so drift between pairs cancels), with its spread (the quartiles of
 * those ratios) and each side's p50 and quartiles, and the load average before and after.
 */
import os from 'node:os';

/** One side's single-call times, in ms. */
export interface SideFigure {
  readonly calls: number;
  readonly p50Ms: number;
  readonly p25Ms: number;
  readonly p75Ms: number;
  readonly p90Ms: number;
  readonly minMs: number;
}

/** A side-by-side figure from {@link interleaved}. */
export interface PairedFigure {
  readonly ours: SideFigure;
  readonly other: SideFigure;
  /** The median of `ours / other` over the pairs: the figure held against a target. */
  readonly ratioP50: number;
  /** The quartiles of the per-pair ratios: how far one pair's reading could be from the figure. */
  readonly ratioP25: number;
  readonly ratioP75: number;
  readonly loadAverage: { readonly before: readonly number[]; readonly after: readonly number[] };
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (at - low);
}

function side(times: readonly number[]): SideFigure {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    calls: sorted.length,
    p50Ms: quantile(sorted, 0.5),
    p25Ms: quantile(sorted, 0.25),
    p75Ms: quantile(sorted, 0.75),
    p90Ms: quantile(sorted, 0.9),
    minMs: sorted[0] ?? Number.NaN,
  };
}

const load = () => os.loadavg().map((value) => Math.round(value * 100) / 100);

async function timed(op: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await op();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Time `pairs` calls of each, interleaved (after `warmup` unmeasured pairs); see the module comment. */
export async function interleaved(
  ours: () => Promise<unknown>,
  other: () => Promise<unknown>,
  options: { readonly pairs: number; readonly warmup?: number },
): Promise<PairedFigure> {
  for (let i = 0; i < (options.warmup ?? 3); i++) {
    await ours();
    await other();
  }
  const before = load();
  const oursMs: number[] = [];
  const otherMs: number[] = [];
  for (let i = 0; i < options.pairs; i++) {
    // Alternate which side goes first, so neither always runs on a cache the other warmed.
    if (i % 2 === 0) {
      oursMs.push(await timed(ours));
      otherMs.push(await timed(other));
    } else {
      otherMs.push(await timed(other));
      oursMs.push(await timed(ours));
    }
  }
  const ratios = oursMs.map((ms, i) => ms / (otherMs[i] as number)).sort((a, b) => a - b);
  return {
    ours: side(oursMs),
    other: side(otherMs),
    ratioP50: quantile(ratios, 0.5),
    ratioP25: quantile(ratios, 0.25),
    ratioP75: quantile(ratios, 0.75),
    loadAverage: { before, after: load() },
  };
}

/** A figure as one line: `ours p50 (p25-p75) vs other p50 (p25-p75): ratio p50 [p25-p75], load`. */
export function describeFigure(name: string, figure: PairedFigure, otherName: string): string {
  const ms = (value: number) => value.toFixed(value < 20 ? 2 : 0);
  const range = (s: SideFigure) => `${ms(s.p50Ms)} ms (${ms(s.p25Ms)}-${ms(s.p75Ms)})`;
  return (
    `${name}: ours ${range(figure.ours)} vs ${otherName} ${range(figure.other)} over ${figure.ours.calls} pairs: ` +
    `${figure.ratioP50.toFixed(2)}x [${figure.ratioP25.toFixed(2)}-${figure.ratioP75.toFixed(2)}], load ${figure.loadAverage.before.join(' ')}`
  );
}
