/**
 * The store's temp files, and the sweep that removes those a killed process left behind.
 *
 * Every temp file the store writes in the notes folder (an atomic write's content, a lock's record before it is
 * linked into place) is named `.mcp-notes-<scope>-<pid>-<start>-<random>.tmp` (see {@link ./owner.ts}), so whoever
 * finds one can tell whose it is. The sweep, run by every full scan of the folder (the first one when the store
 * opens), removes a temp file when:
 * - its owner is provably dead: same scope, and no process has its pid or the one that has it started at another
 *   time. Removed at once, whatever its age;
 * - or its owner cannot be checked from here (another host or container, a boot since, a pid whose start cannot be
 *   compared) or its name is not one of ours (an older version's, a hand-made one), and it has not been modified for
 *   {@link FOREIGN_TEMP_MAX_AGE_MS}: a write takes milliseconds, seconds on a slow network share.
 *
 * A temp file of a live owner is never removed, however old. Only hidden regular files named `.mcp-notes…tmp` are
 * candidates, so a note (a visible `.md` file) cannot be one; a temp file that was already linked into place as a
 * note (a create killed between the link and the unlink) shares the note's inode, and removing its name leaves the
 * note whole.
 */
import { lstatSync, unlinkSync } from 'node:fs';
import { livenessOf, OWNER_TAG, ownerOfTag, ownerTag } from './owner.js';

/** node:crypto on first use: loading it costs ~3 ms of a server's start. */
const crypto = () => process.getBuiltinModule('node:crypto');

/** Temp files start with this, so scans and watchers can ignore them (and a crash leaves them recognisable). */
export const TEMP_PREFIX = '.mcp-notes-';

/** How long a temp file whose owner cannot be checked is left alone after its last change. */
export const FOREIGN_TEMP_MAX_AGE_MS = 60 * 60 * 1000;

const OURS = new RegExp(`^\\.mcp-notes-${OWNER_TAG}-[0-9a-f]{8,32}\\.tmp$`);

/** A fresh temp file name owned by this process. */
export function tempFileName(): string {
  return `${TEMP_PREFIX}${ownerTag()}-${crypto().randomBytes(8).toString('hex')}.tmp`;
}

/**
 * True for a name the sweep considers: this version's temp files, an older version's (`.mcp-notes-<hex>.tmp`,
 * `.mcp-notes.lock.<uuid>.tmp`), and anything else named `.mcp-notes…tmp`.
 */
export function isTempFileName(name: string): boolean {
  return name.startsWith('.mcp-notes') && name.endsWith('.tmp');
}

/** Why a temp file is removed, or that it is kept. */
export type TempVerdict = 'owner-dead' | 'stale' | 'keep';

/** What to do with the temp file `name`, last modified at `mtimeMs`. */
export function judgeTempFile(name: string, mtimeMs: number, now = Date.now()): TempVerdict {
  const match = OURS.exec(name);
  if (match) {
    const liveness = livenessOf(ownerOfTag(match[1] as string, match[2] as string, match[3] as string));
    if (liveness === 'dead') return 'owner-dead';
    if (liveness === 'alive') return 'keep';
  }
  return now - mtimeMs > FOREIGN_TEMP_MAX_AGE_MS ? 'stale' : 'keep';
}

/**
 * Remove the temp files among `files` (absolute paths of names {@link isTempFileName} accepts) that a dead or long
 * gone process left behind. Returns the ones removed. Never throws: a file that cannot be removed is left.
 */
export function sweepTempFiles(files: Iterable<string>, now = Date.now()): string[] {
  const removed: string[] = [];
  for (const file of files) {
    try {
      const stat = lstatSync(file);
      if (!stat.isFile()) continue;
      const name = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
      if (!isTempFileName(name) || judgeTempFile(name, stat.mtimeMs, now) === 'keep') continue;
      unlinkSync(file);
      removed.push(file);
    } catch {
      // Gone already (another process swept it, or its owner finished), or not ours to remove.
    }
  }
  return removed;
}
