/**
 * Durable, atomic file writes: the content goes to a hidden temp file in the same folder, is fsynced, and then
 * takes the target's name in one step (rename, or a hard link when the target must not already exist), after which
 * the folder itself is fsynced so the new name survives a power cut. A reader sees the old file or the new one,
 * never a mix. Hand-written rather than `write-file-atomic` because we also need the no-clobber form for creates
 * and the folder fsync.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** node:crypto on first use: loading it costs ~3 ms of a server's start. */
const crypto = () => process.getBuiltinModule('node:crypto');

/** Temp files start with this, so scans and watchers can ignore them (and a crash leaves them recognisable). */
export const TEMP_PREFIX = '.mcp-notes-';

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

async function writeTemp(dir: string, content: string): Promise<string> {
  const temp = path.join(dir, `${TEMP_PREFIX}${crypto().randomBytes(6).toString('hex')}.tmp`);
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
  return temp;
}

/** Replace (or create) `file` with `content` atomically and durably. */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const dir = path.dirname(file);
  const temp = await writeTemp(dir, content);
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
  const temp = await writeTemp(dir, content);
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
