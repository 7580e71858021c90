/**
 * Opening files so that what was opened is what was checked.
 *
 * A path can be swapped for a symbolic link between the check and the open. On Linux a file is first named with
 * `O_PATH | O_NOFOLLOW` (which opens nothing: no device or FIFO is touched), the kernel's record of what that
 * descriptor names (`/proc/self/fd/N`) is checked against the roots, and only then is the file itself opened,
 * through that descriptor, so the open cannot land anywhere else. Elsewhere the file is opened without following a
 * final link and its device and inode are compared with a fresh `lstat` and `realpath` of the path (see `dirfd.ts`
 * for the limits of that fallback). Names under a held directory are opened through it (`HeldDir.open`).
 */
import { closeSync, constants, openSync, readSync, type Stats } from 'node:fs';
import { type FileHandle, lstat, open, realpath } from 'node:fs/promises';
import { changed, closeFd, fdPath, fstatFd, HAS_PROC_FD, kernelPath, nameFd, O_NOFOLLOW } from './dirfd.js';
import { errnoCode, FsError } from './errors.js';

export { HAS_PROC_FD, READ_FLAGS } from './dirfd.js';

/** Portable check: the descriptor is the file now at `real`, and `real` is inside the roots. */
async function verifyByInode(
  handle: FileHandle,
  real: string,
  allows: (real: string) => boolean,
  display: string,
): Promise<void> {
  const [opened, now] = await Promise.all([handle.stat(), lstat(real)]);
  if (opened.dev !== now.dev || opened.ino !== now.ino) throw changed(display);
  if (!allows(await realpath(real))) throw changed(display);
}

/**
 * Open `real` with `flags` (a final link is never followed) once the kernel says it is inside the roots
 * (`allows`); the caller owns the handle. Throws `access_denied` when it is not, or when it became a link.
 * With `O_CREAT`, the file is opened (and made) first and checked after: create under a held directory instead.
 */
export async function openVerified(
  real: string,
  flags: number,
  allows: (real: string) => boolean,
  display: string,
  mode?: number,
): Promise<FileHandle> {
  if (HAS_PROC_FD && (flags & constants.O_CREAT) === 0) {
    const named = nameFd(real, O_NOFOLLOW);
    try {
      let actual: string | undefined;
      try {
        actual = kernelPath(named);
      } catch {
        // Reported as changed below.
      }
      if (actual === undefined || !allows(actual)) throw changed(display);
      // The descriptor names a link when one was swapped in: opening it for real fails with ELOOP.
      return await open(fdPath(named), flags & ~O_NOFOLLOW, mode).catch((error: unknown) => {
        throw errnoCode(error) === 'ELOOP' ? changed(display) : error;
      });
    } finally {
      closeFd(named);
    }
  }
  let handle: FileHandle;
  try {
    handle = await open(real, flags | O_NOFOLLOW, mode);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ELOOP' || code === 'EMLINK') throw changed(display);
    throw error;
  }
  try {
    if (HAS_PROC_FD) {
      if (!allows(kernelPath(handle.fd))) throw changed(display);
    } else {
      await verifyByInode(handle, real, allows, display);
    }
    return handle;
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }
}

/** A regular file opened for reading, with its stats. */
export interface OpenedRegular {
  readonly handle: FileHandle;
  readonly stats: Stats;
}

/**
 * Open the regular file a verified `O_PATH` descriptor names (Linux): its stats decide first, so a directory, device
 * or FIFO is refused without being opened; then it is opened through the descriptor, which reaches that very file.
 * A link named in its place (with `O_NOFOLLOW`) is `changed`. `stats`: the descriptor's, when the caller took them
 * already. The caller still closes `named`.
 */
export async function reopenRegular(
  named: number,
  flags: number,
  display: string,
  stats: Stats = fstatFd(named),
): Promise<OpenedRegular> {
  if (stats.isSymbolicLink()) throw changed(display);
  checkRegular(stats, display);
  const handle = await open(fdPath(named), flags & ~O_NOFOLLOW);
  return { handle, stats };
}

/** A small regular file read whole through a verified `O_PATH` descriptor, with its stats. */
export interface LoadedRegular {
  readonly data: Buffer;
  readonly stats: Stats;
}

/**
 * {@link reopenRegular}'s synchronous twin for a file of at most `maxBytes`: the same checks, then the bytes read
 * whole (at most the size `fstat` gave) and the descriptor closed, with no handle, promise or thread pool round
 * trip; `undefined` for a bigger file (open it with {@link reopenRegular}). Reading a few kilobytes of a local file
 * takes microseconds, less than the event loop's hops to the thread pool and back. The caller still closes `named`.
 */
export function reloadRegularSync(
  named: number,
  flags: number,
  display: string,
  maxBytes: number,
  stats: Stats = fstatFd(named),
): LoadedRegular | undefined {
  if (stats.isSymbolicLink()) throw changed(display);
  checkRegular(stats, display);
  if (stats.size > maxBytes) return undefined;
  const fd = openSync(fdPath(named), flags & ~O_NOFOLLOW);
  try {
    const data = Buffer.allocUnsafe(stats.size);
    let filled = 0;
    while (filled < data.length) {
      const read = readSync(fd, data, filled, data.length - filled, filled);
      if (read === 0) break;
      filled += read;
    }
    return { data: filled === data.length ? data : data.subarray(0, filled), stats };
  } finally {
    closeSync(fd);
  }
}

/** A regular file opened for reading as a bare descriptor, with its stats. */
export interface DescribedRegular {
  readonly fd: number;
  readonly stats: Stats;
}

/**
 * {@link reopenRegular} without a `FileHandle`: the same checks, then the file opened synchronously through the
 * verified descriptor (an open of a file already found costs microseconds, a thread-pool round trip more). For a
 * reader that takes a few blocks of a big file, such as a tail. The caller closes both descriptors.
 */
export function reopenRegularFd(
  named: number,
  flags: number,
  display: string,
  stats: Stats = fstatFd(named),
): DescribedRegular {
  if (stats.isSymbolicLink()) throw changed(display);
  checkRegular(stats, display);
  return { fd: openSync(fdPath(named), flags & ~O_NOFOLLOW), stats };
}

/**
 * Open the regular file at `real` for reading once the kernel says it is inside the roots (`allows`), or
 * `not_a_file` for anything else. The caller closes the handle.
 */
export async function openRegular(
  real: string,
  flags: number,
  allows: (real: string) => boolean,
  display: string,
): Promise<OpenedRegular> {
  if (HAS_PROC_FD) {
    const named = nameFd(real, O_NOFOLLOW);
    try {
      let actual: string | undefined;
      try {
        actual = kernelPath(named);
      } catch {
        // Reported as changed below.
      }
      if (actual === undefined || !allows(actual)) throw changed(display);
      return await reopenRegular(named, flags, display);
    } finally {
      closeFd(named);
    }
  }
  const handle = await openVerified(real, flags, allows, display);
  try {
    return { handle, stats: checkRegular(await handle.stat(), display) };
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }
}

/** `stats` when they are a regular file's; `not_a_file` otherwise. */
export function checkRegular(stats: Stats, display: string): Stats {
  if (stats.isDirectory()) {
    throw new FsError('not_a_file', `${JSON.stringify(display)} is a directory, not a file.`, {
      hint: 'Call list_directory or directory_tree to see what it holds.',
    });
  }
  if (!stats.isFile()) {
    throw new FsError('not_a_file', `${JSON.stringify(display)} is not a regular file.`, {
      hint: 'Devices, sockets and pipes cannot be read.',
    });
  }
  return stats;
}

/** The stats of an open file, or `not_a_file` when it is not a regular file. */
export async function regularStats(handle: FileHandle, display: string): Promise<Stats> {
  return checkRegular(await handle.stat(), display);
}
