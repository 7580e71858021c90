import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { connectPack, errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sysinfoPack } from '../index.js';

interface Filesystem {
  mountPoint: string;
  fsType: string | null;
  totalBytes: number;
  usedBytes: number;
  freeBytes: number;
  availableBytes: number;
  usedPercent: number;
}
interface DiskUsage {
  filesystems: Filesystem[];
  unmeasured: { mountPoint: string; error: string }[];
  total: number;
  nextCursor?: string;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(os.tmpdir(), 'sysinfo-disk-tool-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sys_disk_usage on this machine', () => {
  it('lists real filesystems with consistent figures, no pseudo ones', async () => {
    await using conn = await connectPack(sysinfoPack);
    const out = structured<DiskUsage>(await conn.callTool('disk_usage'));
    expect(out.total).toBe(out.filesystems.length);
    expect(out.filesystems.map((fs) => fs.mountPoint)).toContain('/');
    for (const fs of out.filesystems) {
      expect(['proc', 'sysfs', 'cgroup', 'cgroup2', 'devpts', 'tmpfs']).not.toContain(fs.fsType);
      expect(fs.usedBytes + fs.freeBytes).toBe(fs.totalBytes);
      expect(fs.usedPercent).toBeGreaterThanOrEqual(0);
      expect(fs.usedPercent).toBeLessThanOrEqual(100);
    }
  });

  it('measures the filesystem of a path, with ~ for the home directory', async () => {
    await using conn = await connectPack(sysinfoPack);
    const out = structured<DiskUsage>(await conn.callTool('disk_usage', { path: dir }));
    expect(out.total).toBe(1);
    expect(dir.startsWith(out.filesystems[0]?.mountPoint ?? '?')).toBe(true);
    const home = structured<DiskUsage>(await conn.callTool('disk_usage', { path: '~' }));
    expect(home.filesystems[0]?.totalBytes).toBeGreaterThan(0);
  });

  it('pages through the list with an opaque cursor', async () => {
    await using conn = await connectPack(sysinfoPack);
    const all = structured<DiskUsage>(await conn.callTool('disk_usage', { includeVirtual: true }));
    expect(all.total).toBeGreaterThanOrEqual(2);
    const first = structured<DiskUsage>(await conn.callTool('disk_usage', { includeVirtual: true, limit: 1 }));
    expect(first.filesystems).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = structured<DiskUsage>(
      await conn.callTool('disk_usage', { includeVirtual: true, limit: 1, cursor: first.nextCursor }),
    );
    expect(second.filesystems[0]?.mountPoint).toBe(all.filesystems[1]?.mountPoint);
    expect(errorCode(await conn.callTool('disk_usage', { cursor: 'bogus' }))).toBe('invalid_cursor');
  });

  it('refuses a path with a NUL byte as invalid input (Node would throw a TypeError of its own)', async () => {
    await using conn = await connectPack(sysinfoPack);
    const result = await conn.callTool('disk_usage', { path: `${dir}/a\u0000b` });
    expect(errorCode(result)).toBe('invalid_input');
    expect(resultText(result)).toMatch(/path: a path cannot contain a NUL byte/);
  });

  it('says what is wrong with a missing path', async () => {
    await using conn = await connectPack(sysinfoPack);
    const result = await conn.callTool('disk_usage', { path: join(dir, 'nope', 'deeper') });
    expect(errorCode(result)).toBe('not_found');
    expect(resultText(result)).toContain('Hint:');
  });
});
