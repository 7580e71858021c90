/**
 * Writing files inside the roots without being redirected out of them.
 *
 * Every write happens by name under the file's parent directory, held open and verified at its real path
 * (`holdDir`, see `dirfd.ts`), so a parent swapped for a link after the check cannot move the write elsewhere. New
 * content goes to a temporary file created with `O_CREAT | O_EXCL | O_NOFOLLOW` in that directory (a link planted at
 * that name makes it fail rather than write through), synced, and then renamed over the target (overwrite) or
 * hard-linked to it (create: fails if the name exists, atomically).
 */
import { constants, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { type HeldDir, holdDir, linkBetween, READ_FLAGS, renameBetween } from './dirfd.js';
import { errnoCode, FsError } from './errors.js';
import { regularStats } from './open.js';

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

/** Hold the parent directory of a real path; returns it with the final name. */
export async function holdParent(real: string, display: string): Promise<{ dir: HeldDir; name: string }> {
  return { dir: await holdDir(path.dirname(real), path.dirname(display)), name: path.basename(real) };
}

/**
 * The file at `target`, opened for reading by name under its held parent, with its stats; `undefined` when nothing
 * is there (nor its directory), `not_a_file` when something else is. The caller closes the handle.
 */
export async function openExistingFile(target: WriteTarget): Promise<{ handle: FileHandle; stats: Stats } | undefined> {
  let handle: FileHandle;
  try {
    const { dir, name } = await holdParent(target.real, target.display);
    try {
      handle = await dir.open(name, READ_FLAGS);
    } finally {
      dir.close();
    }
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    if (errnoCode(error) === 'ELOOP') throw changedInto(target.display);
    throw error;
  }
  try {
    return { handle, stats: await regularStats(handle, target.display) };
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }
}

/** The error for a name that became a symbolic link since it was resolved. */
function changedInto(display: string): FsError {
  return new FsError(
    'access_denied',
    `${JSON.stringify(display)} changed into a symbolic link while it was being accessed.`,
    {
      hint: 'Try again; if it keeps failing, the path is being changed by something else.',
    },
  );
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

/** Write all of `data` to an open file. */
export async function writeAll(handle: FileHandle, data: Uint8Array): Promise<void> {
  let written = 0;
  while (written < data.length) {
    const { bytesWritten } = await handle.write(data, written, data.length - written);
    written += bytesWritten;
  }
}

/** Create a temporary file in `dir` (never through a link), fill it and sync it; returns its name. */
export async function writeTemp(
  dir: HeldDir,
  name: string,
  mode: number,
  fill: (handle: FileHandle) => Promise<void>,
): Promise<string> {
  const temp = tempName(name);
  const handle = await dir.open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    await fill(handle);
    await handle.chmod(mode).catch(() => {});
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await dir.unlink(temp).catch(() => {});
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
  const shown = JSON.stringify(target.display);
  if (options.expectedSha256 !== undefined) {
    assertExpectedSha256(target.display, await sha256Of(target), options.expectedSha256);
  }
  const held = await holdParent(target.real, target.display);
  await using dir = held.dir;
  const name = held.name;
  const existing = await dir.lstat(name);
  if (existing?.isDirectory()) {
    throw new FsError('not_a_file', `${shown} is a directory.`, { hint: 'Choose a file name inside it.' });
  }
  if (existing?.isSymbolicLink()) throw changedInto(target.display);
  if (existing && !existing.isFile()) {
    throw new FsError('not_a_file', `${shown} is not a regular file.`);
  }

  if (options.mode === 'append') {
    const handle = await dir
      .open(name, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o644)
      .catch((error: unknown) => {
        throw errnoCode(error) === 'ELOOP' ? changedInto(target.display) : error;
      });
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
  const temp = await writeTemp(dir, name, fileMode, (handle) => writeAll(handle, data));
  // `create` links the finished file to the name, which fails if anything (even a planted link) is there.
  await publish(dir, temp, name, options.mode === 'overwrite', target.display);
  return { created: !existing, bytesWritten: data.length, sha256: sha256(data) };
}

/** Put the finished temporary file `temp` at `name`: atomically refusing an existing name, or replacing it. */
export async function publish(
  dir: HeldDir,
  temp: string,
  name: string,
  overwrite: boolean,
  display: string,
): Promise<void> {
  try {
    if (overwrite) {
      await renameBetween(dir, temp, dir, name);
      return;
    }
    try {
      await linkBetween(dir, temp, dir, name);
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'EEXIST') throw alreadyExists(display);
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw error;
      if ((await dir.lstat(name)) !== undefined) throw alreadyExists(display);
      await renameBetween(dir, temp, dir, name);
    }
  } finally {
    await dir.unlink(temp).catch(() => {});
  }
}

/** The error for a destination that exists when the call did not ask to replace it. */
export function alreadyExists(display: string): FsError {
  return new FsError('already_exists', `${JSON.stringify(display)} already exists.`, {
    hint: 'Pass overwrite: true to replace it, or choose another destination.',
  });
}
