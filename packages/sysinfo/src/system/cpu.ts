/**
 * CPU usage over a sampling window: two snapshots of the kernel's per-CPU time counters, the difference between
 * them. On Linux from `/proc/stat` (which also has I/O wait and steal time); elsewhere from `os.cpus()`.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Cumulative time counters of one CPU, in any unit (only differences matter). */
export interface CpuCounters {
  user: number;
  system: number;
  idle: number;
  iowait: number;
  steal: number;
  other: number;
}

/** Usage of one CPU (or all of them) over a window, in percent of that CPU's time, one decimal. */
export interface CpuUsage {
  /** Busy: everything but idle and I/O wait. */
  usagePercent: number;
  userPercent: number;
  systemPercent: number;
  iowaitPercent: number;
  /** Time a hypervisor gave to other guests while this one wanted to run (virtual machines). */
  stealPercent: number;
  idlePercent: number;
}

/** Parse `/proc/stat` into the aggregate counters and one per CPU. */
export function parseProcStat(text: string): { total: CpuCounters; cores: CpuCounters[] } | undefined {
  let total: CpuCounters | undefined;
  const cores: CpuCounters[] = [];
  for (const line of text.split('\n')) {
    const match = /^cpu(\d*)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = (match[2] as string)
      .trim()
      .split(/\s+/)
      .map(Number);
    // guest and guest_nice are already included in user and nice.
    const counters = { user: user + nice, system, idle, iowait, steal, other: irq + softirq };
    if (match[1] === '') total = counters;
    else cores[Number(match[1])] = counters;
  }
  return total ? { total, cores: cores.filter(Boolean) } : undefined;
}

function fromOs(): { total: CpuCounters; cores: CpuCounters[] } {
  const cores = os.cpus().map(({ times }) => ({
    user: times.user + times.nice,
    system: times.sys,
    idle: times.idle,
    iowait: 0,
    steal: 0,
    other: times.irq,
  }));
  const total = cores.reduce(
    (sum, core) => ({
      user: sum.user + core.user,
      system: sum.system + core.system,
      idle: sum.idle + core.idle,
      iowait: 0,
      steal: 0,
      other: sum.other + core.other,
    }),
    { user: 0, system: 0, idle: 0, iowait: 0, steal: 0, other: 0 },
  );
  return { total, cores };
}

/** One snapshot of the counters: aggregate and per CPU. */
export async function readCpuCounters(root = '/'): Promise<{ total: CpuCounters; cores: CpuCounters[] }> {
  try {
    const parsed = parseProcStat(await readFile(join(root, 'proc/stat'), 'utf8'));
    if (parsed) return parsed;
  } catch {
    // Not Linux: fall through to os.cpus().
  }
  return fromOs();
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Usage between two snapshots of one CPU. */
export function usageBetween(before: CpuCounters, after: CpuCounters): CpuUsage {
  const delta = (key: keyof CpuCounters) => Math.max(0, after[key] - before[key]);
  const user = delta('user');
  const system = delta('system');
  const idle = delta('idle');
  const iowait = delta('iowait');
  const steal = delta('steal');
  const other = delta('other');
  const total = user + system + idle + iowait + steal + other;
  if (total === 0) {
    return { usagePercent: 0, userPercent: 0, systemPercent: 0, iowaitPercent: 0, stealPercent: 0, idlePercent: 100 };
  }
  const share = (value: number) => round((value / total) * 100);
  return {
    usagePercent: share(user + system + steal + other),
    userPercent: share(user),
    systemPercent: share(system + other),
    iowaitPercent: share(iowait),
    stealPercent: share(steal),
    idlePercent: share(idle),
  };
}

/** The result of {@link sampleCpu}. */
export interface CpuSample {
  /** The window actually measured, in ms. */
  windowMs: number;
  overall: CpuUsage;
  cores: (CpuUsage & { core: number })[];
  /** CPUs' worth of time the cgroup used over the window (`1.5` = one and a half CPUs busy), or null. */
  cgroupCores: number | null;
}

/**
 * Measure CPU usage over `windowMs`. Rejects with the signal's reason (an `AbortError`) as soon as `signal` aborts.
 * `cgroupSeconds` reads the cgroup's cumulative CPU time, to report the container's own usage too.
 */
export async function sampleCpu(
  windowMs: number,
  signal: AbortSignal,
  options: { root?: string; cgroupSeconds?: () => Promise<number | null> } = {},
): Promise<CpuSample> {
  signal.throwIfAborted();
  const cgroupSeconds = options.cgroupSeconds ?? (async () => null);
  const [first, firstCgroup] = await Promise.all([readCpuCounters(options.root), cgroupSeconds()]);
  const started = performance.now();
  await sleep(windowMs, undefined, { signal });
  const [second, secondCgroup] = await Promise.all([readCpuCounters(options.root), cgroupSeconds()]);
  const measured = performance.now() - started;
  return {
    windowMs: Math.round(measured),
    overall: usageBetween(first.total, second.total),
    cores: second.cores.map((after, core) => ({
      core,
      ...usageBetween(first.cores[core] ?? after, after),
    })),
    cgroupCores:
      firstCgroup === null || secondCgroup === null
        ? null
        : Math.round(((secondCgroup - firstCgroup) / (measured / 1000)) * 100) / 100,
  };
}
