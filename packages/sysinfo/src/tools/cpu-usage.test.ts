import os from 'node:os';
import { connectPack, errorCode, structured } from '@mcp-packs/core/testing';
import { describe, expect, it, vi } from 'vitest';
import { sysinfoPack } from '../index.js';

interface Usage {
  usagePercent: number;
  idlePercent: number;
}
interface CpuUsage {
  windowMs: number;
  logicalCores: number;
  overall: Usage;
  cores?: (Usage & { core: number })[];
  loadAverage: number[];
  container: { usedCores: number; quotaCores: number | null } | null;
}

function pendingTimers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
}

describe('sys_cpu_usage on this machine', () => {
  it('samples over the window, overall and per CPU', async () => {
    await using conn = await connectPack(sysinfoPack);
    const out = structured<CpuUsage>(await conn.callTool('cpu_usage', { windowMs: 200 }));
    expect(out.windowMs).toBeGreaterThanOrEqual(190);
    expect(out.logicalCores).toBe(os.cpus().length);
    expect(out.cores).toHaveLength(out.logicalCores);
    expect(out.cores?.map((core) => core.core)).toEqual([...Array(out.logicalCores).keys()]);
    for (const usage of [out.overall, ...(out.cores ?? [])]) {
      expect(usage.usagePercent).toBeGreaterThanOrEqual(0);
      expect(usage.usagePercent).toBeLessThanOrEqual(100);
    }
    expect(out.loadAverage).toHaveLength(3);
    expect(out.container?.usedCores).toBeGreaterThanOrEqual(0);
  });

  it('leaves out the per-CPU list on request', async () => {
    await using conn = await connectPack(sysinfoPack);
    const out = structured<CpuUsage>(await conn.callTool('cpu_usage', { windowMs: 100, perCore: false }));
    expect(out.cores).toBeUndefined();
  });

  it('bounds the window by the config, and by the schema', async () => {
    await using conn = await connectPack(sysinfoPack, { config: { maxSampleMs: 1000 } });
    expect(errorCode(await conn.callTool('cpu_usage', { windowMs: 1500 }))).toBe('window_too_long');
    expect((await conn.callTool('cpu_usage', { windowMs: 10 })).isError).toBe(true);
    expect((await conn.callTool('cpu_usage', { windowMs: 120_000 })).isError).toBe(true);
  });

  it('stops sampling on the server when the client cancels', async () => {
    await using conn = await connectPack(sysinfoPack, { config: { maxSampleMs: 60_000 } });
    const baseline = pendingTimers();
    const controller = new AbortController();
    const call = conn.callTool('cpu_usage', { windowMs: 60_000 }, { signal: controller.signal });
    // The client's request timer and the server's sampling timer.
    await vi.waitFor(() => expect(pendingTimers()).toBeGreaterThanOrEqual(baseline + 2));
    controller.abort();
    await expect(call).rejects.toThrow();
    // Both are gone: the server's 60 s sampling timer was cleared by the cancellation, not left to run out.
    await vi.waitFor(() => expect(pendingTimers()).toBeLessThanOrEqual(baseline), { timeout: 2000 });
  });
});
