import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseMeminfo, percent, readHostMemory } from './memory.js';

describe('parseMeminfo', () => {
  it('reads kB values as bytes and unitless counts as they are', () => {
    const info = parseMeminfo(
      'MemTotal:       1000 kB\nMemAvailable:    600 kB\nHugePages_Total:       3\nActive(anon):  10 kB\n',
    );
    expect(info.get('MemTotal')).toBe(1024000);
    expect(info.get('MemAvailable')).toBe(614400);
    expect(info.get('HugePages_Total')).toBe(3);
    expect(info.get('Active(anon)')).toBe(10240);
  });
});

describe('percent', () => {
  it('rounds to one decimal and survives a zero whole', () => {
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(5, 0)).toBe(0);
  });
});

describe('readHostMemory on this machine', () => {
  it('is consistent with os and with itself', async () => {
    const memory = await readHostMemory();
    expect(memory.totalBytes).toBe(os.totalmem());
    expect(memory.availableBytes).toBeGreaterThan(0);
    expect(memory.availableBytes).toBeLessThanOrEqual(memory.totalBytes);
    expect(memory.freeBytes).toBeLessThanOrEqual(memory.availableBytes);
    expect(memory.usedBytes).toBe(memory.totalBytes - memory.availableBytes);
    expect(memory.usedPercent).toBeGreaterThan(0);
    expect(memory.usedPercent).toBeLessThan(100);
    expect(memory.swapTotalBytes).toEqual(expect.any(Number));
  });
});
