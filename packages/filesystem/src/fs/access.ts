/** Opening what a path names, through the guard, with the errors a model can act on. */
import type { Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { FsError, fromSystemError } from './errors.js';
import type { PathGuard, ResolvedPath } from './guard.js';
import { openVerified, READ_FLAGS } from './open.js';

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

/** Resolve and open a regular file for reading. */
export async function openFile(guard: PathGuard, input: string): Promise<OpenedFile> {
  const resolved = await guard.resolve(input);
  if (resolved.kind === undefined) throw notFound(resolved);
  if (resolved.kind === 'directory') {
    throw new FsError('not_a_file', `${JSON.stringify(resolved.display)} is a directory, not a file.`, {
      hint: 'Call list_directory or directory_tree to see what it holds.',
    });
  }
  let handle: FileHandle;
  try {
    handle = await openVerified(resolved.real, READ_FLAGS, (real) => guard.allows(real), resolved.display);
  } catch (error) {
    throw fromSystemError(error, resolved.display);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw new FsError('not_a_file', `${JSON.stringify(resolved.display)} is not a regular file.`, {
        hint: 'Devices, sockets and pipes cannot be read.',
      });
    }
    return { handle, resolved, stats };
  } catch (error) {
    await handle.close().catch(() => {});
    throw fromSystemError(error, resolved.display);
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
