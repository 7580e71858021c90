/** Facts about one file or directory, for get_file_info. */
import type { Stats } from 'node:fs';
import { constants } from 'node:fs';
import { access, lstat, realpath, stat } from 'node:fs/promises';
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

async function can(real: string, mode: number): Promise<boolean> {
  try {
    await access(real, mode);
    return true;
  } catch {
    return false;
  }
}

/**
 * Describe `entry` (a real path to the entry itself: links are described as links). `allows` says whether a
 * link's target is inside the roots; its target path is never reported.
 */
export async function fileInfo(entry: string, allows: (real: string) => boolean, head?: Uint8Array): Promise<FileInfo> {
  const own = await lstat(entry);
  let link: FileInfo['link'];
  let stats = own;
  if (own.isSymbolicLink()) {
    try {
      const real = await realpath(entry);
      const inside = allows(real);
      const target = await stat(real);
      link = { targetInsideRoots: inside, targetKind: kindOf(target) };
      if (inside) stats = target;
    } catch {
      link = { targetInsideRoots: false, targetKind: 'missing' };
    }
  }
  const kind = kindOf(own);
  const birth = stats.birthtimeMs > 0 ? stats.birthtime.toISOString() : undefined;
  return {
    kind,
    size: link && !link.targetInsideRoots ? own.size : stats.size,
    created: birth,
    modified: stats.mtime.toISOString(),
    accessed: stats.atime.toISOString(),
    mode: (stats.mode & 0o777).toString(8).padStart(3, '0'),
    permissions: permissionString(stats.mode & 0o777),
    readable: !link || link.targetInsideRoots ? await can(entry, constants.R_OK) : false,
    writable: !link || link.targetInsideRoots ? await can(entry, constants.W_OK) : false,
    link,
    mimeType: stats.isFile() ? await guessMime(entry, head) : undefined,
  };
}
