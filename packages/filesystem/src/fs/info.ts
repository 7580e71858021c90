/**
 * Facts about one file or directory, for get_file_info. On Linux every fact comes from a descriptor: the entry is
 * named with `O_PATH | O_NOFOLLOW` (no read access needed, nothing opened) and the kernel confirms it is the entry
 * at the real path; a link's target is named with `O_PATH` and judged by where the kernel says it landed. So a path
 * swapped for a link to the outside never reports the outside's size, times or permissions.
 */
import type { Stats } from 'node:fs';
import { accessSync, constants } from 'node:fs';
import { access, lstat, realpath, stat } from 'node:fs/promises';
import { changed, closeFd, fdPath, fstatFd, HAS_PROC_FD, kernelPath, nameFd, O_NOFOLLOW } from './dirfd.js';
import type { EntryKind } from './guard.js';
import { guessMime } from './media.js';

/** What get_file_info reports. */
export interface FileInfo {
  kind: EntryKind;
  size: number;
  created: string | undefined;
  modified: string;
  accessed: string;
  /** Octal permission bits, such as `644`. */
  mode: string;
  /** `rwxr-xr-x` style. */
  permissions: string;
  readable: boolean;
  writable: boolean;
  /** For a symbolic link: where its target is, never the target's path. */
  link: { targetInsideRoots: boolean; targetKind: EntryKind | 'missing' } | undefined;
  mimeType: string | undefined;
}

function kindOf(stats: Stats): EntryKind {
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'directory';
  return 'other';
}

function permissionString(mode: number): string {
  const flags = 'rwxrwxrwx';
  let out = '';
  for (let i = 0; i < 9; i++) out += mode & (1 << (8 - i)) ? flags[i] : '-';
  return out;
}

/**
 * Whether the server may read or write `file`. Asked synchronously of a descriptor's path on Linux (a permission
 * check on an inode already found, like `fstat`), asynchronously of a path elsewhere.
 */
async function can(file: string, mode: number): Promise<boolean> {
  try {
    if (HAS_PROC_FD) accessSync(file, mode);
    else await access(file, mode);
    return true;
  } catch {
    return false;
  }
}

/** What was found: the entry's own stats, a link's target, and where to ask about access. */
interface Facts {
  own: Stats;
  /** For a link: its target's stats and whether it is inside; `undefined` target when missing. */
  target?: { stats: Stats; inside: boolean } | undefined;
  /** A path that reaches the entry (or an inside target) itself, for `access`. */
  accessPath: string | undefined;
}

/** Gather the facts through descriptors (Linux); `release` closes them. */
async function factsByDescriptor(
  entry: string,
  display: string,
  allows: (real: string) => boolean,
): Promise<{ facts: Facts; release: () => void }> {
  const fds: number[] = [];
  const release = () => {
    for (const fd of fds) closeFd(fd);
  };
  try {
    const own = nameFd(entry, O_NOFOLLOW);
    fds.push(own);
    if (kernelPath(own) !== entry) throw changed(display);
    const ownStats = fstatFd(own);
    if (!ownStats.isSymbolicLink()) return { facts: { own: ownStats, accessPath: fdPath(own) }, release };
    let target: number;
    try {
      target = nameFd(entry, 0);
    } catch {
      return { facts: { own: ownStats, target: undefined, accessPath: undefined }, release };
    }
    fds.push(target);
    const inside = allows(kernelPath(target));
    const facts = { own: ownStats, target: { stats: fstatFd(target), inside }, accessPath: fdPath(target) };
    return { facts: inside ? facts : { ...facts, accessPath: undefined }, release };
  } catch (error) {
    release();
    throw error;
  }
}

/** Gather the facts by path (no `/proc`): the portable fallback, with the limits described in `dirfd.ts`. */
async function factsByPath(entry: string, allows: (real: string) => boolean): Promise<Facts> {
  const own = await lstat(entry);
  if (!own.isSymbolicLink()) return { own, accessPath: entry };
  try {
    const real = await realpath(entry);
    const inside = allows(real);
    return { own, target: { stats: await stat(real), inside }, accessPath: inside ? real : undefined };
  } catch {
    return { own, target: undefined, accessPath: undefined };
  }
}

/**
 * Describe `entry` (a real path to the entry itself: links are described as links). `allows` says whether a
 * link's target is inside the roots; its target path is never reported, and of a target outside only its kind.
 */
export async function fileInfo(
  entry: string,
  allows: (real: string) => boolean,
  options: { display?: string; head?: Uint8Array } = {},
): Promise<FileInfo> {
  let facts: Facts;
  let release = () => {};
  if (HAS_PROC_FD) ({ facts, release } = await factsByDescriptor(entry, options.display ?? entry, allows));
  else facts = await factsByPath(entry, allows);
  try {
    const { own, target } = facts;
    const link: FileInfo['link'] = own.isSymbolicLink()
      ? target
        ? { targetInsideRoots: target.inside, targetKind: kindOf(target.stats) }
        : { targetInsideRoots: false, targetKind: 'missing' }
      : undefined;
    const stats = target?.inside ? target.stats : own;
    const birth = stats.birthtimeMs > 0 ? stats.birthtime.toISOString() : undefined;
    const reach = facts.accessPath;
    return {
      kind: kindOf(own),
      size: stats.size,
      created: birth,
      modified: stats.mtime.toISOString(),
      accessed: stats.atime.toISOString(),
      mode: (stats.mode & 0o777).toString(8).padStart(3, '0'),
      permissions: permissionString(stats.mode & 0o777),
      readable: reach === undefined ? false : await can(reach, constants.R_OK),
      writable: reach === undefined ? false : await can(reach, constants.W_OK),
      link,
      mimeType: stats.isFile() ? await guessMime(entry, options.head) : undefined,
    };
  } finally {
    release();
  }
}
