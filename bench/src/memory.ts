/**
 * Memory beside time: how much the resident set grows while an operation runs, for this process (ours, in-process),
 * a long-lived child (the reference server) or a short-lived child (ripgrep, through `/usr/bin/time`).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const MiB = 2 ** 20;

/** The resident set of a process in bytes, from `/proc/<pid>/status` (`VmRSS`); `NaN` where there is none. */
export function processRss(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * Wrap `op` so every run records the growth of a resident set over its value just before the run (peak sampled
 * every 5 ms while it runs, and at its end), in MiB.
 */
export function withRssGrowth<T>(
  op: () => Promise<T>,
  rss: () => number = () => process.memoryUsage.rss(),
): { op: () => Promise<T>; growthMiB: number[] } {
  const growthMiB: number[] = [];
  return {
    growthMiB,
    op: async () => {
      const before = rss();
      let peak = before;
      const timer = setInterval(() => {
        peak = Math.max(peak, rss());
      }, 5);
      try {
        return await op();
      } finally {
        clearInterval(timer);
        peak = Math.max(peak, rss());
        growthMiB.push((peak - before) / MiB);
      }
    },
  };
}

/** Median and maximum of recorded growths, rounded to 0.1 MiB. */
export function summarizeGrowth(growthMiB: readonly number[]): { medianMiB: number; maxMiB: number } {
  const sorted = [...growthMiB].sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    medianMiB: round(sorted[Math.floor(sorted.length / 2)] ?? Number.NaN),
    maxMiB: round(sorted[sorted.length - 1] ?? Number.NaN),
  };
}

const TIME = '/usr/bin/time';

/**
 * Run a command and return its stdout and its peak resident set in MiB (GNU time's `%M`; `NaN` without
 * `/usr/bin/time`). Exit status 1 counts as success with no output (ripgrep's "nothing matched").
 */
export async function runMeasured(command: string, args: string[]): Promise<{ stdout: string; peakMiB: number }> {
  const timed = existsSync(TIME);
  const [file, argv] = timed ? [TIME, ['-f', '%M', command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    execFile(file, argv, { maxBuffer: 256 * MiB }, (error, stdout, stderr) => {
      const code = (error as { code?: number } | null)?.code;
      if (error && code !== 1) return reject(error);
      const kb = timed ? Number(/(\d+)\s*$/.exec(stderr)?.[1]) : Number.NaN;
      resolve({ stdout: code === 1 ? '' : stdout, peakMiB: kb / 1024 });
    });
  });
}
