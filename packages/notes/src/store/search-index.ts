/**
 * The index: a cache of the notes folder in SQLite (`node:sqlite`, built into Node, so no native build). It holds
 * what the catalog knows of every file (path, stamp, parsed facts, tags) and an FTS5 table for ranked full-text
 * search, and answers list, tag and lookup queries from indexes rather than from the JS heap.
 *
 * Why SQLite FTS5 rather than an in-memory JS engine: measured on 50,000 generated notes (80 MB), MiniSearch took
 * 18 s and 830 MB RSS to index; FTS5 indexes the same corpus in a few seconds within tens of MB, ranks with BM25,
 * and persists, so a restart only re-reads the files whose mtime, size or inode changed. The FTS table is
 * contentless (the files hold the text; snippets are cut from the files). It keeps full detail (term positions):
 * with column-level detail only, a contentless table cannot report where a term occurs, and BM25 then scores every
 * match 0 (no ranking at all). Phrase queries are not offered. Prefix and fuzzy matching expand each query term against
 * the index's vocabulary with MiniSearch's radix tree (`SearchableMap.atPrefix` / `fuzzyGet`), keeping the most
 * frequent candidates, so a short prefix never turns into a scan of thousands of terms.
 *
 * The cache file is used by one process at a time (SQLite exclusive locking mode, released by the kernel if the
 * process dies); a second server on the same folder builds a private index in a temp file. The cache is only ever
 * a copy: if it is unreadable, from another schema version or for another folder, it is thrown away and rebuilt.
 */
import { rmSync } from 'node:fs';
import type { SQLInputValue } from 'node:sqlite';
import {
  ENTRY_COLUMNS,
  type Entry,
  type IndexHit,
  type IndexQuery,
  type IndexResult,
  type QueryTerms,
  RANK_WINDOW,
  tagFilter,
  tagParams,
  timeOf,
} from './index-entries.js';

export type { Entry, IndexHit, IndexQuery, IndexResult, PageSort, QueryTerms } from './index-entries.js';
export { RANK_WINDOW } from './index-entries.js';
export { FTS_DDL } from './index-schema.js';

import { BUILDING_SUFFIX, writeDurably } from './index-cache-file.js';
import { IndexDatabase } from './index-database.js';
import { FTS_DDL, FTS_SHADOW_TABLES, LIST_INDEXES } from './index-schema.js';
import { tagKey } from './names.js';
import { expandQuery, QueryVocabulary, type VocabularyRow } from './query-vocabulary.js';
import type { Slicer } from './time-slice.js';

/** SQLite's default WAL size (pages) that triggers a checkpoint, and the one used during a bulk load. */
const WAL_CHECKPOINT_PAGES = 1000;
const BULK_CHECKPOINT_PAGES = 1_000_000;

/** FTS5's default automerge level, restored after a bulk load. */
const FTS_AUTOMERGE = 4;

/** The full-text side of the index (FTS5 over title, body and tags) on top of its entries. */
export class SearchIndex extends IndexDatabase {
  /** The terms of the full-text table with their note counts, for prefix and typo expansion. */
  readonly #vocabulary: QueryVocabulary;
  /** True while a first build writes without a journal (see {@link bulk}). */
  #unjournaled = false;

  /**
   * Open the cache at `cacheFile` for the notes folder `root`; or, when `cacheFile` is undefined or held by another
   * process, a private index in a temp file.
   */
  constructor(cacheFile: string | undefined, root: string) {
    super(cacheFile, root);
    this.#vocabulary = new QueryVocabulary({
      isOpen: () => this.db.isOpen,
      readAfter: (after) =>
        this.db.prepare('SELECT term, doc FROM vocab WHERE term > ?').iterate(after) as Iterable<VocabularyRow>,
      readStep: (after, limit) =>
        this.sql(`SELECT term, doc FROM vocab WHERE term > ? LIMIT ${limit}`).all(after) as unknown as VocabularyRow[],
    });
  }

  /**
   * Load many entries at once: `fn` runs without the listing indexes, which are rebuilt afterwards in one sorted
   * pass (several times faster than maintaining them row by row).
   *
   * With `fresh` (the index is empty: a first build), the database also runs without WAL and without fsync until
   * {@link endBulkText}: every page is written once, straight into the file, rather than to the WAL and again at a
   * checkpoint. A crash meanwhile may leave the file torn, so a marker file says a build is under way, and the next
   * open finds it and starts the cache afresh (it is only a cache: a crash costs a rebuild, never a note).
   */
  bulk<T>(fn: () => T, fresh = false): T {
    this.statements.clear();
    if (fresh) this.#beginUnjournaled();
    this.#bulkText(true);
    this.db.exec(
      'DROP INDEX IF EXISTS entries_updated; DROP INDEX IF EXISTS entries_created; DROP INDEX IF EXISTS entries_title; DROP INDEX IF EXISTS tags_rowid;',
    );
    try {
      return fn();
    } finally {
      this.statements.clear();
      this.db.exec(LIST_INDEXES);
    }
  }

  /**
   * Store an entry, replacing `previous` (the same file's old entry); with `body`, index its title, body and tags
   * for search. An entry stored without a body (a broken file, a note in the trash) is known but not searchable;
   * one stored `pending` is searchable once {@link indexPending} has added its text.
   */
  put(entry: Entry, previous: Entry | undefined, body: string | undefined): void {
    this.transaction(() => {
      if (previous) this.#delete(previous);
      const note = entry.note;
      // Plain INSERT after an explicit DELETE: INSERT OR REPLACE measured 3-4x slower for bulk loads.
      this.sql(
        `INSERT INTO entries(${ENTRY_COLUMNS}, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        entry.rowid,
        entry.path,
        entry.stamp,
        entry.trashed ? 1 : 0,
        entry.pending ? 2 : entry.searchable ? 1 : 0,
        note?.id ?? null,
        note?.title ?? null,
        note ? JSON.stringify(note.tags) : null,
        note?.created ?? null,
        note?.updated ?? null,
        note?.version ?? null,
        note?.fileVersion ?? null,
        note?.hash ?? null,
        note ? (note.derivedId ? 1 : 0) : null,
        note?.excerpt ?? null,
        entry.problem ? JSON.stringify(entry.problem) : null,
        note ? timeOf(note.created) : null,
        note ? timeOf(note.updated) : null,
      );
      if (note) {
        const seen = new Set<string>();
        for (const tag of note.tags) {
          const key = tagKey(tag);
          if (seen.has(key)) continue;
          seen.add(key);
          this.sql('INSERT INTO tags(key, rowid, tag) VALUES (?, ?, ?)').run(key, entry.rowid, tag);
        }
      }
      if (entry.searchable && !entry.pending && note && body !== undefined) this.#insertText(entry.rowid, note, body);
    });
  }

  #insertText(rowid: number, note: NonNullable<Entry['note']>, body: string): void {
    const tags = note.tags.join(' ');
    this.sql('INSERT INTO fts(rowid, title, body, tags) VALUES (?, ?, ?, ?)').run(rowid, note.title, body, tags);
    this.#vocabulary.count(`${note.title} ${body} ${tags}`);
  }

  /** Add a pending entry's text to the full-text table, if the entry is still the same (same rowid and stamp). */
  indexPending(entry: Entry, body: string | undefined): void {
    this.transaction(() => {
      const current = this.byRowid(entry.rowid);
      if (!current?.pending || current.stamp !== entry.stamp) return;
      if (body !== undefined && current.note) this.#insertText(current.rowid, current.note, body);
      this.sql('UPDATE entries SET searchable = ? WHERE rowid = ?').run(body === undefined ? 0 : 1, current.rowid);
    });
  }

  /**
   * Take in the full-text table built by the worker in `file` (see `text-index-worker.ts`). The table must be empty
   * here ({@link textIsEmpty}), and no text added to it since: every entry stored meanwhile is `pending`. The built
   * table becomes this index's own, whole: FTS5's shadow tables are copied as they are (the two tables are defined
   * alike, by one SQLite), in one transaction. A row whose entry changed or went away while the worker ran is
   * deleted again (rowids are never reused for a changed file); the entries of the others stop being pending.
   */
  adoptText(file: string): void {
    this.statements.clear();
    this.#vocabulary.forget();
    this.db.prepare('ATTACH DATABASE ? AS build').run(file);
    try {
      // Defensive mode (on by default in node:sqlite) forbids writing shadow tables; off for this copy only.
      this.db.enableDefensive(false);
      this.transaction(() => {
        // A new table: FTS5 forgets anything it had cached of the old one.
        this.db.exec('DROP TABLE main.fts');
        this.db.exec(FTS_DDL);
        for (const table of FTS_SHADOW_TABLES) {
          this.db.exec(`DELETE FROM main.${table}; INSERT INTO main.${table} SELECT * FROM build.${table};`);
        }
        this.db.exec(
          'UPDATE entries SET searchable = 1 WHERE searchable = 2 AND rowid IN (SELECT id FROM build.fts_docsize)',
        );
        this.db.exec(
          'DELETE FROM fts WHERE rowid IN (SELECT id FROM build.fts_docsize d WHERE NOT EXISTS (SELECT 1 FROM entries e WHERE e.rowid = d.id AND e.searchable = 1))',
        );
      });
    } finally {
      this.db.enableDefensive(true);
      this.db.exec('DETACH DATABASE build');
    }
  }

  /**
   * Use this vocabulary (every term and how many notes hold it) for prefix and fuzzy matching, as read from a table
   * just taken in by {@link adoptText}, rather than reading it here; unless a search already read it.
   */
  adoptVocabulary(terms: readonly string[], docs: Int32Array): void {
    this.#vocabulary.adopt(terms, docs);
  }

  /** The FTS query groups for `text` (see {@link expandQuery}). */
  expand(text: string, prefix: boolean, fuzzy: boolean): { groups: string[][]; terms: QueryTerms } {
    return expandQuery(text, prefix, fuzzy, prefix || fuzzy ? this.#vocabulary.whole() : undefined);
  }

  /**
   * Read the prefix/fuzzy vocabulary now rather than on the first search, in steps between which calls are served
   * (a search that comes first reads the rest at once).
   */
  warmUp(slice: Slicer): Promise<void> {
    return this.#vocabulary.warmUp(slice);
  }

  /** Forget an entry (its file is gone). */
  remove(entry: Entry): void {
    this.transaction(() => this.#delete(entry));
  }

  #delete(entry: Entry): void {
    if (entry.searchable && !entry.pending) this.sql('DELETE FROM fts WHERE rowid = ?').run(entry.rowid);
    this.sql('DELETE FROM tags WHERE rowid = ?').run(entry.rowid);
    this.sql('DELETE FROM entries WHERE rowid = ?').run(entry.rowid);
  }

  /**
   * Ranked search: the hits of one page and the terms matched (for snippets). Without a `mode`, terms are combined
   * with AND, and with OR when AND finds nothing; the mode used is returned, to keep later pages consistent.
   */
  search(query: IndexQuery): IndexResult {
    const { groups, terms } = this.expand(query.text, query.prefix, query.fuzzy);
    if (groups.length === 0) return { hits: [], terms, mode: query.mode ?? 'all', total: 0, windowed: false };
    const filter = query.tag === undefined ? '' : tagFilter('rowid');
    const filterParams = query.tag === undefined ? [] : tagParams(query.tag);
    const run = (mode: 'all' | 'any'): Omit<IndexResult, 'terms' | 'mode'> => {
      const match = groups.map((group) => `(${group.join(' OR ')})`).join(mode === 'all' ? ' AND ' : ' OR ');
      const base: SQLInputValue[] = [match, ...filterParams];
      // Pass 1, cheap (no ranking function runs): the newest RANK_WINDOW matches, newest first. Fewer than that
      // is every match, and their count is the total.
      const newest = this.sql(
        `SELECT rowid FROM fts WHERE fts MATCH ?${filter} ORDER BY rowid DESC LIMIT ${RANK_WINDOW}`,
      ).all(...base) as { rowid: number }[];
      const edge = newest.at(-1)?.rowid;
      if (edge === undefined) return { hits: [], total: 0, windowed: false };
      // Pass 2: rank just those (every match at or after the oldest of them).
      const hits = this.sql(
        `SELECT rowid, bm25(fts, 4.0, 1.0, 2.0) AS score FROM fts WHERE fts MATCH ?${filter} AND rowid >= ? ORDER BY score, rowid LIMIT ? OFFSET ?`,
      ).all(...base, edge, query.limit, query.offset) as unknown as IndexHit[];
      return { hits, total: newest.length, windowed: newest.length === RANK_WINDOW };
    };
    if (query.mode) return { ...run(query.mode), terms, mode: query.mode };
    const all = run('all');
    if (all.total > 0 || groups.length === 1) return { ...all, terms, mode: 'all' };
    return { ...run('any'), terms, mode: 'any' };
  }

  /**
   * Merge full-text segments towards one, a bounded amount of work per call (FTS5 'merge' with a negative page
   * count: an incremental 'optimize'); false once there is nothing left to merge.
   */
  mergeStep(): boolean {
    if (!this.db.isOpen) return false;
    // FTS5 reports work done through total_changes(), not through the statement's own change count.
    const before = (this.sql('SELECT total_changes() AS n').get() as { n: number }).n;
    this.sql("INSERT INTO fts(fts, rank) VALUES ('merge', -500)").run();
    const after = (this.sql('SELECT total_changes() AS n').get() as { n: number }).n;
    return after - before > 1;
  }

  /**
   * FTS5 automerge off while a bulk load fills the full-text table: it would merge segments after every commit,
   * work that the background merge ({@link mergeStep}) does once at the end instead. Turned back on by
   * {@link endBulkText}; a meta row records that it is off, so a build interrupted by a crash still restores it.
   */
  #bulkText(on: boolean): void {
    // Checkpoints (copying the WAL into the database, with an fsync) deferred to the end of the load: the WAL then
    // holds each page once rather than once per checkpoint interval. Per connection, so a crash loses nothing of
    // it; durability is unchanged (synchronous stays NORMAL, the WAL is recovered on the next open as usual).
    if (on) this.db.exec(`PRAGMA wal_autocheckpoint=${BULK_CHECKPOINT_PAGES}`);
    this.transaction(() => {
      this.db.exec(`INSERT INTO fts(fts, rank) VALUES ('automerge', ${on ? 0 : FTS_AUTOMERGE})`);
      if (on) this.sql("INSERT OR REPLACE INTO meta(key, value) VALUES ('bulk_text', '1')").run();
      else this.sql("DELETE FROM meta WHERE key = 'bulk_text'").run();
    });
    if (!on) {
      this.db.exec(`PRAGMA wal_autocheckpoint=${WAL_CHECKPOINT_PAGES}`);
      this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    }
  }

  #beginUnjournaled(): void {
    if (this.#unjournaled || this.inTransaction) return;
    if (this.cacheFile) writeDurably(this.cacheFile + BUILDING_SUFFIX);
    // MEMORY rather than OFF: a failed statement can still roll back.
    this.db.exec('PRAGMA journal_mode=MEMORY');
    this.db.exec('PRAGMA synchronous=OFF');
    this.#unjournaled = true;
  }

  /** Sync the database, go back to WAL mode, and only then drop the marker. */
  #endUnjournaled(): void {
    if (!this.#unjournaled || this.inTransaction) return;
    this.db.exec('PRAGMA synchronous=FULL');
    // A commit with synchronous=FULL fsyncs the database file, and with it every page written so far.
    this.db.exec("BEGIN; INSERT OR REPLACE INTO meta(key, value) VALUES ('built', datetime('now')); COMMIT;");
    this.db.exec('PRAGMA journal_mode=WAL');
    this.db.exec('PRAGMA synchronous=NORMAL');
    this.#unjournaled = false;
    if (this.cacheFile) rmSync(this.cacheFile + BUILDING_SUFFIX, { force: true });
  }

  /** True while a bulk load's full-text settings are in force (until {@link endBulkText}). */
  inBulkText(): boolean {
    return this.sql("SELECT 1 AS one FROM meta WHERE key = 'bulk_text'").get() !== undefined;
  }

  /** Restore the full-text table's usual settings once a bulk load is indexed and merged. */
  endBulkText(): void {
    if (!this.db.isOpen) return;
    this.#endUnjournaled();
    if (this.inBulkText()) this.#bulkText(false);
  }

  /** Close the database (a cache file stays for the next start; a private one is removed). */
  override close(): void {
    // A build closed before its end: made durable, so the next start resumes it rather than starting over.
    if (this.db.isOpen) this.#endUnjournaled();
    super.close();
  }
}
