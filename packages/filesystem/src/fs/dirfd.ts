/**
 * Confinement by file descriptor: directories held open and verified, through which names inside them are
 * addressed, so a path swapped for a symbolic link after a check cannot redirect what is done.
 *
 * On Linux a held directory is an `O_PATH | O_DIRECTORY | O_NOFOLLOW` descriptor, verified by the kernel's own record
 * of what it is (`readlink /proc/self/fd/N`). A name inside it is `/proc/self/fd/N/name`: the kernel resolves the
 * magic link to the held directory itself, whatever its path has become, and then looks up the one final name in
 * it. Every operation on a name passes `O_NOFOLLOW` or acts on the name itself (`lstat`, `mkdir`, `rename`,
 * `unlink`, `rmdir`, `link`), so it cannot leave the held directory. `O_PATH` names a file without opening it: no
 * read access needed, no device or FIFO side effects, and `fstat` works on it.
 *
 * Elsewhere (macOS, Windows, a Linux without /proc) Node offers no `openat`, so a held directory is its real path,
 * checked before use (device and inode, no link on the way) and re-checked after each listing or change. That
 * narrows the window between check and use to a single system call; it does not close it. The pack README's
 * "Confinement" section states the limits.
 *
 * Limit on every platform: a held directory that is itself moved out of the roots (by someone who can write both
 * inside and outside) stays the directory we hold, as with `openat`.
 */
import {
  closeSync,
  type Dirent,
  existsSync,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  type Stats,
} from 'node:fs';
import { type FileHandle, link, lstat, mkdir, open, readdir, rename, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { holdDirByPath } from './dirfd-portable.js';
import { errnoCode } from './errors.js';
import {
  changed,
  checkName,
  type DirLease,
  type HeldDir,
  type LinkTarget,
  missing,
  O_DIRECTORY,
  O_NOFOLLOW,
} from './held-dir.js';

export { holdDirByPath } from './dirfd-portable.js';
export {
  changed,
  type DirLease,
  type HeldDir,
  type LinkTarget,
  O_DIRECTORY,
  O_NOFOLLOW,
  READ_FLAGS,
} from './held-dir.js';

/** True where the kernel tells what a descriptor is through `/proc/self/fd` (Linux with procfs mounted). */
export const HAS_PROC_FD = process.platform === 'linux' && existsSync('/proc/self/fd');

/** `O_PATH` (Linux): name a file without opening it. Not in Node's constants; libuv passes the number through. */
export const O_PATH = HAS_PROC_FD ? 0o10000000 : 0;

/** The `/proc` path of a descriptor: opening it reaches the very file the descriptor holds. */
export function fdPath(fd: number): string {
  return `/proc/self/fd/${fd}`;
}

/**
 * The path of what a descriptor holds, as the kernel records it. Read synchronously: procfs answers from memory,
 * and that costs a few microseconds where a thread-pool round trip costs tens.
 */
export function kernelPath(fd: number): string {
  return readlinkSync(fdPath(fd));
}

/**
 * Name a file with `O_PATH` (plus `flags`, such as `O_NOFOLLOW`) and return the bare descriptor. Done synchronously:
 * an `O_PATH` open is a path lookup and nothing more (no data read, no device opened), the same work as the `lstat`
 * it replaces, and on a local file system it costs a few microseconds where a thread-pool round trip costs tens. On a
 * network file system a lookup can wait for the server; walks and reads then pay that once per directory or file.
 */
export function nameFd(file: string, flags: number): number {
  return openSync(file, O_PATH | flags);
}

/** Close a bare descriptor, ignoring errors (`O_PATH` and directory descriptors have nothing to flush). */
export function closeFd(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
}

/**
 * Hold the directory at `real` (a real path, as the guard resolved it). Throws `changed` when what is there now is
 * not that directory (a link, a file, or it moved), and the system error when it is missing (`ENOENT`).
 */
export async function holdDir(real: string, display: string): Promise<HeldDir> {
  if (!HAS_PROC_FD) return holdDirByPath(real, display);
  let fd: number;
  try {
    fd = nameFd(real, O_DIRECTORY | O_NOFOLLOW);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOTDIR' || code === 'ELOOP') throw changed(display);
    throw error;
  }
  let actual: string | undefined;
  try {
    actual = kernelPath(fd);
  } catch {
    // Reported as changed below.
  }
  if (actual !== real) {
    closeFd(fd);
    throw changed(display);
  }
  return new ProcDir(fd, real, display);
}

/** Entries stat'ed between two checks of the time budget. */
const STAT_SLICE = 64;
/** A directory whose size (in bytes, as the file system reports it) is at most this is read synchronously. */
const SMALL_DIR_BYTES = 16 * 1024;
/** Synchronous work, in ms, after which the event loop gets a turn before more is done. */
const SYNC_SLICE_MS = 2;
let syncSpent = 0;

/** Run synchronous file-system work, counting its time against the slice. */
function spend<T>(work: () => T): T {
  const started = performance.now();
  try {
    return work();
  } finally {
    syncSpent += performance.now() - started;
  }
}

/** Give the event loop a turn once the synchronous work since the last one passed {@link SYNC_SLICE_MS}. */
async function yieldIfDue(): Promise<void> {
  if (syncSpent < SYNC_SLICE_MS) return;
  syncSpent = 0;
  await new Promise((resolve) => setImmediate(resolve));
}

/** A directory held by an `O_PATH` descriptor (Linux). */
class ProcDir implements HeldDir {
  readonly #fd: number;
  readonly #self: string;
  #closed = false;
  #leases = 0;
  readonly real: string;
  readonly display: string;

  constructor(fd: number, real: string, display: string) {
    this.#fd = fd;
    this.#self = fdPath(fd);
    this.real = real;
    this.display = display;
  }

  at(name: string): string {
    return `${this.#self}/${checkName(name)}`;
  }

  async list(options?: { readonly background?: boolean }): Promise<Dirent[]> {
    if (options?.background) return readdir(this.#self, { withFileTypes: true });
    await yieldIfDue();
    // A small directory is one or two blocks: read at once, it costs a fraction of a thread-pool round trip.
    if (fstatSync(this.#fd).size <= SMALL_DIR_BYTES) {
      return spend(() => readdirSync(this.#self, { withFileTypes: true }));
    }
    return readdir(this.#self, { withFileTypes: true });
  }

  lstat(name: string): Promise<Stats | undefined> {
    return lstat(this.at(name)).catch(missing);
  }

  async lstatMany(names: readonly string[]): Promise<(Stats | undefined)[]> {
    const out: (Stats | undefined)[] = new Array(names.length);
    for (let start = 0; start < names.length; start += STAT_SLICE) {
      await yieldIfDue();
      const end = Math.min(names.length, start + STAT_SLICE);
      spend(() => {
        for (let i = start; i < end; i++) {
          try {
            out[i] = lstatSync(this.at(names[i] as string));
          } catch (error) {
            out[i] = missing(error);
          }
        }
      });
    }
    return out;
  }

  open(name: string, flags: number, mode?: number): Promise<FileHandle> {
    return open(this.at(name), flags | O_NOFOLLOW, mode);
  }

  async follow(name: string, allows: (real: string) => boolean): Promise<LinkTarget | undefined> {
    let fd: number;
    try {
      fd = nameFd(this.at(name), 0);
    } catch {
      return undefined;
    }
    try {
      const real = kernelPath(fd);
      const stats = fstatFd(fd);
      return { real, inside: allows(real), stats };
    } finally {
      closeFd(fd);
    }
  }

  async child(name: string, display = `${this.display}/${name}`): Promise<HeldDir> {
    let fd: number;
    try {
      fd = nameFd(this.at(name), O_DIRECTORY | O_NOFOLLOW);
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'ENOTDIR' || code === 'ELOOP') throw changed(display);
      throw error;
    }
    return new ProcDir(fd, path.join(this.real, name), display);
  }

  mkdir(name: string): Promise<void> {
    return mkdir(this.at(name));
  }

  unlink(name: string): Promise<void> {
    return unlink(this.at(name));
  }

  rmdir(name: string): Promise<void> {
    return rmdir(this.at(name));
  }

  async check(): Promise<void> {}

  lease(): DirLease {
    if (this.#closed) throw new Error('lease of a closed directory');
    this.#leases++;
    let released = false;
    return {
      fd: this.#fd,
      release: () => {
        if (released) return;
        released = true;
        if (--this.#leases === 0 && this.#closed) closeFd(this.#fd);
      },
    };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#leases === 0) closeFd(this.#fd);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}

/**
 * `fstat` of a bare descriptor (an `O_PATH` one too: of a link named with `O_NOFOLLOW`, the link itself).
 * Synchronous, like {@link nameFd}: it reads the attributes of an inode already found.
 */
export function fstatFd(fd: number): Stats {
  return fstatSync(fd);
}

/**
 * The stats of the entry at the real path `real` itself (a final link is not followed), read through a descriptor
 * the kernel says is at `real`, so a path swapped meanwhile never reports what is elsewhere; `undefined` when
 * nothing is there. Throws `changed` when something other than `real` was reached.
 */
export async function lstatExact(real: string, display: string): Promise<Stats | undefined> {
  if (!HAS_PROC_FD) return lstat(real).catch(missing);
  let fd: number;
  try {
    fd = nameFd(real, O_NOFOLLOW);
  } catch (error) {
    return missing(error);
  }
  try {
    let actual: string | undefined;
    try {
      actual = kernelPath(fd);
    } catch {
      // Reported as changed below.
    }
    if (actual !== real) throw changed(display);
    return fstatFd(fd);
  } finally {
    closeFd(fd);
  }
}

/** Rename `fromName` in `from` to `toName` in `to` (a link moves as a link). */
export async function renameBetween(from: HeldDir, fromName: string, to: HeldDir, toName: string): Promise<void> {
  await Promise.all([from.check(), to.check()]);
  await rename(from.at(fromName), to.at(toName));
}

/** Hard-link `fromName` in `from` as `toName` in `to`: fails with `EEXIST` if anything is there. */
export async function linkBetween(from: HeldDir, fromName: string, to: HeldDir, toName: string): Promise<void> {
  await Promise.all([from.check(), to.check()]);
  await link(from.at(fromName), to.at(toName));
}
