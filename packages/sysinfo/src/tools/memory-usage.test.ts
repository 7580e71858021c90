import os from 'node:os';
import { connectPack, structured } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { sysinfoPack } from '../index.js';

interface MemoryUsage {
  host: { totalBytes: number; availableBytes: number; freeBytes: number; usedBytes: number; usedPercent: number };
  swap: { totalBytes: number; freeBytes: number; usedBytes: number } | null;
  container: { limitBytes: number | null; usageBytes: number | null; usedPercentOfLimit: number | null } | null;
  process: { rssBytes: number; heapUsedBytes: number; heapTotalBytes: number };
}

describe('sys_memory_usage on this machine', () => {
  it('reports host, swap, container and process memory that add up', async () => {
    await using conn = await connectPack(sysinfoPack);
    const out = structured<MemoryUsage>(await conn.callTool('memory_usage'));
    expect(out.host.totalBytes).toBe(os.totalmem());
    expect(out.host.usedBytes + out.host.availableBytes).toBe(out.host.totalBytes);
    expect(out.host.usedPercent).toBeGreaterThan(0);
    expect(out.host.usedPercent).toBeLessThan(100);
    if (out.swap) expect(out.swap.usedBytes).toBe(out.swap.totalBytes - out.swap.freeBytes);
    expect(out.container).not.toBeNull();
    if (out.container?.usageBytes != null) expect(out.container.usageBytes).toBeGreaterThan(out.process.heapUsedBytes);
    expect(out.process.rssBytes).toBeGreaterThan(out.process.heapUsedBytes);
    expect(out.process.rssBytes).toBeLessThan(out.host.totalBytes);
  });
});
