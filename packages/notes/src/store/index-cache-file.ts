/**
 * The index's files: opening the cache file of a notes folder (or deciding it cannot be trusted and starting it
 * afresh), and the private indexes of processes that could not have the cache.
 *
 * The cache is only ever a copy of what the files say. A file that is not a SQLite database, one of another schema
 * version, of another folder, one that holds tables but none of ours (another program's database), one shorter
 * than its own header says (torn), or one whose first build was cut off is removed and rebuilt: never trusted.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { DDL, LIST_INDEXES, SCHEMA_VERSION } from './index-schema.js';
import { livenessOf, OWNER_TAG, ownerOfTag } from './owner.js';

export function configure(db: DatabaseSync): void {
  db.exec('PRAGMA locking_mode=EXCLUSIVE');
  db.exec('PRAGMA journal_mode=WAL');
  db.exec('PRAGMA synchronous=NORMAL');
  db.exec('PRAGMA cache_size=-16384');
}

export function removeDatabase(file: string): void {
  // The marker goes last: until the database is gone, it must still say that the database is not to be trusted.
  for (const suffix of ['', '-wal', '-shm', '-journal', TEXT_BUILD_SUFFIX, BUILDING_SUFFIX]) {
    rmSync(file + suffix, { force: true });
  }
}

/**
 * A marker beside a cache file whose first build runs without a journal or fsync (see
 * {@link SearchIndex.bulk}): made durable before the first such write, removed once the database is synced and back
 * in WAL mode. A cache found with it was cut off mid-build and may be torn, so it is started afresh.
 */
export const BUILDING_SUFFIX = '.building';

export function writeDurably(file: string): void {
  const fd = openSync(file, 'w');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    const dir = openSync(path.dirname(file), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // Folders cannot be opened for fsync on some platforms (Windows); the file's own fsync is what they offer.
  }
}

/** The suffix of a text build's file, beside the index's own. */
export const TEXT_BUILD_SUFFIX = '.text-build';

/** A private index's files in the temp folder: the database, its journal, WAL and shared memory, its text build. */
const SCRATCH = new RegExp(`^mcp-notes-index-${OWNER_TAG}-[0-9a-f]{8}\\.sqlite`);

/**
 * Remove the private indexes of processes that died without closing theirs (a second server killed), from the temp
 * folder, which many programs share: only files named like ours whose owner is provably dead go (see
 * {@link ./owner.ts}); a live process's index, another machine's or container's, or anything else, never.
 */
export function sweepScratch(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const match = SCRATCH.exec(name);
    if (!match) continue;
    if (livenessOf(ownerOfTag(match[1] as string, match[2] as string, match[3] as string)) !== 'dead') continue;
    try {
      const file = path.join(dir, name);
      if (lstatSync(file).isFile()) rmSync(file, { force: true });
    } catch {}
  }
}

export function openCache(file: string, root: string): DatabaseSync | undefined {
  mkdirSync(path.dirname(file), { recursive: true });
  const attempt = (): DatabaseSync => {
    // Closed cleanly, a cache has no WAL: every page is then in the file, which cannot be shorter than they are.
    const walLeft = existsSync(`${file}-wal`);
    const size = existsSync(file) ? statSync(file).size : 0;
    const db = new DatabaseSync(file, { timeout: 0 });
    try {
      configure(db);
      const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
      if (version !== 0 && version !== SCHEMA_VERSION) throw new Error('schema version changed');
      if (version === 0 && db.prepare('SELECT 1 AS one FROM sqlite_master LIMIT 1').get() !== undefined) {
        throw new Error('a database that is not an index of ours');
      }
      if (!walLeft && size > 0) {
        const pages = (db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
        const pageSize = (db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size;
        if (pages * pageSize > size) throw new Error('the cache file is torn (shorter than its pages)');
      }
      db.exec(DDL);
      db.exec(LIST_INDEXES);
      const stored = db.prepare("SELECT value FROM meta WHERE key = 'root'").get() as { value: string } | undefined;
      if (stored && stored.value !== root) throw new Error('cache of another folder');
      // The first write takes the exclusive lock, held until close: a second process fails here.
      db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('root', ?)").run(root);
      // Holding the lock, so no build of another process is under way: this marker is one that crashed.
      if (existsSync(file + BUILDING_SUFFIX)) throw new Error('a first build without a journal was interrupted');
      db.exec(`PRAGMA user_version=${SCHEMA_VERSION}`);
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  };
  try {
    return attempt();
  } catch (error) {
    if (/locked|busy/i.test(String((error as Error).message))) return undefined;
    // Unreadable, corrupt or outdated: it is only a cache, so start it afresh.
    removeDatabase(file);
    try {
      return attempt();
    } catch {
      return undefined;
    }
  }
}
