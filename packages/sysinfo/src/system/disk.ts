/**
 * Disk usage with `fs.statfs`, for one path or every real filesystem. Mounts come from `/proc/self/mountinfo` on
 * Linux, skipping pseudo filesystems (proc, sysfs, cgroup…) and, unless asked, memory-backed and image ones (tmpfs,
 * squashfs). A filesystem that does not answer in time (a dead network mount) is reported as such instead of
 * hanging the call, and is not asked again for a minute.
 */
import { realpath, statfs } from 'node:fs/promises';
import { parse, resolve } from 'node:path';
import { SysinfoInputError } from '../input-error.js';
import { percent } from './memory.js';
import { type MountEntry, mountOf, readMounts } from './mountinfo.js';
import { UnresponsiveMounts } from './unresponsive-mounts.js';

export { UnresponsiveMounts };

/** Filesystems with no storage of their own: never listed. */
const PSEUDO = new Set([
  'autofs',
  'binfmt_misc',
  'bpf',
  'cgroup',
  'cgroup2',
  'configfs',
  'debugfs',
  'devfs',
  'devpts',
  'efivarfs',
  'fuse.gvfsd-fuse',
  'fuse.lxcfs',
  'fuse.portal',
  'fusectl',
  'hugetlbfs',
  'mqueue',
  'nfsd',
  'nsfs',
  'proc',
  'pstore',
  'rpc_pipefs',
  'securityfs',
  'selinuxfs',
  'sysfs',
  'tracefs',
]);

/** Memory-backed and read-only image filesystems: listed only with `includeVirtual`. */
const VIRTUAL = new Set(['devtmpfs', 'ramfs', 'squashfs', 'tmpfs']);

/** Whether mounts of this type are listed by default, only with `includeVirtual`, or never. */
export function classifyFsType(fsType: string): 'real' | 'virtual' | 'pseudo' {
  if (PSEUDO.has(fsType)) return 'pseudo';
  if (VIRTUAL.has(fsType)) return 'virtual';
  return 'real';
}

/** Usage of one filesystem. */
export interface FilesystemUsage {
  /** Where it is mounted. */
  mountPoint: string;
  /** Filesystem type, or null where unknown (no mount table). */
  fsType: string | null;
  /** What is mounted (`/dev/sda1`, `server:/export`), or null. */
  source: string | null;
  readOnly: boolean | null;
  totalBytes: number;
  /** Space that unprivileged users can still use. */
  availableBytes: number;
  /** Free space including the part reserved for root. */
  freeBytes: number;
  usedBytes: number;
  /** `used / (used + available)`, as `df` computes it, 0-100. */
  usedPercent: number;
  /** Inode counts; null where the filesystem does not have a fixed number (btrfs, some network filesystems). */
  inodes: { total: number; free: number; usedPercent: number } | null;
}

/** A mount that could not be measured. */
export interface UnmeasuredFilesystem {
  mountPoint: string;
  fsType: string | null;
  error: string;
}

const STATFS_TIMEOUT_MS = 2000;
class StatfsTimeout extends Error {}

async function statfsWithin(path: string, ms: number): Promise<Statfs> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StatfsTimeout(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([statfs(path), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

type Statfs = { bsize: number; blocks: number; bfree: number; bavail: number; files: number; ffree: number };

function usage(mountPoint: string, mount: MountEntry | undefined, stats: Statfs): FilesystemUsage {
  const size = stats.bsize;
  const totalBytes = stats.blocks * size;
  const freeBytes = stats.bfree * size;
  const availableBytes = Math.min(stats.bavail * size, freeBytes);
  const usedBytes = Math.max(0, totalBytes - freeBytes);
  return {
    mountPoint,
    fsType: mount?.fsType ?? null,
    source: mount?.source ?? null,
    readOnly: mount ? mount.options.split(',').includes('ro') : null,
    totalBytes,
    availableBytes,
    freeBytes,
    usedBytes,
    usedPercent: percent(usedBytes, usedBytes + availableBytes),
    inodes:
      stats.files > 0
        ? { total: stats.files, free: stats.ffree, usedPercent: percent(stats.files - stats.ffree, stats.files) }
        : null,
  };
}

function describeFsError(error: unknown): string {
  if (error instanceof StatfsTimeout) return `not responding (${error.message})`;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code ? `cannot be read (${code})` : 'cannot be read';
}

/** The mounts worth listing, one per filesystem: pseudo ones dropped, repeated (bind) mounts folded. */
export function realMounts(mounts: readonly MountEntry[], includeVirtual: boolean): MountEntry[] {
  const byDevice = new Map<string, MountEntry>();
  for (const mount of mounts) {
    const kind = classifyFsType(mount.fsType);
    if (kind === 'pseudo' || (kind === 'virtual' && !includeVirtual)) continue;
    // Memory filesystems share device 0:N numbers per instance, so they never fold wrongly.
    const previous = byDevice.get(mount.device);
    const better =
      !previous ||
      (mount.root === '/' && previous.root !== '/') ||
      (mount.root === previous.root && mount.mountPoint.length < previous.mountPoint.length);
    if (better) byDevice.set(mount.device, mount);
  }
  return [...byDevice.values()].sort((a, b) => a.mountPoint.localeCompare(b.mountPoint));
}

/** Usage of every real filesystem, sorted by mount point. */
export async function listFilesystems(
  options: { includeVirtual?: boolean; root?: string; unresponsive?: UnresponsiveMounts; timeoutMs?: number } = {},
): Promise<{ filesystems: FilesystemUsage[]; unmeasured: UnmeasuredFilesystem[] }> {
  const mounts = realMounts(await readMounts(options.root), options.includeVirtual ?? false);
  if (mounts.length === 0) {
    // No mount table (not Linux): report the filesystem of the working directory's root.
    const top = parse(process.cwd()).root;
    return { filesystems: [usage(top, undefined, await statfs(top))], unmeasured: [] };
  }
  const unresponsive = options.unresponsive ?? new UnresponsiveMounts();
  const results = await Promise.all(
    mounts.map(async (mount) => {
      if (unresponsive.has(mount.mountPoint)) {
        return { mount, error: 'not responding (skipped: it did not answer recently)' };
      }
      try {
        const stats = await statfsWithin(mount.mountPoint, options.timeoutMs ?? STATFS_TIMEOUT_MS);
        return { mount, usage: usage(mount.mountPoint, mount, stats) };
      } catch (error) {
        if (error instanceof StatfsTimeout) unresponsive.add(mount.mountPoint);
        return { mount, error: describeFsError(error) };
      }
    }),
  );
  const filesystems: FilesystemUsage[] = [];
  const unmeasured: UnmeasuredFilesystem[] = [];
  for (const result of results) {
    if (result.usage) {
      // Filesystems with no blocks (some virtual ones) say nothing about space.
      if (result.usage.totalBytes > 0) filesystems.push(result.usage);
    } else {
      unmeasured.push({ mountPoint: result.mount.mountPoint, fsType: result.mount.fsType, error: result.error });
    }
  }
  return { filesystems, unmeasured };
}

/**
 * Usage of the filesystem that holds `path` (absolute, or relative to the working directory). Throws
 * `SysinfoInputError` (`not_found`, `permission_denied`, `not_responding`) when it cannot be measured.
 */
export async function filesystemOf(
  path: string,
  options: { root?: string; timeoutMs?: number } = {},
): Promise<FilesystemUsage> {
  const absolute = resolve(path);
  let stats: Statfs;
  try {
    stats = await statfsWithin(absolute, options.timeoutMs ?? STATFS_TIMEOUT_MS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new SysinfoInputError('not_found', `No such file or directory: ${path}`, {
        hint: 'Give an existing path, or omit path to list every filesystem.',
      });
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new SysinfoInputError('permission_denied', `The server may not read ${path}.`, {
        hint: 'Ask about a path the server can read, or omit path to list every filesystem.',
      });
    }
    if (error instanceof StatfsTimeout) {
      throw new SysinfoInputError('not_responding', `The filesystem of ${path} did not answer in time.`, {
        hint: 'It may be a network filesystem that is down. Try again later.',
        retryable: true,
      });
    }
    throw error;
  }
  const real = await realpath(absolute).catch(() => absolute);
  const mount = mountOf(real, await readMounts(options.root));
  return usage(mount?.mountPoint ?? parse(real).root, mount, stats);
}
