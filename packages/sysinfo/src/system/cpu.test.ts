import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { readCgroupCpuSeconds } from './cgroup.js';
import { parseProcStat, readCpuCounters, sampleCpu, usageBetween } from './cpu.js';

describe('parseProcStat', () => {
  it('reads the aggregate and per-CPU lines', () => {
    const parsed = parseProcStat(
      'cpu  100 10 50 800 20 5 5 10 0 0\ncpu0 50 5 25 400 10 2 3 5 0 0\ncpu1 50 5 25 400 10 3 2 5 0 0\nintr 1 2 3\n',
    );
    expect(parsed?.total).toEqual({ user: 110, system: 50, idle: 800, iowait: 20, steal: 10, other: 10 });
    expect(parsed?.cores).toHaveLength(2);
    expect(parseProcStat('intr 1 2 3')).toBeUndefined();
  });
});

describe('usageBetween', () => {
  it('splits the window into user, system, iowait, steal and idle', () => {
    const before = { user: 0, system: 0, idle: 0, iowait: 0, steal: 0, other: 0 };
    const after = { user: 30, system: 10, idle: 50, iowait: 5, steal: 5, other: 0 };
    expect(usageBetween(before, after)).toEqual({
      usagePercent: 45,
      userPercent: 30,
      systemPercent: 10,
      iowaitPercent: 5,
      stealPercent: 5,
      idlePercent: 50,
    });
    expect(usageBetween(after, after).idlePercent).toBe(100);
  });
});

describe('sampleCpu on this machine', () => {
  it('measures every CPU over the window', async () => {
    const sample = await sampleCpu(150, new AbortController().signal);
    expect(sample.windowMs).toBeGreaterThanOrEqual(140);
    expect(sample.cores).toHaveLength((await readCpuCounters()).cores.length);
    expect(sample.cores.length).toBe(os.cpus().length);
    for (const usage of [sample.overall, ...sample.cores]) {
      expect(usage.usagePercent).toBeGreaterThanOrEqual(0);
      expect(usage.usagePercent).toBeLessThanOrEqual(100);
      expect(usage.usagePercent + usage.idlePercent + usage.iowaitPercent).toBeCloseTo(100, 0);
    }
    expect(sample.cgroupCores).toBeNull();
  });

  it('reports the cgroup usage over the window when given a reader', async () => {
    const sample = await sampleCpu(150, new AbortController().signal, { cgroupSeconds: () => readCgroupCpuSeconds() });
    expect(sample.cgroupCores).toEqual(expect.any(Number));
    expect(sample.cgroupCores).toBeGreaterThanOrEqual(0);
    expect(sample.cgroupCores).toBeLessThanOrEqual(os.cpus().length + 0.5);
  });

  it('stops as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const pending = sampleCpu(60_000, controller.signal);
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('does not start when already aborted', async () => {
    await expect(sampleCpu(100, AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
  });
});
