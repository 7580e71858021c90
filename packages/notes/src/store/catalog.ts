/**
 * The catalog: what the store knows about every file in the notes folder, kept in step with the files.
 *
 * The files are the source of truth. The catalog (and the search index it feeds) is a cache, kept in step from
 * `fs.watch` events (just the files they name are re-read) and from mtime/size/inode scans: at open, and periodically
 * as a safety net. A scan after open runs in the background, in slices that give way to calls (see time-slice.ts); a
 * large folder whose cache is whole opens without one (served at once, checked in the background). So a note edited
 * in Obsidian or written by another server process is seen without a restart.
 */

import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { applyChanges, type ChangeHost, watchFolder } from './catalog-changes.js';
import { holdsEntry, noteFacts } from './catalog-entry.js';
import { loadFolderSync } from './catalog-load.js';
import { LostNotes } from './catalog-lost.js';
import type { CatalogOptions } from './catalog-options.js';
import { TextIndexer } from './catalog-text.js';
import { type ScanHost, scanFolder, stampOf } from './folder-scan.js';
import { type WalkOptions, walkFolder } from './folder-walk.js';
import type { FolderWatcher } from './folder-watcher.js';
import { derivedNoteId } from './names.js';
import { type NoteProblem, type ParsedNote, parseNoteFile } from './note-file.js';
import type { Problem as NotesProblem } from './notes-store.js';
import { type Entry, SearchIndex } from './search-index.js';
import { sweepTempFiles } from './temp-files.js';
import { CallGate, createSlicer } from './time-slice.js';

export { contentHash, effectiveVersion } from './catalog-entry.js';
export type { CatalogOptions } from './catalog-options.js';
export type { Entry } from './search-index.js';

/** A file the catalog skips, and why. */
export type Problem = NotesProblem;

const toPosix = (relative: string) => (path.sep === '/' ? relative : relative.split(path.sep).join('/'));

/** The catalog of one notes folder. Create with {@link Catalog.open}. */
export class Catalog {
  readonly root: string;
  readonly #options: CatalogOptions;
  readonly index: SearchIndex;
  /** The calls being served: background work (scans, indexing) gives way to them. */
  readonly calls = new CallGate();
  #watcher: FolderWatcher | undefined;
  readonly #dirty = new Set<string>();
  /** Live notes whose file last read as something else: a reader that misses one reads that file again. */
  readonly lost = new LostNotes();
  #nextRowid = 1;
  #needsFullScan = false;
  #lastFullScan = 0;
  /** The background scan running, if any. */
  #scanning: Promise<void> | undefined;
  /** Watcher events being applied, if any. */
  #applying: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** How long the last full scan took: the next waits at least a few times that. */
  #lastScanMs = 0;
  #closed = false;
  /** During a first (bulk) build: store notes now, add their text to the full-text table in the background. */
  #deferText = false;
  /** Set when this open loaded many files at once: the full-text index is then merged in the background. */
  #bulkLoaded = false;
  /** The full-text indexing (a first build's worker, pending notes, merging). */
  readonly #text: TextIndexer;

  /** What scans and watcher changes work on. */
  readonly #host: ScanHost & ChangeHost;

  private constructor(options: CatalogOptions) {
    this.root = options.root;
    this.#options = options;
    this.index = new SearchIndex(options.cacheFile, options.root);
    this.#host = {
      index: this.index,
      absolute: (relative) => this.absolute(relative),
      closed: () => this.#closed,
      scan: (relative) => this.#scan(relative),
      remove: (entry) => this.#remove(entry),
      ingest: (relative, stamp, text, stat) => this.#ingest(relative, stamp, text, stat),
    };
    this.#text = new TextIndexer({
      index: this.index,
      textWorker: options.textWorker,
      absolute: (relative) => this.absolute(relative),
      isClosed: () => this.#closed,
      gate: this.calls,
    });
  }

  /** Open the catalog: load the cache (if any), scan the folder, start watching. */
  static async open(options: CatalogOptions): Promise<Catalog> {
    const catalog = new Catalog(options);
    try {
      await fs.mkdir(path.join(options.root, options.trashDir), { recursive: true });
      catalog.#nextRowid = catalog.index.maxRowid() + 1;
      if (options.watch) catalog.#startWatching();
      const index = catalog.index;
      // Trusted when its entries are whole (no load was cut off): a first build whose text is still pending or whose
      // segments are not yet merged is served at once too, and finished in the background (see TextIndexer.start).
      const trusted = index.persistent && index.count('files') > options.syncScanMax && !index.loading();
      if (trusted) void catalog.#backgroundScan();
      else catalog.#fullScanSync();
      catalog.#scheduleRescan();
      catalog.#text.start(catalog.#bulkLoaded);
    } catch (error) {
      catalog.close();
      throw error;
    }
    return catalog;
  }

  /** The live note with `id`. */
  live(id: string): Entry | undefined {
    return this.index.byId(id, false);
  }

  /** The note with `id` in the trash (the most recently trashed, if several). */
  trashed(id: string): Entry | undefined {
    return this.index.byId(id, true);
  }

  /** The entry with `rowid`. */
  byRowid(rowid: number): Entry | undefined {
    return this.index.byRowid(rowid);
  }

  /** The files the catalog skips (the first `limit`, by path), and why. */
  problems(limit?: number): Problem[] {
    return this.index.problems(limit).map((entry) => ({ path: entry.path, ...(entry.problem as NoteProblem) }));
  }

  /** How many files the catalog skips. */
  problemCount(): number {
    return this.index.count('problems');
  }

  /** True while the folder is watched (changes are then seen as they happen, not only by scans). */
  get watching(): boolean {
    return this.#watcher?.active ?? false;
  }

  /** Absolute path of an entry's file. */
  absolute(relative: string): string {
    return path.join(this.root, ...relative.split('/'));
  }

  /** The path inside the folder of an absolute path. */
  relative(absolute: string): string {
    return toPosix(path.relative(this.root, absolute));
  }

  /** True when `relative` is inside the trash folder. */
  isTrash(relative: string): boolean {
    const trash = toPosix(this.#options.trashDir);
    return relative === trash || relative.startsWith(`${trash}/`);
  }

  /**
   * Bring the catalog up to date with the files, as far as is cheap: the files named by watcher events are re-read.
   * A scan that is due (no watcher, or one that missed something) starts in the background: calls do not wait for it,
   * unless `force` (or a rescan interval of 0 without a watcher: a scan before every call) asks to.
   */
  refresh(force = false): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (force || (!this.#watcher?.active && this.#options.rescanIntervalMs <= 0)) {
      return this.calls.urgent(() => this.#scanNow());
    }
    const due = !this.#watcher?.active && Date.now() - this.#lastFullScan >= this.#options.rescanIntervalMs;
    if (this.#needsFullScan || due) void this.#backgroundScan();
    if (this.#dirty.size > 0) {
      const previous = this.#applying ?? Promise.resolve();
      const current = previous.then(() => this.calls.urgent(() => this.#applyDirty()));
      this.#applying = current.finally(() => {
        if (this.#applying === current) this.#applying = undefined;
      });
      return current;
    }
    return this.#applying ?? Promise.resolve();
  }

  /** A full scan that starts now (after the one running, if any, which may have begun before the change wanted). */
  async #scanNow(): Promise<void> {
    while (this.#scanning) await this.#scanning.catch(() => {});
    if (this.#closed) return;
    if (this.#dirty.size > 0) await this.#applyDirty();
    await this.#backgroundScan();
  }

  /** Start a full scan in the background, unless one runs; resolves when it is done. */
  #backgroundScan(): Promise<void> {
    if (this.#scanning) return this.#scanning;
    this.#needsFullScan = false;
    const current = this.#scan('')
      .catch(() => {
        // A file system or index error mid-scan (the catalog closed under it, a folder gone): try again later.
        if (!this.#closed) this.#needsFullScan = true;
      })
      .finally(() => {
        if (this.#scanning === current) this.#scanning = undefined;
        this.#scheduleRescan();
      });
    this.#scanning = current;
    return current;
  }

  /** Scan the folder (`under` '': the whole notes folder) in slices, sweeping temp files and watching folders met. */
  async #scan(under: string): Promise<void> {
    const started = performance.now();
    const startRowid = this.#nextRowid - 1;
    const temps: string[] = [];
    const slice = createSlicer(undefined, this.calls);
    const files = await walkFolder(
      this.#walkOptions(under === '' ? this.root : this.absolute(under), under, temps),
      slice,
    );
    // A writer killed while this process runs leaves its temp files to the next scan.
    sweepTempFiles(temps);
    if (this.#closed) return;
    await scanFolder(this.#host, files, { startRowid, slice, ...(under === '' ? {} : { under }) });
    if (under === '') {
      this.#lastFullScan = Date.now();
      this.#lastScanMs = performance.now() - started;
    }
  }

  #walkOptions(dir: string, relativeDir: string, temps: string[]): WalkOptions {
    return {
      dir,
      relativeDir,
      trash: path.join(this.root, this.#options.trashDir),
      onTemp: (absolute) => temps.push(absolute),
      onFolder: (folder) => this.#watcher?.watch(folder),
    };
  }

  /**
   * Record what the store just wrote (or moved), so this process sees its own writes at once. `parsed` is the note
   * as written; `undefined` removes the entry for `relative`.
   */
  async record(relative: string, parsed: ParsedNote | undefined, carry?: Entry): Promise<Entry | undefined> {
    if (!parsed) {
      const existing = this.index.byPath(relative);
      if (existing) this.#remove(existing);
      return undefined;
    }
    const stat = await fs.stat(this.absolute(relative));
    return this.#put(relative, stampOf(stat), { note: parsed }, true, carry);
  }

  /**
   * Bring one file's entry up to date with `text`, read just after `stat` was taken (so a change racing the read
   * leaves a stale stamp, and the next scan reads the file again). The text is compared by hash too, so a change
   * that kept the file's mtime, size and inode is still seen. `carry` is the same note's entry at another path
   * (a note moved out of the trash), whose version it keeps.
   */
  refreshOne(relative: string, text: string, stat: Stats, carry?: Entry): Entry {
    const existing = this.index.byPath(relative);
    if (existing && existing.stamp === stampOf(stat) && holdsEntry(existing, text, stat)) return existing;
    return this.#ingest(relative, stampOf(stat), text, stat, true, carry);
  }

  #remove(entry: Entry): void {
    this.index.remove(entry);
    // A file skipped as a duplicate of this id may now be the note: read it again.
    if (entry.note && !entry.trashed)
      for (const other of this.index.duplicatesOf(entry.note.id)) this.#dirty.add(other);
  }

  /** Parse `text` (read from `relative`) and store the result. */
  #ingest(
    relative: string,
    stamp: string,
    text: string | undefined,
    stat: { mtimeMs: number; birthtimeMs: number },
    known = true,
    carry?: Entry,
  ): Entry {
    if (text === undefined) {
      return this.#put(
        relative,
        stamp,
        { problem: { code: 'unreadable', message: 'the file could not be read' } },
        known,
      );
    }
    const result = parseNoteFile(text, { path: relative, ...stat }, () =>
      derivedNoteId(relative, (id) => {
        const holder = this.index.byId(id, false);
        return holder !== undefined && holder.path !== relative;
      }),
    );
    return this.#put(relative, stamp, result, known, carry);
  }

  /**
   * Store what a file holds. `known` false promises the index has no entry for it yet
   * (a lookup saved). `carry`: the same note's entry at another path, whose version record it continues.
   */
  #put(
    relative: string,
    stamp: string,
    result: { note: ParsedNote } | { problem: NoteProblem },
    known = true,
    carry?: Entry,
  ): Entry {
    const previous = known ? this.index.byPath(relative) : undefined;
    const trashed = this.isTrash(relative);
    const { note, problem, body, evicted } = noteFacts(this.index, relative, trashed, result, previous, carry);
    // An id written in a file beats one derived from another file's path: that file gets a new derived id when it is
    // read again (on the next refresh).
    if (evicted) this.#dirty.add(evicted);
    // A new rowid on every change: rowid order is then recency order, which bounds ranking (see RANK_WINDOW).
    const entry: Entry = {
      rowid: this.#nextRowid++,
      path: relative,
      trashed,
      stamp,
      note,
      problem,
      searchable: note !== undefined && !trashed,
      pending: note !== undefined && !trashed && (this.#deferText || this.#text.building),
    };
    this.index.put(entry, previous, body);
    this.lost.track(relative, previous, note);
    if (entry.pending && note && body !== undefined) this.#text.add(entry.rowid, note, body);
    if (problem && previous?.problem?.message !== problem.message) {
      this.#options.onProblem({ path: relative, ...problem });
    }
    return entry;
  }

  /** How many notes are not yet in the full-text index (a first build still running). */
  pendingText(): number {
    return this.index.pendingCount();
  }

  /** Resolves when every note is in the full-text index. */
  indexed(): Promise<void> {
    return this.#text.indexed();
  }

  /** The first scan: synchronous, because nothing is served until it is done (see {@link loadFolderSync}). */
  #fullScanSync(): void {
    this.#dirty.clear();
    this.#bulkLoaded = loadFolderSync({
      index: this.index,
      textBudgetMs: this.#options.textBudgetMs,
      walkOptions: (temps) => this.#walkOptions(this.root, '', temps),
      ingest: (relative, stamp, text, stat, known) => this.#ingest(relative, stamp, text, stat, known),
      remove: (entry) => this.#remove(entry),
      deferText: (defer) => {
        this.#deferText = defer;
      },
      startTextBuild: () => this.#text.startBuild(),
    });
    this.#lastFullScan = Date.now();
    this.#needsFullScan = false;
  }

  /** Re-read the files named by watcher events (see {@link applyChanges}). */
  #applyDirty(): Promise<void> {
    const paths = [...this.#dirty];
    this.#dirty.clear();
    return applyChanges(this.#host, paths);
  }

  #startWatching(): void {
    this.#watcher = watchFolder(this.root, this.#options.trashDir, this.#dirty, () => {
      this.#needsFullScan = true;
    });
  }

  #scheduleRescan(): void {
    if (this.#closed || !this.#watcher?.active || this.#options.rescanIntervalMs <= 0) return;
    if (this.#timer) clearTimeout(this.#timer);
    // With a watcher, a periodic scan is only a safety net for events the OS dropped; on a folder so large that a
    // scan takes long, it runs less often, so that it never takes more than a fifth of the thread.
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        void this.#backgroundScan().catch(() => {});
      },
      Math.max(this.#options.rescanIntervalMs, 4 * this.#lastScanMs),
    );
    this.#timer.unref();
  }

  /** Stop watching and close the index. */
  close(): void {
    this.#closed = true;
    this.#text.abort();
    if (this.#timer) clearTimeout(this.#timer);
    this.#watcher?.stop();
    this.index.close();
  }
}
