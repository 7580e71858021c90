/**
 * Opening files and directories so that what was opened is what was checked.
 *
 * A path can be swapped for a symbolic link between the check and the open. So every open refuses a final link
 * (`O_NOFOLLOW`) and then checks what the descriptor really is: on Linux, the kernel's own record of the open file
 * (`/proc/self/fd/N`); elsewhere, the device and inode of the descriptor against a fresh `realpath`. Operations
 * by name under a directory go through the directory's descriptor (`/proc/self/fd/N/name` on Linux), so a
 * parent swapped for a link after the check cannot redirect them.
 */
import { constants, existsSync } from 'node:fs';
import { type FileHandle, lstat, open, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import { FsError } from './errors.js';

/** True where the kernel tells the real path of a descriptor through `/proc/self/fd`. */
export const HAS_PROC_FD = process.platform === 'linux' && existsSync('/proc/self/fd');

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;
const O_DIRECTORY = constants.O_DIRECTORY ?? 0;

/** Flags for reading a file: never through a final link, never blocking on a FIFO. */
export const READ_FLAGS = constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK;

function changed(display: string): FsError {
  return new FsError('access_denied', `${JSON.stringify(display)} changed while it was being opened.`, {
    hint: 'Something replaced it (possibly with a link out of the roots); try again once it is stable.',
  });
}

/** The real path behind an open descriptor, where the platform can tell it. */
export async function descriptorPath(handle: FileHandle): Promise<string | undefined> {
  if (!HAS_PROC_FD) return undefined;
  return readlink(`/proc/self/fd/${handle.fd}`);
}

/**
 * Check that `handle`, opened from `real`, really is inside the roots (`allows`). Throws `access_denied` when it
 * is not (and leaves closing to the caller).
 */
export async function verifyHandle(
  handle: FileHandle,
  real: string,
  allows: (real: string) => boolean,
  display: string,
): Promise<void> {
  if (HAS_PROC_FD) {
    const actual = await descriptorPath(handle);
    if (actual === undefined || !allows(actual)) throw changed(display);
    return;
  }
  const [opened, now] = await Promise.all([handle.stat(), lstat(real)]);
  if (opened.dev !== now.dev || opened.ino !== now.ino) throw changed(display);
  if (!allows(await realpath(real))) throw changed(display);
}

/**
 * Open `real` with `flags` (plus `O_NOFOLLOW`) and verify the descriptor; the caller owns the handle. A final
 * symbolic link swapped in after the check fails with `ELOOP` (reported as `access_denied`).
 */
export async function openVerified(
  real: string,
  flags: number,
  allows: (real: string) => boolean,
  display: string,
  mode?: number,
): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(real, flags | O_NOFOLLOW, mode);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ELOOP' || code === 'EMLINK') throw changed(display);
    throw error;
  }
  try {
    await verifyHandle(handle, real, allows, display);
    return handle;
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }
}

/** A directory opened and verified, through which names inside it are addressed. */
export interface VerifiedDir {
  /** The path of `name` inside this directory, resolved through the open descriptor where the platform allows. */
  at(name: string): string;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Open the directory `real` and verify it; use {@link VerifiedDir.at} to address names inside it. */
export async function openDirVerified(
  real: string,
  allows: (real: string) => boolean,
  display: string,
): Promise<VerifiedDir> {
  if (!HAS_PROC_FD) {
    if (!allows(await realpath(real))) throw changed(display);
    const close = async () => {};
    return { at: (name) => path.join(real, name), close, [Symbol.asyncDispose]: close };
  }
  const handle = await openVerified(real, constants.O_RDONLY | O_DIRECTORY, allows, display);
  const close = () => handle.close().catch(() => {});
  return { at: (name) => `/proc/self/fd/${handle.fd}/${name}`, close, [Symbol.asyncDispose]: close };
}
