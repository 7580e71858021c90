import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { countCpuList, readCgroupCpuSeconds, readCgroupLimits } from './cgroup.js';
import { fakeRoots } from './fixtures/fake-root.js';

const roots = fakeRoots();
const tree = roots.make;
afterEach(roots.cleanup);

const V2_MOUNTINFO = [
  '22 27 0:21 / /proc rw,relatime - proc proc rw',
  '27 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
  '31 23 0:28 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate',
].join('\n');

describe('readCgroupLimits, cgroup v2', () => {
  it('reads memory.max, cpu.max, the effective cpuset and usage', async () => {
    const root = await tree({
      'proc/self/cgroup': '0::/system.slice/app.service\n',
      'proc/self/mountinfo': V2_MOUNTINFO,
      'sys/fs/cgroup/cgroup.controllers': 'cpuset cpu io memory pids',
      'sys/fs/cgroup/system.slice/app.service/memory.max': '536870912\n',
      'sys/fs/cgroup/system.slice/app.service/memory.current': '104857600\n',
      'sys/fs/cgroup/system.slice/app.service/cpu.max': '150000 100000\n',
      'sys/fs/cgroup/system.slice/app.service/cpuset.cpus.effective': '0-3\n',
      'sys/fs/cgroup/system.slice/app.service/cpu.stat': 'usage_usec 2500000\nuser_usec 2000000\n',
    });
    expect(await readCgroupLimits(root)).toEqual({
      version: 2,
      memoryLimitBytes: 536870912,
      memoryUsageBytes: 104857600,
      cpuQuotaCores: 1.5,
      cpusetCount: 4,
      cpuUsageSeconds: 2.5,
    });
    expect(await readCgroupCpuSeconds(root)).toBe(2.5);
  });

  it('takes the tightest limit along the path and reads "max" as unlimited', async () => {
    const root = await tree({
      'proc/self/cgroup': '0::/kubepods/pod1/container\n',
      'proc/self/mountinfo': V2_MOUNTINFO,
      'sys/fs/cgroup/cgroup.controllers': 'cpu memory',
      'sys/fs/cgroup/kubepods/memory.max': 'max\n',
      'sys/fs/cgroup/kubepods/pod1/memory.max': '268435456\n',
      'sys/fs/cgroup/kubepods/pod1/cpu.max': '50000 100000\n',
      'sys/fs/cgroup/kubepods/pod1/container/memory.max': 'max\n',
      'sys/fs/cgroup/kubepods/pod1/container/cpu.max': 'max 100000\n',
    });
    expect(await readCgroupLimits(root)).toMatchObject({
      version: 2,
      memoryLimitBytes: 268435456,
      cpuQuotaCores: 0.5,
      memoryUsageBytes: null,
      cpusetCount: null,
    });
  });

  it('reports no limits when nothing is limited', async () => {
    const root = await tree({
      'proc/self/cgroup': '0::/user.slice\n',
      'proc/self/mountinfo': V2_MOUNTINFO,
      'sys/fs/cgroup/cgroup.controllers': 'cpu memory',
      'sys/fs/cgroup/user.slice/memory.max': 'max\n',
      'sys/fs/cgroup/user.slice/cpu.max': 'max 100000\n',
    });
    expect(await readCgroupLimits(root)).toMatchObject({ version: 2, memoryLimitBytes: null, cpuQuotaCores: null });
  });

  it('uses the mount itself when a private cgroup namespace hides the path', async () => {
    const root = await tree({
      'proc/self/cgroup': '0::/\n',
      'proc/self/mountinfo': '31 23 0:28 /docker/abc /sys/fs/cgroup ro - cgroup2 cgroup2 rw',
      'sys/fs/cgroup/cgroup.controllers': 'cpu memory',
      'sys/fs/cgroup/memory.max': '1073741824\n',
      'sys/fs/cgroup/cpu.max': '200000 100000\n',
    });
    expect(await readCgroupLimits(root)).toMatchObject({ memoryLimitBytes: 1073741824, cpuQuotaCores: 2 });
  });
});

describe('readCgroupLimits, cgroup v1 and hybrid', () => {
  const mountinfo = [
    '27 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
    '32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct',
    '34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset',
    '35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
    '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
  ].join('\n');

  it('reads the v1 files, treats the huge default as unlimited, and prefers v1 on hybrid hosts', async () => {
    const root = await tree({
      'proc/self/cgroup': [
        '5:memory:/docker/abc',
        '3:cpuset:/docker/abc',
        '2:cpu,cpuacct:/docker/abc',
        '0::/docker/abc',
      ].join('\n'),
      'proc/self/mountinfo': mountinfo,
      'sys/fs/cgroup/unified/cgroup.controllers': '',
      'sys/fs/cgroup/memory/memory.limit_in_bytes': '9223372036854771712\n',
      'sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes': '2147483648\n',
      'sys/fs/cgroup/memory/docker/abc/memory.usage_in_bytes': '1073741824\n',
      'sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us': '250000\n',
      'sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us': '100000\n',
      'sys/fs/cgroup/cpu,cpuacct/docker/abc/cpuacct.usage': '3000000000\n',
      'sys/fs/cgroup/cpuset/docker/abc/cpuset.cpus': '0,2-3\n',
    });
    expect(await readCgroupLimits(root)).toEqual({
      version: 1,
      memoryLimitBytes: 2147483648,
      memoryUsageBytes: 1073741824,
      cpuQuotaCores: 2.5,
      cpusetCount: 3,
      cpuUsageSeconds: 3,
    });
  });

  it('reads -1 quota and the huge memory default as no limit', async () => {
    const root = await tree({
      'proc/self/cgroup': '5:memory:/\n2:cpu,cpuacct:/\n',
      'proc/self/mountinfo': mountinfo,
      'sys/fs/cgroup/memory/memory.limit_in_bytes': '9223372036854771712\n',
      'sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us': '-1\n',
      'sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us': '100000\n',
    });
    expect(await readCgroupLimits(root)).toMatchObject({ version: 1, memoryLimitBytes: null, cpuQuotaCores: null });
  });
});

describe('readCgroupLimits, no cgroups', () => {
  it('is null without /proc/self/cgroup', async () => {
    expect(await readCgroupLimits(await tree({ 'etc/hostname': 'x' }))).toBeNull();
    expect(await readCgroupCpuSeconds(await tree({ 'etc/hostname': 'x' }))).toBeNull();
  });
});

describe('readCgroupLimits on this machine', () => {
  it('returns plausible figures', async () => {
    const limits = await readCgroupLimits();
    expect(limits).not.toBeNull();
    if (!limits) return;
    expect([1, 2]).toContain(limits.version);
    if (limits.memoryLimitBytes !== null) expect(limits.memoryLimitBytes).toBeGreaterThan(0);
    if (limits.cpuQuotaCores !== null) expect(limits.cpuQuotaCores).toBeGreaterThan(0);
    if (limits.cpusetCount !== null) expect(limits.cpusetCount).toBeLessThanOrEqual(os.cpus().length);
    // This test process itself is charged to its cgroup.
    if (limits.memoryUsageBytes !== null)
      expect(limits.memoryUsageBytes).toBeGreaterThan(process.memoryUsage().heapUsed);
    if (limits.cpuUsageSeconds !== null) expect(limits.cpuUsageSeconds).toBeGreaterThan(0);
  });
});

describe('countCpuList', () => {
  it('counts ranges and singles', () => {
    expect(countCpuList('0-3')).toBe(4);
    expect(countCpuList('0,2,4-7')).toBe(6);
    expect(countCpuList('5')).toBe(1);
    expect(countCpuList('')).toBeNull();
    expect(countCpuList('a-b')).toBeNull();
    expect(countCpuList('3-1')).toBeNull();
  });
});
