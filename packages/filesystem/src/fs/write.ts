/**
 * Writing inside the roots without being redirected out of them.
 *
 * New content is written to a temporary file created with `O_CREAT | O_EXCL | O_NOFOLLOW` (a link planted at that
 * name makes it fail rather than write through), verified, synced, and then renamed over the target (overwrite) or
 * hard-linked to it (create: fails if the name exists, atomically). The directory is addressed through its open
 * descriptor, so a parent swapped for a link after the check cannot move the write elsewhere.
 */
import { constants, type Stats } from 'node:fs';
import { type FileHandle, link, lstat, mkdir, readdir, rename, rm, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { errnoCode, FsError } from './errors.js';
import { openDirVerified, openVerified, READ_FLAGS, type VerifiedDir } from './open.js';

/** node:crypto on first use: loading it costs ~3 ms of a server's start. */
const crypto = () => process.getBuiltinModule('node:crypto');

/** How write_file treats an existing file. */
export type WriteMode = 'create' | 'overwrite' | 'append';

/** Where a write lands, as the guard resolved it. */
export interface WriteTarget {
  /** Real path of the file (its parent is real; the file may not exist yet). */
  readonly real: string;
  readonly display: string;
  readonly allows: (real: string) => boolean;
}

/**
 * The file at `target`, opened for reading through a verified descriptor, with its stats; `undefined` when nothing
 * is there, `not_a_file` when something else is. The caller closes the handle.
 */
export async function openExistingFile(target: WriteTarget): Promise<{ handle: FileHandle; stats: Stats } | undefined> {
  let handle: FileHandle;
  try {
    handle = await openVerified(target.real, READ_FLAGS, target.allows, target.display);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new FsError('not_a_file', `${JSON.stringify(target.display)} is not a regular file.`);
    return { handle, stats };
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }
}

/** The SHA-256 of a file's bytes, read through a verified descriptor; `undefined` when it does not exist. */
export async function sha256Of(target: WriteTarget): Promise<string | undefined> {
  const opened = await openExistingFile(target);
  if (!opened) return undefined;
  const { handle } = opened;
  try {
    const hash = crypto().createHash('sha256');
    for await (const chunk of handle.readableWebStream() as unknown as AsyncIterable<Uint8Array>) hash.update(chunk);
    return hash.digest('hex');
  } finally {
    await handle.close().catch(() => {});
  }
}

/**
 * Throw `hash_mismatch` unless a file's current SHA-256 (`undefined`: it does not exist) is the expected one (hex;
 * `''` expects no file).
 */
export function assertExpectedSha256(display: string, current: string | undefined, expectedSha256: string): void {
  if ((current ?? '') === expectedSha256.toLowerCase()) return;
  const shown = JSON.stringify(display);
  throw new FsError(
    'hash_mismatch',
    current === undefined
      ? `${shown} does not exist, but expectedSha256 says it should.`
      : `${shown} changed since you read it (its SHA-256 is not the one expected).`,
    {
      hint: 'Read the file again, re-apply your change to the current content, and retry with its new sha256.',
      details: { currentSha256: current ?? null },
    },
  );
}

/** Hash of a string or bytes. */
export function sha256(data: string | Uint8Array): string {
  return crypto().createHash('sha256').update(data).digest('hex');
}

function tempName(name: string): string {
  return `.${name.slice(0, 100)}.${crypto().randomBytes(6).toString('hex')}.tmp`;
}

async function writeAll(handle: FileHandle, data: Uint8Array): Promise<void> {
  let written = 0;
  while (written < data.length) {
    const { bytesWritten } = await handle.write(data, written, data.length - written);
    written += bytesWritten;
  }
}

/** Create a temporary file in `dir`, write `data` and sync it; returns its name. */
async function writeTemp(
  dir: VerifiedDir,
  name: string,
  mode: number,
  target: Pick<WriteTarget, 'allows' | 'display'>,
  fill: (handle: FileHandle) => Promise<void>,
): Promise<string> {
  const temp = tempName(name);
  const handle = await openVerified(
    dir.at(temp),
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
    target.allows,
    target.display,
    mode,
  );
  try {
    await fill(handle);
    await handle.chmod(mode).catch(() => {});
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await unlink(dir.at(temp)).catch(() => {});
    throw error;
  }
  await handle.close();
  return temp;
}

/** The result of a write. */
export interface WriteOutcome {
  created: boolean;
  bytesWritten: number;
  sha256: string;
}

/**
 * Write `data` to the target. `create` fails if anything exists at the name; `overwrite` replaces atomically
 * (keeping the old file's permission bits); `append` adds to the end (creating the file if missing).
 * `expectedSha256` (hex) must match the current content, or the file must be absent when it is `''`.
 */
export async function writeFile(
  target: WriteTarget,
  data: Uint8Array,
  options: { mode: WriteMode; expectedSha256?: string | undefined },
): Promise<WriteOutcome> {
  const parent = path.dirname(target.real);
  const name = path.basename(target.real);
  const shown = JSON.stringify(target.display);
  if (options.expectedSha256 !== undefined) {
    assertExpectedSha256(target.display, await sha256Of(target), options.expectedSha256);
  }
  let existing: Stats | undefined;
  try {
    existing = await lstat(target.real);
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw error;
  }
  if (existing?.isDirectory()) {
    throw new FsError('not_a_file', `${shown} is a directory.`, { hint: 'Choose a file name inside it.' });
  }
  if (existing && !existing.isFile()) {
    throw new FsError('not_a_file', `${shown} is not a regular file.`);
  }
  await using dir = await openDirVerified(parent, target.allows, path.dirname(target.display));

  if (options.mode === 'append') {
    const handle = await openVerified(
      dir.at(name),
      constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT,
      target.allows,
      target.display,
      0o644,
    );
    try {
      await writeAll(handle, data);
      await handle.sync();
      await handle.close();
      return { created: !existing, bytesWritten: data.length, sha256: (await sha256Of(target)) ?? '' };
    } catch (error) {
      await handle.close().catch(() => {});
      throw error;
    }
  }

  if (options.mode === 'create' && existing) {
    throw new FsError('already_exists', `${shown} already exists.`, {
      hint: 'Use mode "overwrite" to replace it (or edit_file to change part of it), or pick another name.',
    });
  }
  const fileMode = existing ? existing.mode & 0o7777 : 0o644;
  const temp = await writeTemp(dir, name, fileMode, target, (handle) => writeAll(handle, data));
  // `create` links the finished file to the name, which fails if anything (even a planted link) is there.
  await publish(dir, temp, name, options.mode === 'overwrite', target.display);
  return { created: !existing, bytesWritten: data.length, sha256: sha256(data) };
}

/** Create a directory and any missing parents; verifies the result is still inside the roots. */
export async function makeDirectory(
  real: string,
  allows: (real: string) => boolean,
  display: string,
): Promise<boolean> {
  let existed = false;
  try {
    const stats = await lstat(real);
    if (!stats.isDirectory()) {
      throw new FsError('already_exists', `${JSON.stringify(display)} exists and is not a directory.`);
    }
    existed = true;
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw error;
  }
  if (!existed) await mkdir(real, { recursive: true });
  await (await openDirVerified(real, allows, display)).close();
  return !existed;
}

/** Remove the entry at `real` (a link is removed, not its target). Directories need `recursive` unless empty. */
export async function removeEntry(
  real: string,
  options: { recursive: boolean; allows: (real: string) => boolean; display: string },
): Promise<{ kind: 'file' | 'directory' | 'symlink' | 'other' }> {
  const parent = path.dirname(real);
  const name = path.basename(real);
  await using dir = await openDirVerified(parent, options.allows, path.dirname(options.display));
  const stats = await lstat(dir.at(name));
  if (stats.isDirectory()) {
    if (options.recursive) await rm(dir.at(name), { recursive: true, force: false });
    else {
      try {
        await rmdir(dir.at(name));
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
  await unlink(dir.at(name));
  return { kind: stats.isSymbolicLink() ? 'symlink' : stats.isFile() ? 'file' : 'other' };
}

/** Put the finished temporary file `temp` at `name`: atomically refusing an existing name, or replacing it. */
async function publish(
  dir: VerifiedDir,
  temp: string,
  name: string,
  overwrite: boolean,
  display: string,
): Promise<void> {
  try {
    if (overwrite) {
      await rename(dir.at(temp), dir.at(name));
      return;
    }
    try {
      await link(dir.at(temp), dir.at(name));
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'EEXIST') throw alreadyExists(display);
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw error;
      if (await exists(dir.at(name))) throw alreadyExists(display);
      await rename(dir.at(temp), dir.at(name));
    }
  } finally {
    await unlink(dir.at(temp)).catch(() => {});
  }
}

/** The error for a destination that exists when the call did not ask to replace it. */
export function alreadyExists(display: string): FsError {
  return new FsError('already_exists', `${JSON.stringify(display)} already exists.`, {
    hint: 'Pass overwrite: true to replace it, or choose another destination.',
  });
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw error;
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

/** Copy one regular file through verified descriptors, keeping its permission bits. */
async function copyOneFile(
  from: Endpoint,
  to: Endpoint,
  overwrite: boolean,
  allows: (real: string) => boolean,
): Promise<number> {
  const source = await openVerified(from.real, READ_FLAGS, allows, from.display);
  try {
    const stats = await source.stat();
    if (!stats.isFile()) throw new FsError('not_a_file', `${JSON.stringify(from.display)} is not a regular file.`);
    await using dir = await openDirVerified(path.dirname(to.real), allows, path.dirname(to.display));
    const name = path.basename(to.real);
    if (!overwrite && (await exists(dir.at(name)))) throw alreadyExists(to.display);
    let bytes = 0;
    const temp = await writeTemp(dir, name, stats.mode & 0o7777, { allows, display: to.display }, async (handle) => {
      const buffer = Buffer.allocUnsafe(1024 * 1024);
      for (;;) {
        const { bytesRead } = await source.read(buffer, 0, buffer.length, bytes);
        if (bytesRead === 0) break;
        await writeAll(handle, buffer.subarray(0, bytesRead));
        bytes += bytesRead;
      }
    });
    await publish(dir, temp, name, overwrite, to.display);
    return bytes;
  } finally {
    await source.close().catch(() => {});
  }
}

/**
 * Copy a file, or a directory with everything in it (links inside are skipped and counted). Refuses an existing
 * destination unless `overwrite` (files only: a directory is never merged into another).
 */
export async function copyEntry(
  from: Endpoint,
  to: Endpoint,
  options: { overwrite: boolean; allows: (real: string) => boolean; signal?: AbortSignal },
): Promise<CopyOutcome> {
  const outcome: CopyOutcome = { files: 0, directories: 0, bytes: 0, skippedLinks: 0 };
  const stats = await lstat(from.real);
  if (!stats.isDirectory()) {
    outcome.bytes = await copyOneFile(from, to, options.overwrite, options.allows);
    outcome.files = 1;
    return outcome;
  }
  if (to.real === from.real || to.real.startsWith(from.real + path.sep)) {
    throw new FsError('invalid_path', `Cannot copy ${JSON.stringify(from.display)} into itself.`);
  }
  if (await exists(to.real)) {
    throw new FsError('already_exists', `${JSON.stringify(to.display)} already exists.`, {
      hint: 'Directories are never merged: delete the destination first or choose a new name.',
    });
  }
  const copyDir = async (src: Endpoint, dst: Endpoint): Promise<void> => {
    options.signal?.throwIfAborted();
    await mkdir(dst.real);
    await (await openDirVerified(dst.real, options.allows, dst.display)).close();
    outcome.directories++;
    for (const entry of await readdir(src.real, { withFileTypes: true })) {
      const child = { real: path.join(src.real, entry.name), display: `${src.display}/${entry.name}` };
      const target = { real: path.join(dst.real, entry.name), display: `${dst.display}/${entry.name}` };
      if (entry.isDirectory()) await copyDir(child, target);
      else if (entry.isFile()) {
        outcome.bytes += await copyOneFile(child, target, false, options.allows);
        outcome.files++;
      } else outcome.skippedLinks++;
    }
  };
  await copyDir(from, to);
  return outcome;
}

/**
 * Move or rename an entry (a link moves as a link). Without `overwrite`, an existing destination is refused; for
 * files that refusal is atomic (hard link, then unlink). Across devices it copies, then removes the source.
 */
export async function moveEntry(
  from: Endpoint,
  to: Endpoint,
  options: { overwrite: boolean; allows: (real: string) => boolean },
): Promise<{ kind: 'file' | 'directory' | 'symlink' | 'other' }> {
  await using src = await openDirVerified(path.dirname(from.real), options.allows, path.dirname(from.display));
  await using dst = await openDirVerified(path.dirname(to.real), options.allows, path.dirname(to.display));
  const fromName = path.basename(from.real);
  const toName = path.basename(to.real);
  const stats = await lstat(src.at(fromName));
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
        await link(src.at(fromName), dst.at(toName));
        await unlink(src.at(fromName));
        return { kind };
      } catch (error) {
        const code = errnoCode(error);
        if (code === 'EEXIST') throw alreadyExists(to.display);
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV' && code !== 'EMLINK') {
          throw error;
        }
      }
    }
    if (!options.overwrite && (await exists(dst.at(toName)))) throw alreadyExists(to.display);
    await rename(src.at(fromName), dst.at(toName));
    return { kind };
  } catch (error) {
    if (errnoCode(error) !== 'EXDEV') throw error;
    await copyEntry(from, to, { overwrite: options.overwrite, allows: options.allows });
    await rm(from.real, { recursive: true });
    return { kind };
  }
}
