/**
 * Durable, atomic file writes: the content goes to a hidden temp file in the same folder, is fsynced, and then
 * takes the target's name in one step (rename, or a hard link when the target must not already exist), after which
 * the folder itself is fsynced so the new name survives a power cut. A reader sees the old file or the new one,
 * never a mix, and a process killed at any point leaves the old file whole. Hand-written rather than
 * `write-file-atomic` because we also need the no-clobber form for creates and the folder fsync.
 *
 * The temp file is named for this process ({@link tempFileName}): one a killed process leaves is removed by the next
 * scan of the folder, while a live process's, mid-write, is left alone (see {@link ./temp-files.ts}).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { tempFileName } from './temp-files.js';

/**
 * A test seam: when set, awaited once a write's temp file is complete and synced, just before it takes the note's
 * name, so a test can hold a write there (another process then finds a live writer's temp file) or kill the process
 * there. Nothing else sets it.
 */
export const writeSeam: { beforeCommit?: (temp: string, target: string) => Promise<void> } = {};

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

async function fsyncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (error) {
    // Windows cannot open or fsync a directory; the rename is still atomic there.
    if (!['EISDIR', 'EPERM', 'EACCES', 'EINVAL', 'EBADF'].includes(errno(error) ?? '')) throw error;
  } finally {
    await handle?.close().catch(() => {});
  }
}

/**
 * Write `content` to a new temp file beside `target` (named for this process, see {@link tempFileName}, so a sweep
 * can tell it from a dead process's) and sync it.
 */
async function writeTemp(target: string, content: string): Promise<string> {
  const temp = path.join(path.dirname(target), tempFileName());
  const handle = await fs.open(temp, 'wx', 0o644);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await fs.unlink(temp).catch(() => {});
    throw error;
  }
  await handle.close();
  if (writeSeam.beforeCommit) {
    try {
      await writeSeam.beforeCommit(temp, target);
    } catch (error) {
      await fs.unlink(temp).catch(() => {});
      throw error;
    }
  }
  return temp;
}

/** Replace (or create) `file` with `content` atomically and durably. */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const dir = path.dirname(file);
  const temp = await writeTemp(file, content);
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.unlink(temp).catch(() => {});
    throw error;
  }
  await fsyncDirectory(dir);
}

/**
 * Create `file` with `content` atomically and durably, only if no file has that name. Resolves false (writing
 * nothing) when the name is taken.
 */
export async function createFileAtomic(file: string, content: string): Promise<boolean> {
  const dir = path.dirname(file);
  const temp = await writeTemp(file, content);
  try {
    try {
      await fs.link(temp, file);
    } catch (error) {
      if (errno(error) === 'EEXIST') return false;
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK'].includes(errno(error) ?? '')) throw error;
      // No hard links on this file system: check, then rename. Writers hold the folder lock, so only a person
      // creating the same name in the same instant could slip in between.
      if (await exists(file)) return false;
      await fs.rename(temp, file);
    }
  } finally {
    await fs.unlink(temp).catch(() => {});
  }
  await fsyncDirectory(dir);
  return true;
}

/**
 * Move `from` to `to` (same file system) without replacing anything at `to`; false when `to` exists. Used for
 * trash and restore, which must never overwrite a note.
 */
export async function moveNoClobber(from: string, to: string): Promise<boolean> {
  await fs.mkdir(path.dirname(to), { recursive: true });
  try {
    await fs.link(from, to);
    await fs.unlink(from);
  } catch (error) {
    if (errno(error) === 'EEXIST') return false;
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK'].includes(errno(error) ?? '')) throw error;
    if (await exists(to)) return false;
    await fs.rename(from, to);
  }
  await fsyncDirectory(path.dirname(to));
  await fsyncDirectory(path.dirname(from));
  return true;
}

/** True when something exists at `file` (without following a final symlink). */
export async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch (error) {
    if (errno(error) === 'ENOENT') return false;
    throw error;
  }
}
