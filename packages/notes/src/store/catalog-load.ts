/**
 * The catalog's first scan of an open: synchronous, because nothing is served until it is done, and sync I/O is
 * faster in bulk. Every file is stat'ed and compared with the cache; what is new or changed is read and stored (a
 * large first build as a bulk load, its text left to the worker or the background), what is gone is forgotten.
 */
import { readFileSync, type Stats, statSync } from 'node:fs';
import { BULK_THRESHOLD } from './catalog-text.js';
import { stampOf } from './folder-scan.js';
import { type WalkOptions, walkFolderSync } from './folder-walk.js';
import type { Entry, SearchIndex } from './search-index.js';
import { sweepTempFiles } from './temp-files.js';

/** Files read and stored per transaction by a scan. */
const SCAN_CHUNK = 2000;

/** What the load works on: the catalog's index and how it stores and forgets files. */
export interface LoadHost {
  readonly index: SearchIndex;
  /** How long text goes into the full-text index as files are read, before the rest is left to the background. */
  readonly textBudgetMs: number;
  /** The walk of the whole folder, telling `temps` of the temp files met. */
  walkOptions(temps: string[]): WalkOptions;
  ingest(relative: string, stamp: string, text: string | undefined, stat: Stats, known: boolean): void;
  remove(entry: Entry): void;
  /** From now on, store notes without their text (it is indexed in the background), or with it again. */
  deferText(defer: boolean): void;
  /** Start building the full-text table on a worker; false when it cannot (text is then indexed here). */
  startTextBuild(): boolean;
}

/**
 * Scan the whole folder at once. True when it was a bulk load (many files at once: the full-text index is then
 * merged in the background). A meta row marks the load as under way until it is whole, so that a cache left by a
 * load cut off is never served as it is on the next open (see {@link SearchIndex.loading}).
 */
export function loadFolderSync(host: LoadHost): boolean {
  const { index } = host;
  const files: { relative: string; absolute: string; stat: Stats }[] = [];
  const temps: string[] = [];
  for (const file of walkFolderSync(host.walkOptions(temps))) {
    try {
      files.push({ ...file, stat: statSync(file.absolute) });
    } catch {}
  }
  // Oldest first, so rowids follow recency (and the older of two files claiming one id keeps it).
  files.sort((a, b) => a.stat.mtimeMs - b.stat.mtimeMs || (a.relative < b.relative ? -1 : 1));
  const seen = new Set(files.map((file) => file.relative));
  const known = new Map<string, string>();
  for (const { path: relative, stamp } of index.stamps()) known.set(relative, stamp);
  const changed = files.filter((file) => known.get(file.relative) !== stampOf(file.stat));
  index.setLoading(true);
  // Text goes into the full-text index as files are read until the time budget is spent; past it, a large first
  // build stores the rest without text and indexes it in the background, so opening never blocks for long.
  const deadline = Date.now() + host.textBudgetMs;
  const load = (defer: boolean) => {
    for (let start = 0; start < changed.length; start += SCAN_CHUNK) {
      host.deferText(defer && Date.now() >= deadline);
      // Commit in chunks: a bounded WAL and FTS5 pending-terms buffer, however large the folder.
      index.transaction(() => {
        for (const file of changed.slice(start, start + SCAN_CHUNK)) {
          let text: string | undefined;
          try {
            text = readFileSync(file.absolute, 'utf8');
          } catch {}
          host.ingest(file.relative, stampOf(file.stat), text, file.stat, known.has(file.relative));
        }
      });
    }
  };
  const bulk = changed.length > BULK_THRESHOLD;
  if (bulk) {
    try {
      // With the text going to the worker, none is indexed here, so no time budget is needed.
      index.bulk(() => load(!host.startTextBuild()), known.size === 0);
    } finally {
      host.deferText(false);
    }
  } else load(false);
  index.transaction(() => {
    for (const relative of known.keys()) {
      if (seen.has(relative)) continue;
      const entry = index.byPath(relative);
      if (entry) host.remove(entry);
    }
  });
  index.setLoading(false);
  // Temp files of writers killed mid-write (this process's earlier life included), before anything is served.
  sweepTempFiles(temps);
  return bulk;
}
