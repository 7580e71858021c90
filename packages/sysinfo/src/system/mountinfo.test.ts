import { describe, expect, it } from 'vitest';
import { mountOf, parseMountinfo, readMounts } from './mountinfo.js';

const SAMPLE = [
  '27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard',
  '36 35 98:0 /mnt1 /mnt/my\\040disk rw,noatime master:1 shared:2 - ext3 /dev/root rw,errors=continue',
  '40 27 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
  'garbage line without separator',
  '',
].join('\n');

describe('parseMountinfo', () => {
  it('reads fields, optional tags and octal escapes, and skips junk', () => {
    const entries = parseMountinfo(SAMPLE);
    expect(entries).toHaveLength(3);
    expect(entries[1]).toEqual({
      device: '98:0',
      root: '/mnt1',
      mountPoint: '/mnt/my disk',
      options: 'rw,noatime',
      fsType: 'ext3',
      source: '/dev/root',
      superOptions: 'rw,errors=continue',
    });
    expect(entries[2]?.fsType).toBe('cgroup2');
  });
});

describe('mountOf', () => {
  const entries = parseMountinfo(SAMPLE);
  it('picks the longest mount point that holds the path', () => {
    expect(mountOf('/mnt/my disk/file', entries)?.mountPoint).toBe('/mnt/my disk');
    expect(mountOf('/mnt/my disk', entries)?.mountPoint).toBe('/mnt/my disk');
    expect(mountOf('/mnt/my diskette', entries)?.mountPoint).toBe('/');
    expect(mountOf('/etc', entries)?.mountPoint).toBe('/');
  });
});

describe('readMounts on this machine', () => {
  it('has a root mount', async () => {
    const mounts = await readMounts();
    expect(mounts.some((mount) => mount.mountPoint === '/')).toBe(true);
    expect(mounts.every((mount) => mount.fsType.length > 0)).toBe(true);
  });

  it('is empty where there is no /proc', async () => {
    expect(await readMounts('/nonexistent-root')).toEqual([]);
  });
});
