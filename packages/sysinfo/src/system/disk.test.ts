import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SysinfoInputError } from '../input-error.js';
import { classifyFsType, filesystemOf, listFilesystems, realMounts, UnresponsiveMounts } from './disk.js';
import { parseMountinfo } from './mountinfo.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(os.tmpdir(), 'sysinfo-disk-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('classifyFsType and realMounts', () => {
  it('drops pseudo filesystems, keeps virtual ones only on request, folds bind mounts', () => {
    expect(classifyFsType('proc')).toBe('pseudo');
    expect(classifyFsType('cgroup2')).toBe('pseudo');
    expect(classifyFsType('tmpfs')).toBe('virtual');
    expect(classifyFsType('ext4')).toBe('real');
    expect(classifyFsType('overlay')).toBe('real');
    const mounts = parseMountinfo(
      [
        '1 0 254:0 /var/lib/docker/containers/x/hosts /etc/hosts rw - ext4 /dev/vda rw',
        '2 0 0:50 / / rw - overlay overlay rw',
        '3 0 254:0 / /data rw - ext4 /dev/vda rw',
        '4 0 0:21 / /proc rw - proc proc rw',
        '5 0 0:23 / /dev/shm rw - tmpfs tmpfs rw',
        '6 0 7:1 / /snap/core/1 ro - squashfs /dev/loop1 ro',
      ].join('\n'),
    );
    expect(realMounts(mounts, false).map((mount) => mount.mountPoint)).toEqual(['/', '/data']);
    expect(realMounts(mounts, true).map((mount) => mount.mountPoint)).toEqual([
      '/',
      '/data',
      '/dev/shm',
      '/snap/core/1',
    ]);
  });
});

describe('filesystemOf', () => {
  it('measures the filesystem holding a path, with plausible figures', async () => {
    const usage = await filesystemOf(dir);
    expect(usage.totalBytes).toBeGreaterThan(0);
    expect(usage.usedBytes + usage.freeBytes).toBe(usage.totalBytes);
    expect(usage.availableBytes).toBeLessThanOrEqual(usage.freeBytes);
    expect(usage.usedPercent).toBeGreaterThanOrEqual(0);
    expect(usage.usedPercent).toBeLessThanOrEqual(100);
    expect(dir.startsWith(usage.mountPoint)).toBe(true);
    expect(usage.fsType).toEqual(expect.any(String));
    expect(usage.readOnly).toBe(false);
  });

  it('fails with not_found for a missing path', async () => {
    const error = await filesystemOf(join(dir, 'missing')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SysinfoInputError);
    expect((error as SysinfoInputError).code).toBe('not_found');
  });
});

describe('listFilesystems on this machine', () => {
  it('lists the root filesystem and no pseudo ones', async () => {
    const { filesystems } = await listFilesystems();
    expect(filesystems.some((fs) => fs.mountPoint === '/')).toBe(true);
    for (const fs of filesystems) {
      expect(classifyFsType(fs.fsType ?? '')).toBe('real');
      expect(fs.totalBytes).toBeGreaterThan(0);
    }
    const withVirtual = await listFilesystems({ includeVirtual: true });
    expect(withVirtual.filesystems.length).toBeGreaterThanOrEqual(filesystems.length);
  });

  it('skips filesystems that recently did not answer', async () => {
    const unresponsive = new UnresponsiveMounts();
    unresponsive.add('/');
    const { filesystems, unmeasured } = await listFilesystems({ unresponsive });
    expect(filesystems.some((fs) => fs.mountPoint === '/')).toBe(false);
    expect(unmeasured).toContainEqual(
      expect.objectContaining({ mountPoint: '/', error: expect.stringContaining('not responding') }),
    );
    expect(unresponsive.has('/', Date.now() + 120_000)).toBe(false);
  });
});
