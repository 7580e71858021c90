/**
 * The catalog: what the store knows about every file in the notes folder, kept in step with the files.
 *
 * The files are the source of truth. The catalog (and the search index it feeds) is a cache, refreshed from a
 * full mtime/size/inode scan at open and periodically, and from `fs.watch` events in between, so a note edited in
 * Obsidian or written by another server process is seen without a restart.
 */
import { type FSWatcher, promises as fs, readdirSync, readFileSync, type Stats, statSync, watch } from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { bodyOf } from './front-matter.js';
import { derivedNoteId } from './names.js';
import { type NoteProblem, type ParsedNote, parseNoteFile } from './note-file.js';
import { type Entry, FTS_DDL, SearchIndex } from './search-index.js';
import { isTempFileName, sweepTempFiles, TEMP_PREFIX } from './temp-files.js';
import { TextBuild } from './text-build.js';

/** node:crypto on first use: loading it costs ~3 ms of a server's start. */
const crypto = () => process.getBuiltinModule('node:crypto');

export type { Entry } from './search-index.js';

/** A file the catalog skips, and why. */
export interface Problem extends NoteProblem {
  path: string;
}

/** How the catalog is set up. */
export interface CatalogOptions {
  root: string;
  /** The trash folder, relative to the root. */
  trashDir: string;
  cacheFile: string | undefined;
  watch: boolean;
  rescanIntervalMs: number;
  /** How long a large first build indexes text before leaving the rest to the background. */
  textBudgetMs: number;
  /**
   * Build the full-text table of a large first build (or of a large resumed one) on a worker thread, while this
   * thread reads and catalogues the files. Without it (or when the worker cannot start), the text budget applies.
   */
  textWorker: boolean;
  /** Told about each newly broken file. */
  onProblem: (problem: Problem) => void;
}

const MARKDOWN = /\.(md|markdown)$/i;
const EXCERPT_CHARS = 160;
const SCAN_CHUNK = 2000;
const BULK_THRESHOLD = 1000;
const TEXT_CHUNK = 500;

/**
 * The hash of what a note's file says that a write through the store could replace: title, tags and body. (Other
 * front-matter keys are kept by every write, so a hand edit of them cannot be lost and does not count.)
 */
export function contentHash(note: ParsedNote): string {
  return crypto().hash('sha1', `${note.meta.title}\0${note.meta.tags.join('\n')}\0${note.body}`, 'base64url');
}

/**
 * The version the store reports for a file at `fileVersion` with text hashing to `hash`, given what was known of the
 * same note before (`prior`). Versions count writes through the store, so a file edited by hand (or by another app)
 * keeps its front-matter version; such a change still makes a newer version here, so that an `expectedVersion` read
 * before it no longer matches. Any change of version or text moves the effective version forward, never back.
 */
export function effectiveVersion(
  prior: { version: number; fileVersion: number; hash: string } | undefined,
  fileVersion: number,
  hash: string,
): number {
  if (!prior) return fileVersion;
  if (prior.fileVersion === fileVersion && prior.hash === hash) return prior.version;
  return Math.max(fileVersion, prior.version + 1);
}

function stampOf(stat: Stats): string {
  return `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
}

function excerptOf(body: string): string {
  const text = body
    .slice(0, EXCERPT_CHARS + 80)
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}

/** A note's tags as the full-text table takes them. */
function tagText(note: { tags: readonly string[] }): string {
  return note.tags.join(' ');
}

function toPosix(relative: string): string {
  return path.sep === '/' ? relative : relative.split(path.sep).join('/');
}

/** The catalog of one notes folder. Create with {@link Catalog.open}. */
export class Catalog {
  readonly root: string;
  readonly #options: CatalogOptions;
  readonly index: SearchIndex;
  readonly #watchers = new Map<string, FSWatcher>();
  readonly #dirty = new Set<string>();
  #nextRowid = 1;
  #needsFullScan = false;
  #watching = false;
  #lastFullScan = 0;
  #refreshing: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  /** During a first (bulk) build: store notes now, add their text to the full-text table in the background. */
  #deferText = false;
  #indexing: Promise<void> | undefined;
  /** Set when this open loaded many files at once: the full-text index is then merged in the background. */
  #bulkLoaded = false;
  /**
   * The full-text build running on the worker. While there is one, every note is stored pending (its text goes to
   * the worker, or is indexed here after the worker's table is taken in), so nothing is added to the table here.
   */
  #textBuild: TextBuild | undefined;

  private constructor(options: CatalogOptions) {
    this.root = options.root;
    this.#options = options;
    this.index = new SearchIndex(options.cacheFile, options.root);
  }

  /** Open the catalog: load the cache (if any), scan the folder, start watching. */
  static async open(options: CatalogOptions): Promise<Catalog> {
    const catalog = new Catalog(options);
    try {
      await fs.mkdir(path.join(options.root, options.trashDir), { recursive: true });
      catalog.#nextRowid = catalog.index.maxRowid() + 1;
      catalog.#fullScanSync();
      if (options.watch) catalog.#startWatching();
      catalog.#scheduleRescan();
      catalog.#startIndexing();
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

  /** Bring the catalog up to date with the files: watcher events, or a full scan when one is due. */
  refresh(force = false): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (this.#refreshing) return this.#refreshing;
    const run = async () => {
      const due = !this.#watching && Date.now() - this.#lastFullScan >= this.#options.rescanIntervalMs;
      if (force || this.#needsFullScan || due) await this.#fullScan();
      else if (this.#dirty.size > 0) await this.#applyDirty();
    };
    const current = run().finally(() => {
      if (this.#refreshing === current) this.#refreshing = undefined;
    });
    this.#refreshing = current;
    return this.#refreshing;
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
    if (existing?.note && existing.stamp === stampOf(stat)) {
      const parsed = parseNoteFile(text, { path: relative, ...stat }, () => existing.note?.id as string);
      if (
        'note' in parsed &&
        parsed.note.meta.id === existing.note.id &&
        parsed.note.meta.version === existing.note.fileVersion &&
        contentHash(parsed.note) === existing.note.hash
      ) {
        return existing;
      }
    } else if (existing && existing.stamp === stampOf(stat)) return existing;
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
    let note: Entry['note'];
    let problem: NoteProblem | undefined;
    let body: string | undefined;
    if ('note' in result) {
      let holder = trashed ? undefined : this.index.byId(result.note.meta.id, false);
      if (holder && holder.path !== relative && holder.note?.derivedId && !result.note.derivedId) {
        // An id written in a file beats one derived from another file's path: that file gets a new derived id
        // when it is read again (on the next refresh).
        this.index.remove(holder);
        this.#dirty.add(holder.path);
        holder = undefined;
      }
      if (holder && holder.path !== relative) {
        problem = {
          code: 'duplicate_id',
          message: `the id "${result.note.meta.id}" is already used by ${holder.path}`,
          id: result.note.meta.id,
        };
      } else {
        const meta = result.note.meta;
        const hash = contentHash(result.note);
        const prior =
          previous?.note?.id === meta.id ? previous.note : carry?.note?.id === meta.id ? carry.note : undefined;
        note = {
          ...meta,
          version: effectiveVersion(prior, meta.version, hash),
          fileVersion: meta.version,
          hash,
          derivedId: result.note.derivedId,
          excerpt: excerptOf(result.note.body),
        };
        body = result.note.body;
      }
    } else {
      problem = result.problem;
    }
    // A new rowid on every change: rowid order is then recency order, which bounds ranking (see RANK_WINDOW).
    const entry: Entry = {
      rowid: this.#nextRowid++,
      path: relative,
      trashed,
      stamp,
      note,
      problem,
      searchable: note !== undefined && !trashed,
      pending: note !== undefined && !trashed && (this.#deferText || this.#textBuild !== undefined),
    };
    this.index.put(entry, previous, body);
    if (entry.pending && note && body !== undefined) this.#textBuild?.add(entry.rowid, note.title, body, tagText(note));
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
  async indexed(): Promise<void> {
    while (this.#indexing) await this.#indexing;
  }

  /** Start a text build on the worker, if it is wanted and can start; every note is then stored pending. */
  #startTextBuild(): boolean {
    if (!this.#options.textWorker || !this.index.textIsEmpty()) return false;
    this.#textBuild = TextBuild.start(this.index.textBuildFile, FTS_DDL);
    return this.#textBuild !== undefined;
  }

  /**
   * Wait for the worker's text build and take its table in. False when there was none or it failed: the notes it
   * was to index are still pending, for the loop in {@link #startIndexing}.
   */
  async #adoptTextBuild(): Promise<boolean> {
    const build = this.#textBuild;
    if (!build) return false;
    const ok = await build.finish();
    if (this.#closed || this.#textBuild !== build) return false;
    let adopted = false;
    if (ok) {
      try {
        this.index.adoptText(build.file);
        adopted = true;
      } catch {
        // Nothing was taken in (one transaction): the notes stay pending and are indexed here instead.
      }
    }
    // Notes stored until the vocabulary is in stay pending (indexed after it, so it counts their terms too).
    const vocabulary = adopted ? await build.vocabulary() : undefined;
    if (this.#closed) return false;
    if (vocabulary) this.index.adoptVocabulary(...vocabulary);
    this.#textBuild = undefined;
    if (!adopted) build.abort();
    else build.discard();
    return adopted;
  }

  /**
   * Resume an interrupted first build (many notes pending, no text indexed yet) on the worker: the pending notes'
   * files are read here in slices, between calls, and their text goes to the worker.
   */
  async #resumeOnWorker(): Promise<void> {
    if (this.index.pendingCount() <= BULK_THRESHOLD || !this.#startTextBuild()) return;
    const build = this.#textBuild as TextBuild;
    for (let after = 0; build.usable; ) {
      await yieldToLoop();
      if (this.#closed) return;
      const batch = this.index.pendingEntries(TEXT_CHUNK, after);
      if (batch.length === 0) break;
      after = (batch.at(-1) as Entry).rowid;
      for (const entry of batch) {
        let body: string | undefined;
        try {
          body = bodyOf(readFileSync(this.absolute(entry.path), 'utf8'));
        } catch {
          // Unreadable now: left pending, and indexed (or dropped) here after the build.
          continue;
        }
        if (entry.note) build.add(entry.rowid, entry.note.title, body, tagText(entry.note));
      }
    }
  }

  #startIndexing(): void {
    if (this.#indexing || this.#closed) return;
    this.#indexing = (async () => {
      let merge = this.#bulkLoaded || this.index.inBulkText();
      if (!this.#textBuild) await this.#resumeOnWorker();
      if (this.#textBuild) {
        merge = true;
        await this.#adoptTextBuild();
      }
      for (;;) {
        await new Promise((resolve) => setImmediate(resolve));
        if (this.#closed) return;
        const batch = this.index.pendingEntries(TEXT_CHUNK);
        if (batch.length === 0) break;
        merge = true;
        this.index.transaction(() => {
          for (const entry of batch) {
            let body: string | undefined;
            try {
              body = bodyOf(readFileSync(this.absolute(entry.path), 'utf8'));
            } catch {}
            // A file gone or changed since is re-read by the next refresh; this entry is then replaced.
            this.index.indexPending(entry, body);
          }
        });
      }
      // A bulk load leaves the full-text index in many segments; merge them into one, a slice at a time, so
      // queries read one b-tree. Then build the fuzzy vocabulary now rather than on the first search.
      while (merge && !this.#closed && this.index.mergeStep()) await new Promise((resolve) => setImmediate(resolve));
      if (merge && !this.#closed) this.index.endBulkText();
      if (!this.#closed) this.index.warmUp();
    })().finally(() => {
      this.#indexing = undefined;
    });
  }

  /**
   * Every Markdown file under the root (and in the trash), skipping hidden files and folders and symlinks. The store's
   * temp files met on the way (hidden, in any folder a note can be written to) go to `temps`.
   */
  #walk(temps: string[]): { relative: string; absolute: string }[] {
    const files: { relative: string; absolute: string }[] = [];
    const trash = path.join(this.root, this.#options.trashDir);
    // Paths built by joining names (a name from readdir holds no separator): path.join and path.relative for each
    // of 50,000 files cost a tenth of a second.
    const visit = (dir: string, relativeDir: string) => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
      for (const dirent of entries) {
        const absolute = prefix + dirent.name;
        if (dirent.name.startsWith('.') && absolute !== trash) {
          if (dirent.isFile() && isTempFileName(dirent.name)) temps.push(absolute);
          continue;
        }
        const relative = relativeDir === '' ? dirent.name : `${relativeDir}/${dirent.name}`;
        if (dirent.isDirectory()) {
          if (dirent.name === 'node_modules') continue;
          visit(absolute, relative);
        } else if (dirent.isFile() && MARKDOWN.test(dirent.name)) {
          files.push({ relative, absolute });
        }
      }
    };
    visit(this.root, '');
    return files.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
  }

  /** The first scan: synchronous, because nothing is served until it is done, and sync I/O is faster in bulk. */
  #fullScanSync(): void {
    this.#dirty.clear();
    const files: { relative: string; absolute: string; stat: Stats }[] = [];
    const temps: string[] = [];
    for (const file of this.#walk(temps)) {
      try {
        files.push({ ...file, stat: statSync(file.absolute) });
      } catch {}
    }
    // Oldest first, so rowids follow recency (and the older of two files claiming one id keeps it).
    files.sort((a, b) => a.stat.mtimeMs - b.stat.mtimeMs || (a.relative < b.relative ? -1 : 1));
    const seen = new Set(files.map((file) => file.relative));
    const known = new Map<string, string>();
    for (const { path: relative, stamp } of this.index.stamps()) known.set(relative, stamp);
    const changed = files.filter((file) => known.get(file.relative) !== stampOf(file.stat));
    // Text goes into the full-text index as files are read until the time budget is spent; past it, a large first
    // build stores the rest without text and indexes it in the background, so opening never blocks for long.
    const deadline = Date.now() + this.#options.textBudgetMs;
    const load = (defer: boolean) => {
      for (let start = 0; start < changed.length; start += SCAN_CHUNK) {
        this.#deferText = defer && Date.now() >= deadline;
        // Commit in chunks: a bounded WAL and FTS5 pending-terms buffer, however large the folder.
        this.index.transaction(() => {
          for (const file of changed.slice(start, start + SCAN_CHUNK)) {
            let text: string | undefined;
            try {
              text = readFileSync(file.absolute, 'utf8');
            } catch {}
            this.#ingest(file.relative, stampOf(file.stat), text, file.stat, known.has(file.relative));
          }
        });
      }
    };
    if (changed.length > BULK_THRESHOLD) {
      this.#bulkLoaded = true;
      try {
        // With the text going to the worker, none is indexed here, so no time budget is needed.
        this.index.bulk(() => load(!this.#startTextBuild()), known.size === 0);
      } finally {
        this.#deferText = false;
      }
    } else load(false);
    this.#removeUnseen(known, seen);
    // Temp files of writers killed mid-write (this process's earlier life included), before anything is served.
    sweepTempFiles(temps);
    this.#lastFullScan = Date.now();
    this.#needsFullScan = false;
  }

  /** A later full scan: stats in slices, yielding to the event loop so calls keep flowing. */
  async #fullScan(): Promise<void> {
    this.#needsFullScan = false;
    this.#dirty.clear();
    const temps: string[] = [];
    const files = this.#walk(temps);
    // A writer killed while this process runs leaves its temp files to the next full scan.
    sweepTempFiles(temps);
    const changed: { relative: string; absolute: string; stat: Stats }[] = [];
    const seen = new Set<string>();
    const known = new Map<string, string>();
    for (const { path: relative, stamp } of this.index.stamps()) known.set(relative, stamp);
    for (let i = 0; i < files.length; i++) {
      const file = files[i] as { relative: string; absolute: string };
      seen.add(file.relative);
      try {
        const stat = statSync(file.absolute);
        if (known.get(file.relative) !== stampOf(stat)) changed.push({ ...file, stat });
      } catch {}
      if (i % 2000 === 1999) await yieldToLoop();
    }
    const texts = await Promise.all(changed.map((file) => fs.readFile(file.absolute, 'utf8').catch(() => undefined)));
    this.index.transaction(() => {
      changed.forEach((file, i) => {
        this.#ingest(file.relative, stampOf(file.stat), texts[i], file.stat);
      });
    });
    this.#removeUnseen(known, seen);
    this.#lastFullScan = Date.now();
  }

  #removeUnseen(known: Map<string, string>, seen: Set<string>): void {
    this.index.transaction(() => {
      for (const relative of known.keys()) {
        if (seen.has(relative)) continue;
        const entry = this.index.byPath(relative);
        if (entry) this.#remove(entry);
      }
    });
  }

  /** Re-read the files named by watcher events. */
  async #applyDirty(): Promise<void> {
    const paths = [...this.#dirty].sort();
    this.#dirty.clear();
    for (const relative of paths) {
      const absolute = this.absolute(relative);
      let stat: Stats | undefined;
      try {
        stat = await fs.lstat(absolute);
      } catch {}
      if (stat?.isDirectory()) {
        // A new or moved folder: only a full scan knows what it holds, and it may need watching.
        this.#needsFullScan = true;
        if (this.#watching) this.#watchTree(absolute);
        continue;
      }
      const existing = this.index.byPath(relative);
      if (!stat?.isFile()) {
        if (existing) this.#remove(existing);
        continue;
      }
      if (existing?.stamp === stampOf(stat)) continue;
      const text = await fs.readFile(absolute, 'utf8').catch(() => undefined);
      this.#ingest(relative, stampOf(stat), text, stat);
    }
    if (this.#needsFullScan) await this.#fullScan();
  }

  #startWatching(): void {
    this.#watching = true;
    this.#watchTree(this.root);
  }

  #watchTree(dir: string): void {
    const trash = path.join(this.root, this.#options.trashDir);
    const visit = (current: string) => {
      if (!this.#watching || this.#watchers.has(current)) return;
      try {
        const watcher = watch(current, { persistent: false }, (_event, name) => {
          if (name === null) {
            this.#needsFullScan = true;
            return;
          }
          const file = String(name);
          if (file.startsWith(TEMP_PREFIX)) return;
          const absolute = path.join(current, file);
          if (file.startsWith('.') && absolute !== trash) return;
          if (MARKDOWN.test(file) || !file.includes('.')) this.#dirty.add(this.relative(absolute));
        });
        watcher.on('error', () => this.#stopWatching());
        this.#watchers.set(current, watcher);
      } catch {
        // Out of watch handles (or unsupported here): fall back to periodic scans.
        this.#stopWatching();
        return;
      }
      let dirents: import('node:fs').Dirent[] = [];
      try {
        dirents = readdirSync(current, { withFileTypes: true });
      } catch {}
      for (const dirent of dirents) {
        const child = path.join(current, dirent.name);
        if (
          dirent.isDirectory() &&
          dirent.name !== 'node_modules' &&
          (!dirent.name.startsWith('.') || child === trash)
        ) {
          visit(child);
        }
      }
    };
    visit(dir);
  }

  #stopWatching(): void {
    this.#watching = false;
    for (const watcher of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
    this.#needsFullScan = true;
  }

  #scheduleRescan(): void {
    if (!this.#watching || this.#options.rescanIntervalMs <= 0) return;
    // With a watcher, a periodic scan is only a safety net for events the OS dropped.
    this.#timer = setInterval(() => {
      this.refresh(true).catch(() => {});
    }, this.#options.rescanIntervalMs);
    this.#timer.unref();
  }

  /** Stop watching and close the index. */
  close(): void {
    this.#closed = true;
    this.#textBuild?.abort();
    this.#textBuild = undefined;
    if (this.#timer) clearInterval(this.#timer);
    this.#stopWatching();
    this.index.close();
  }
}
