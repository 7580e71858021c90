/** Opening what a path names, through the guard, with the errors a model can act on. */
import type { Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { closeFd, fstatFd, HAS_PROC_FD, kernelPath, nameFd, O_NOFOLLOW, READ_FLAGS } from './dirfd.js';
import { FsError, fromSystemError } from './errors.js';
import type { PathGuard, ResolvedPath } from './guard.js';
import { openRegular, reloadRegularSync, reopenRegular, reopenRegularFd } from './open.js';

/** A regular file opened for reading, verified to be inside the roots. Close `handle` when done. */
export interface OpenedFile {
  readonly handle: FileHandle;
  readonly resolved: ResolvedPath;
  readonly stats: Stats;
}

/** The error for a path that resolved inside the roots but names nothing. */
export function notFound(resolved: Pick<ResolvedPath, 'input'>): FsError {
  return new FsError('not_found', `${JSON.stringify(resolved.input)} does not exist.`, {
    hint: 'Check the spelling, or call list_directory or search_files to find the right path.',
  });
}

/**
 * Resolve and open a regular file for reading. On Linux the common case takes one lookup: the path is named with
 * `O_PATH` (following links, opening nothing), the kernel says where that landed, and only a landing inside the
 * roots is opened, through the same descriptor. Anything else (missing, outside, a link with links off) goes the
 * long way through the guard, for the precise error.
 */
export async function openFile(guard: PathGuard, input: string, fast = true): Promise<OpenedFile> {
  if (fast && HAS_PROC_FD) {
    const opened = await openLanded(guard, input);
    if (opened) return opened;
  }
  const resolved = await guard.resolve(input);
  if (resolved.kind === undefined) throw notFound(resolved);
  if (resolved.kind === 'directory') {
    throw new FsError('not_a_file', `${JSON.stringify(resolved.display)} is a directory, not a file.`, {
      hint: 'Call list_directory or directory_tree to see what it holds.',
    });
  }
  try {
    const { handle, stats } = await openRegular(
      resolved.real,
      READ_FLAGS,
      (real) => guard.allows(real),
      resolved.display,
    );
    return { handle, resolved, stats };
  } catch (error) {
    throw fromSystemError(error, resolved.display);
  }
}

/** A small regular file, read whole when opened ({@link loadFile}): there is no handle to close. */
export interface LoadedFile {
  readonly data: Buffer;
  readonly resolved: ResolvedPath;
  readonly stats: Stats;
}

/** A bigger regular file opened by {@link loadFile} as a bare descriptor: close `fd` when done. */
export interface DescribedFile {
  readonly fd: number;
  readonly resolved: ResolvedPath;
  readonly stats: Stats;
}

/** Files up to this size are read synchronously by {@link loadFile}. */
export const LOAD_SYNC_BYTES = 64 * 1024;

/**
 * {@link openFile} for a reader that wants small files whole: on the fast path a file of at most
 * {@link LOAD_SYNC_BYTES} is read synchronously through the verified descriptor (a {@link LoadedFile}), a bigger one
 * is opened through it as a bare descriptor (a {@link DescribedFile}); off the fast path a file is opened as
 * {@link openFile} opens it (close its handle).
 */
export async function loadFile(guard: PathGuard, input: string): Promise<LoadedFile | DescribedFile | OpenedFile> {
  if (HAS_PROC_FD) {
    // One fstat of the named descriptor (onLanded's) decides everything after it.
    const landed = await onLanded(guard, input, async (named, resolved, stats): Promise<LoadedFile | DescribedFile> => {
      const loaded = reloadRegularSync(named, READ_FLAGS, resolved.display, LOAD_SYNC_BYTES, stats);
      if (loaded) return { ...loaded, resolved };
      return { ...reopenRegularFd(named, READ_FLAGS, resolved.display, stats), resolved };
    });
    if (landed) return landed;
  }
  return openFile(guard, input, false);
}

/** The fast path of {@link openFile}: `undefined` whenever the guard must judge the path itself. */
function openLanded(guard: PathGuard, input: string): Promise<OpenedFile | undefined> {
  return onLanded(guard, input, async (named, resolved, stats) => ({
    ...(await reopenRegular(named, READ_FLAGS, resolved.display, stats)),
    resolved,
  }));
}

/**
 * Name `input` with `O_PATH` and, when it landed on a file inside the roots by the path as written, hand the
 * descriptor, the resolved path and the descriptor's stats to `use` (which opens or reads the file through it; its system errors become
 * the model's errors). `undefined` whenever the guard must judge the path itself.
 */
async function onLanded<T>(
  guard: PathGuard,
  input: string,
  use: (named: number, resolved: ResolvedPath, stats: Stats) => Promise<T>,
): Promise<T | undefined> {
  const abs = guard.firstCandidate(input);
  if (abs === undefined) return undefined;
  let named: number;
  try {
    named = nameFd(abs, guard.followSymlinks ? 0 : O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    let real: string;
    try {
      real = kernelPath(named);
    } catch {
      return undefined;
    }
    const root = guard.rootOf(real);
    // With links off, landing anywhere but the path as written means a link was on the way.
    if (!root || (!guard.followSymlinks && real !== abs)) return undefined;
    const resolved = guard.inside(input, real, root, 'file');
    try {
      // A link named in its place (links off) is judged by the guard, with its own message.
      const stats = fstatFd(named);
      if (stats.isSymbolicLink()) return undefined;
      return await use(named, resolved, stats);
    } catch (error) {
      throw fromSystemError(error, resolved.display);
    }
  } finally {
    closeFd(named);
  }
}

/** Resolve a path that must be an existing directory. */
export async function resolveDirectory(guard: PathGuard, input: string): Promise<ResolvedPath> {
  const resolved = await guard.resolve(input);
  if (resolved.kind === undefined) throw notFound(resolved);
  if (resolved.kind !== 'directory') {
    throw new FsError('not_a_directory', `${JSON.stringify(resolved.display)} is not a directory.`, {
      hint: 'Use read_text_file or get_file_info for a file.',
    });
  }
  return resolved;
}

/** Throw `not_found` unless something exists at the resolved path. */
export function requireExisting(resolved: ResolvedPath): ResolvedPath {
  if (resolved.kind === undefined) throw notFound(resolved);
  return resolved;
}
