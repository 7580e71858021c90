/**
 * The background check of a notes folder against its catalog: which files are new, changed (by mtime, size or
 * inode) or gone, done in slices so that calls are served throughout (see {@link ./time-slice.ts}), however large the
 * folder. Catalog changes made while it runs (writes through the store, watcher events) win over what it found: every
 * change gives an entry a new rowid, so an entry newer than the scan's start is left alone.
 */
import { promises as fs, lstatSync, type Stats, statSync } from 'node:fs';
import type { WalkedFile } from './folder-walk.js';
import type { Entry, SearchIndex } from './search-index.js';
import type { Slicer } from './time-slice.js';

/** The stamp of a file: what says it may have changed. */
export function stampOf(stat: Stats): string {
  return `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
}

/** What a scan works on: the catalog's index and how the catalog stores and forgets files. */
export interface ScanHost {
  readonly index: SearchIndex;
  /** Store what the file at `relative` holds (`text` undefined: it could not be read). */
  ingest(relative: string, stamp: string, text: string | undefined, stat: Stats): void;
  /** Forget an entry whose file is gone. */
  remove(entry: Entry): void;
  /** True once the catalog is closed: the scan stops. */
  closed(): boolean;
  /** The absolute path of a file inside the notes folder. */
  absolute(relative: string): string;
}

/** How many changed files are read at once (their reads overlap off the thread). */
const READ_BATCH = 64;
/** How many known files are looked up per step when looking for those gone. */
const GONE_BATCH = 500;

/**
 * Bring the catalog up to date with `files` (a walk of the folder, or of the folder `under`): ingest what is new or
 * changed, forget what is gone. `startRowid` is the largest rowid when the walk began: entries past it were written
 * meanwhile, and are newer than anything this scan saw.
 */
export async function scanFolder(
  host: ScanHost,
  files: readonly WalkedFile[],
  options: { startRowid: number; under?: string; slice: Slicer },
): Promise<void> {
  const { index } = host;
  const { startRowid, slice } = options;
  const seen = new Set<string>();
  const changed: { file: WalkedFile; stat: Stats }[] = [];
  for (const file of files) {
    if (host.closed()) return;
    seen.add(file.relative);
    let stat: Stats;
    try {
      stat = statSync(file.absolute);
    } catch {
      continue;
    }
    if (index.stampAt(file.relative)?.stamp !== stampOf(stat)) changed.push({ file, stat });
    await slice();
  }
  // Gone first, so that a note renamed meets no stale holder of its id at its new path.
  // Gone: known before the walk began, not met by it, and still not there now.
  for (let after = 0; ; ) {
    if (host.closed()) return;
    const known = index.knownPaths(after, startRowid, GONE_BATCH, options.under);
    if (known.length === 0) break;
    after = (known.at(-1) as { rowid: number }).rowid;
    index.transaction(() => {
      for (const { rowid, path } of known) {
        if (seen.has(path)) continue;
        const entry = index.byRowid(rowid);
        if (entry && !isFile(host, entry)) host.remove(entry);
      }
    });
    await slice();
  }
  for (let start = 0; start < changed.length; start += READ_BATCH) {
    const batch = changed.slice(start, start + READ_BATCH);
    const texts = await Promise.all(batch.map(({ file }) => fs.readFile(file.absolute, 'utf8').catch(() => undefined)));
    if (host.closed()) return;
    index.transaction(() => {
      batch.forEach(({ file, stat }, i) => {
        const current = index.stampAt(file.relative);
        if (current && (current.rowid > startRowid || current.stamp === stampOf(stat))) return;
        host.ingest(file.relative, stampOf(stat), texts[i], stat);
      });
    });
    await slice();
  }
}

function isFile(host: ScanHost, entry: Entry): boolean {
  try {
    return lstatSync(host.absolute(entry.path)).isFile();
  } catch {
    return false;
  }
}
