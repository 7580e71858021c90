/**
 * Container limits from Linux control groups, v1 and v2 (and hybrid hosts that mount both): the memory limit and
 * the CPU quota that apply to this process, which can be far below what the host reports. Limits are taken as the
 * tightest along the path from this process's cgroup up to the root of the hierarchy, as the kernel applies them.
 */
import { stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { type MountEntry, readMounts } from './mountinfo.js';
import { readOptionalValue as readText } from './optional-file.js';

/** What the cgroups of this process allow and have used. */
export interface CgroupLimits {
  /** Version of the hierarchy the memory limit came from (else the CPU one). */
  version: 1 | 2;
  /** Memory limit in bytes, or null when unlimited. */
  memoryLimitBytes: number | null;
  /** Memory charged to the cgroup now, in bytes (page cache included, as the kernel counts it). */
  memoryUsageBytes: number | null;
  /** CPU quota as a number of CPUs (`1.5` = 150 ms of CPU time per 100 ms), or null when unlimited. */
  cpuQuotaCores: number | null;
  /** How many CPUs the cpuset allows, or null when unknown. */
  cpusetCount: number | null;
  /** CPU time the cgroup has used since it was created, in seconds (for measuring usage over a window). */
  cpuUsageSeconds: number | null;
}

// cgroup v1 reports "no limit" as the largest page-aligned signed 64-bit number.
const UNLIMITED = 2 ** 60;

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

function toNumber(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** Count the CPUs in a cpuset list such as `0-3,8,10-11`. */
export function countCpuList(list: string): number | null {
  let count = 0;
  for (const part of list.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const [from, to] = item.split('-').map(Number);
    if (from === undefined || !Number.isInteger(from)) return null;
    if (to === undefined) count += 1;
    else if (Number.isInteger(to) && to >= from) count += to - from + 1;
    else return null;
  }
  return count > 0 ? count : null;
}

/** A cgroup directory and the hierarchy it sits in. */
interface Located {
  version: 1 | 2;
  /** The cgroup's directory (host path, `root` prefix included). */
  dir: string;
  /** The hierarchy's mount point (host path); the walk up stops here. */
  top: string;
}

async function locate(root: string, mount: MountEntry, cgroupPath: string, version: 1 | 2): Promise<Located> {
  const top = join(root, mount.mountPoint);
  let relative: string | undefined;
  if (mount.root === '/') relative = cgroupPath;
  else if (cgroupPath === mount.root || cgroupPath.startsWith(`${mount.root}/`)) {
    relative = cgroupPath.slice(mount.root.length) || '/';
  }
  const dir = relative === undefined ? top : join(top, relative);
  // With a private cgroup namespace the path may not resolve from here; the mount itself is then our cgroup.
  return { version, dir: (await isDirectory(dir)) ? dir : top, top };
}

/** Directories from the cgroup up to the top of its hierarchy, innermost first. */
function lineage(located: Located): string[] {
  const dirs = [located.dir];
  let current = located.dir;
  while (current !== located.top && current.startsWith(located.top)) {
    const parent = posix.dirname(current);
    if (parent === current) break;
    dirs.push(parent);
    current = parent;
  }
  return dirs;
}

async function tightest(located: Located, read: (dir: string) => Promise<number | null>): Promise<number | null> {
  let best: number | null = null;
  for (const dir of lineage(located)) {
    const value = await read(dir);
    if (value !== null && (best === null || value < best)) best = value;
  }
  return best;
}

async function memoryLimit(located: Located): Promise<number | null> {
  return tightest(located, async (dir) => {
    const text = await readText(join(dir, located.version === 2 ? 'memory.max' : 'memory.limit_in_bytes'));
    const value = toNumber(text);
    return value === undefined || value >= UNLIMITED ? null : value;
  });
}

async function cpuQuota(located: Located): Promise<number | null> {
  return tightest(located, async (dir) => {
    if (located.version === 2) {
      const [quota, period] = ((await readText(join(dir, 'cpu.max'))) ?? '').split(/\s+/);
      const q = toNumber(quota);
      const p = toNumber(period);
      return q !== undefined && p !== undefined && p > 0 ? q / p : null;
    }
    const q = toNumber(await readText(join(dir, 'cpu.cfs_quota_us')));
    const p = toNumber(await readText(join(dir, 'cpu.cfs_period_us')));
    return q !== undefined && q > 0 && p !== undefined && p > 0 ? q / p : null;
  });
}

async function cpusetCount(located: Located): Promise<number | null> {
  const names = located.version === 2 ? ['cpuset.cpus.effective'] : ['cpuset.effective_cpus', 'cpuset.cpus'];
  for (const name of names) {
    const text = await readText(join(located.dir, name));
    if (text) return countCpuList(text);
  }
  return null;
}

async function cpuUsageSeconds(located: Located): Promise<number | null> {
  if (located.version === 2) {
    const stat = await readText(join(located.dir, 'cpu.stat'));
    const usec = toNumber(/^usage_usec\s+(\d+)/m.exec(stat ?? '')?.[1]);
    return usec === undefined ? null : usec / 1e6;
  }
  const nanoseconds = toNumber(await readText(join(located.dir, 'cpuacct.usage')));
  return nanoseconds === undefined ? null : nanoseconds / 1e9;
}

/** The cgroup hierarchies this process belongs to, by controller (`memory`, `cpu`, `cpuacct`, `cpuset`). */
interface Hierarchies {
  find(controller: string): Promise<Located | undefined>;
}

async function hierarchies(root: string): Promise<Hierarchies | undefined> {
  const membership = await readText(join(root, 'proc/self/cgroup'));
  if (membership === undefined) return undefined;
  const mounts = await readMounts(root);
  const v1 = new Map<string, string>();
  let v2: string | undefined;
  for (const line of membership.split('\n')) {
    const match = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, id, controllers, path] = match as unknown as [string, string, string, string];
    if (id === '0' && controllers === '') v2 = path;
    else for (const controller of controllers.split(',')) v1.set(controller, path);
  }
  const unified = mounts.find((mount) => mount.fsType === 'cgroup2');
  const unifiedControllers = unified
    ? ((await readText(join(root, unified.mountPoint, 'cgroup.controllers'))) ?? '').split(/\s+/)
    : [];
  return {
    async find(controller) {
      const v1Path = v1.get(controller);
      if (v1Path !== undefined) {
        const mount = mounts.find(
          (entry) => entry.fsType === 'cgroup' && entry.superOptions.split(',').includes(controller),
        );
        if (mount) return locate(root, mount, v1Path, 1);
      }
      if (v2 !== undefined && unified && unifiedControllers.includes(controller === 'cpuacct' ? 'cpu' : controller)) {
        return locate(root, unified, v2, 2);
      }
      return undefined;
    },
  };
}

/**
 * Read the limits that apply to this process. `root` is where the host's `/` is (tests point it at a prepared
 * tree). Resolves to null where there are no cgroups (not Linux) or none of the controllers are mounted.
 */
export async function readCgroupLimits(root = '/'): Promise<CgroupLimits | null> {
  const found = await hierarchies(root);
  if (!found) return null;
  const [memory, cpu, cpuacct, cpuset] = await Promise.all([
    found.find('memory'),
    found.find('cpu'),
    found.find('cpuacct'),
    found.find('cpuset'),
  ]);
  const version = memory?.version ?? cpu?.version;
  if (version === undefined) return null;
  const [memoryLimitBytes, memoryUsage, cpuQuotaCores, cpus, usage] = await Promise.all([
    memory ? memoryLimit(memory) : null,
    memory ? readText(join(memory.dir, memory.version === 2 ? 'memory.current' : 'memory.usage_in_bytes')) : undefined,
    cpu ? cpuQuota(cpu) : null,
    cpuset ? cpusetCount(cpuset) : null,
    cpuacct ? cpuUsageSeconds(cpuacct) : null,
  ]);
  return {
    version,
    memoryLimitBytes,
    memoryUsageBytes: toNumber(memoryUsage) ?? null,
    cpuQuotaCores,
    cpusetCount: cpus,
    cpuUsageSeconds: usage,
  };
}

/** Just the CPU time the cgroup has used, in seconds, for sampling; null where unknown. */
export async function readCgroupCpuSeconds(root = '/'): Promise<number | null> {
  const found = await hierarchies(root);
  const cpuacct = await found?.find('cpuacct');
  return cpuacct ? cpuUsageSeconds(cpuacct) : null;
}
