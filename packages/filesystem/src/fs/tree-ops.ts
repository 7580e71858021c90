/**
 * Changes to whole entries inside the roots: making directories, deleting, copying and moving, each by name under
 * directories held open and verified (`dirfd.ts`), so no step can be redirected out of the roots by a path swapped
 * for a link meanwhile.
 *
 * - Directories are made one component at a time, each made (or found) under its held parent and then held itself
 *   (`O_NOFOLLOW | O_DIRECTORY`) to go on from.
 * - A recursive delete or copy descends by holding each child directory through its held parent; an entry that
 *   turns out to be a link is removed as a link (delete) or skipped (copy), never followed.
 */
import path from 'node:path';
import { type HeldDir, holdDir, linkBetween, READ_FLAGS, renameBetween } from './dirfd.js';
import { errnoCode, FsError } from './errors.js';
import { alreadyExists, holdParent, publish, writeAll, writeTemp } from './write.js';

/**
 * Create the directory at `real` (a real path inside the root `root`) and any missing parents. Returns whether the
 * directory itself was created (`false`: it was there already).
 */
export async function makeDirectory(real: string, root: string, display: string): Promise<boolean> {
  const names = path
    .relative(root, real)
    .split(path.sep)
    .filter((name) => name !== '');
  let dir = await holdDir(root, display);
  let created = false;
  try {
    for (const [index, name] of names.entries()) {
      let next: HeldDir;
      try {
        next = await dir.child(name, display);
      } catch (error) {
        if (errnoCode(error) !== 'ENOENT')
          throw await notADirectory(dir, name, display, index === names.length - 1, error);
        try {
          await dir.mkdir(name);
          created = index === names.length - 1;
        } catch (made) {
          if (errnoCode(made) !== 'EEXIST') throw made;
        }
        next = await dir.child(name, display);
      }
      dir.close();
      dir = next;
    }
    return created;
  } finally {
    dir.close();
  }
}

/** The error for a name on the way that is not a directory: a file (say so), or a link (it changed). */
async function notADirectory(dir: HeldDir, name: string, display: string, last: boolean, error: unknown) {
  const stats = await dir.lstat(name).catch(() => undefined);
  if (!stats || stats.isSymbolicLink() || stats.isDirectory()) return error;
  return last
    ? new FsError('already_exists', `${JSON.stringify(display)} exists and is not a directory.`)
    : new FsError('not_a_directory', `A part of ${JSON.stringify(display)} is not a directory.`);
}

/** How many times a name that keeps changing kind is tried before giving up. */
const ATTEMPTS = 3;

/** Remove `name` in `dir`, whatever it is; a directory with everything in it. A link is removed, never followed. */
async function removeName(dir: HeldDir, name: string, display: string): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const stats = await dir.lstat(name);
    if (!stats) return;
    try {
      if (stats.isDirectory()) {
        const child = await dir.child(name, display);
        try {
          for (const entry of await child.list()) await removeName(child, entry.name, `${display}/${entry.name}`);
        } finally {
          child.close();
        }
        await dir.rmdir(name);
      } else {
        await dir.unlink(name);
      }
      return;
    } catch (error) {
      // It changed kind under us (a directory became a link, a file a directory, something was added): again.
      const code = errnoCode(error);
      const retry = code === 'EISDIR' || code === 'EPERM' || code === 'ENOTDIR' || code === 'ENOTEMPTY';
      if (code === 'ENOENT') return;
      if (!retry && !(error instanceof FsError && error.code === 'access_denied')) throw error;
    }
  }
  throw new FsError('io_error', `${JSON.stringify(display)} kept changing while it was being deleted.`, {
    hint: 'Something else is changing it; try again once it is stable.',
  });
}

/** Remove the entry at `real` (a link is removed, not its target). Directories need `recursive` unless empty. */
export async function removeEntry(
  real: string,
  options: { recursive: boolean; display: string },
): Promise<{ kind: 'file' | 'directory' | 'symlink' | 'other' }> {
  const { dir, name } = await holdParent(real, options.display);
  try {
    const stats = await dir.lstat(name);
    if (!stats) throw Object.assign(new Error('gone'), { code: 'ENOENT' });
    if (stats.isDirectory()) {
      if (options.recursive) await removeName(dir, name, options.display);
      else {
        try {
          await dir.rmdir(name);
        } catch (error) {
          if (errnoCode(error) === 'ENOTEMPTY' || errnoCode(error) === 'EEXIST') {
            throw new FsError('directory_not_empty', `${JSON.stringify(options.display)} is not empty.`, {
              hint: 'Pass recursive: true to delete it with everything in it.',
            });
          }
          throw error;
        }
      }
      return { kind: 'directory' };
    }
    await dir.unlink(name);
    return { kind: stats.isSymbolicLink() ? 'symlink' : stats.isFile() ? 'file' : 'other' };
  } finally {
    dir.close();
  }
}

/** One end of a move or copy: a real path and how to name it. */
export interface Endpoint {
  readonly real: string;
  readonly display: string;
}

/** What a copy did. */
export interface CopyOutcome {
  files: number;
  directories: number;
  bytes: number;
  /** Symbolic links inside a copied directory are not copied (their targets could be anywhere). */
  skippedLinks: number;
}

/** Copy the regular file `fromName` in `from` to `toName` in `to`, keeping its permission bits; returns bytes. */
async function copyOneFile(
  from: HeldDir,
  fromName: string,
  to: HeldDir,
  toName: string,
  overwrite: boolean,
  display: { from: string; to: string },
): Promise<number> {
  const source = await from.open(fromName, READ_FLAGS);
  try {
    const stats = await source.stat();
    if (!stats.isFile()) throw new FsError('not_a_file', `${JSON.stringify(display.from)} is not a regular file.`);
    if (!overwrite && (await to.lstat(toName)) !== undefined) throw alreadyExists(display.to);
    let bytes = 0;
    const temp = await writeTemp(to, toName, stats.mode & 0o7777, async (handle) => {
      const buffer = Buffer.allocUnsafe(1024 * 1024);
      for (;;) {
        const { bytesRead } = await source.read(buffer, 0, buffer.length, bytes);
        if (bytesRead === 0) break;
        await writeAll(handle, buffer.subarray(0, bytesRead));
        bytes += bytesRead;
      }
    });
    await publish(to, temp, toName, overwrite, display.to);
    return bytes;
  } finally {
    await source.close().catch(() => {});
  }
}

/** True for the errors of an entry that became a link (or something else) while a tree was copied. */
const becameLink = (error: unknown) =>
  errnoCode(error) === 'ELOOP' || (error instanceof FsError && error.code === 'access_denied');

/** Copy the directory `fromName` in `from` to the new `toName` in `to`, recursively, counting into `outcome`. */
async function copyTree(
  from: HeldDir,
  fromName: string,
  to: HeldDir,
  toName: string,
  outcome: CopyOutcome,
  signal: AbortSignal | undefined,
  display: { from: string; to: string },
): Promise<void> {
  signal?.throwIfAborted();
  await using source = await from.child(fromName, display.from);
  await to.mkdir(toName);
  await using target = await to.child(toName, display.to);
  outcome.directories++;
  for (const entry of await source.list()) {
    const names = { from: `${display.from}/${entry.name}`, to: `${display.to}/${entry.name}` };
    try {
      if (entry.isDirectory()) await copyTree(source, entry.name, target, entry.name, outcome, signal, names);
      else if (entry.isFile()) {
        outcome.bytes += await copyOneFile(source, entry.name, target, entry.name, false, names);
        outcome.files++;
      } else outcome.skippedLinks++;
    } catch (error) {
      if (!becameLink(error)) throw error;
      outcome.skippedLinks++;
    }
  }
}

/**
 * Copy a file, or a directory with everything in it (links inside are skipped and counted). Refuses an existing
 * destination unless `overwrite` (files only: a directory is never merged into another).
 */
export async function copyEntry(
  from: Endpoint,
  to: Endpoint,
  options: { overwrite: boolean; signal?: AbortSignal },
): Promise<CopyOutcome> {
  const outcome: CopyOutcome = { files: 0, directories: 0, bytes: 0, skippedLinks: 0 };
  const source = await holdParent(from.real, from.display);
  try {
    const target = await holdParent(to.real, to.display);
    try {
      await copyBetween(source, target, from, to, options, outcome);
    } finally {
      target.dir.close();
    }
  } finally {
    source.dir.close();
  }
  return outcome;
}

async function copyBetween(
  source: { dir: HeldDir; name: string },
  target: { dir: HeldDir; name: string },
  from: Endpoint,
  to: Endpoint,
  options: { overwrite: boolean; signal?: AbortSignal },
  outcome: CopyOutcome,
): Promise<void> {
  const stats = await source.dir.lstat(source.name);
  if (!stats) throw Object.assign(new Error('gone'), { code: 'ENOENT' });
  const display = { from: from.display, to: to.display };
  if (!stats.isDirectory()) {
    outcome.bytes = await copyOneFile(source.dir, source.name, target.dir, target.name, options.overwrite, display);
    outcome.files = 1;
    return;
  }
  if (to.real === from.real || to.real.startsWith(from.real + path.sep)) {
    throw new FsError('invalid_path', `Cannot copy ${JSON.stringify(from.display)} into itself.`);
  }
  if ((await target.dir.lstat(target.name)) !== undefined) {
    throw new FsError('already_exists', `${JSON.stringify(to.display)} already exists.`, {
      hint: 'Directories are never merged: delete the destination first or choose a new name.',
    });
  }
  await copyTree(source.dir, source.name, target.dir, target.name, outcome, options.signal, display);
}

/**
 * Move or rename an entry (a link moves as a link). Without `overwrite`, an existing destination is refused; for
 * files that refusal is atomic (hard link, then unlink). Across devices it copies, then removes the source.
 */
export async function moveEntry(
  from: Endpoint,
  to: Endpoint,
  options: { overwrite: boolean },
): Promise<{ kind: 'file' | 'directory' | 'symlink' | 'other' }> {
  const source = await holdParent(from.real, from.display);
  await using src = source.dir;
  const target = await holdParent(to.real, to.display);
  await using dst = target.dir;
  const [fromName, toName] = [source.name, target.name];
  const stats = await src.lstat(fromName);
  if (!stats) throw Object.assign(new Error('gone'), { code: 'ENOENT' });
  const kind = stats.isDirectory()
    ? 'directory'
    : stats.isSymbolicLink()
      ? 'symlink'
      : stats.isFile()
        ? 'file'
        : 'other';
  if (kind === 'directory' && (to.real === from.real || to.real.startsWith(from.real + path.sep))) {
    throw new FsError('invalid_path', `Cannot move ${JSON.stringify(from.display)} into itself.`);
  }
  try {
    if (!options.overwrite && kind === 'file') {
      try {
        await linkBetween(src, fromName, dst, toName);
        await src.unlink(fromName);
        return { kind };
      } catch (error) {
        const code = errnoCode(error);
        if (code === 'EEXIST') throw alreadyExists(to.display);
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV' && code !== 'EMLINK') {
          throw error;
        }
      }
    }
    if (!options.overwrite && (await dst.lstat(toName)) !== undefined) throw alreadyExists(to.display);
    await renameBetween(src, fromName, dst, toName);
    return { kind };
  } catch (error) {
    if (errnoCode(error) !== 'EXDEV') throw error;
    await copyBetween(
      source,
      target,
      from,
      to,
      { overwrite: options.overwrite },
      { files: 0, directories: 0, bytes: 0, skippedLinks: 0 },
    );
    await removeName(src, fromName, from.display);
    return { kind };
  }
}
