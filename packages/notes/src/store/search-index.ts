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
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import SearchableMap from 'minisearch/SearchableMap';
import { tagKey } from './names.js';
import type { NoteMeta, NoteProblem } from './note-file.js';

export { FTS_DDL } from './index-schema.js';

import {
  BUILDING_SUFFIX,
  configure,
  openCache,
  removeDatabase,
  sweepScratch,
  TEXT_BUILD_SUFFIX,
  writeDurably,
} from './index-cache-file.js';
import { DDL, FTS_DDL, FTS_SHADOW_TABLES, LIST_INDEXES } from './index-schema.js';
import { ownerTag } from './owner.js';
import { termsOf } from './terms.js';
import type { Slicer } from './time-slice.js';

/** node:crypto on first use: loading it costs ~3 ms of a server's start. */
const crypto = () => process.getBuiltinModule('node:crypto');

/** SQLite's default WAL size (pages) that triggers a checkpoint, and the one used during a bulk load. */
const WAL_CHECKPOINT_PAGES = 1000;
const BULK_CHECKPOINT_PAGES = 1_000_000;

/** FTS5's default automerge level, restored after a bulk load. */
const FTS_AUTOMERGE = 4;

/**
 * Ranking a match set costs about 2 us per matching note (BM25 is computed for every match before the top few are
 * kept). A query matching more notes than this is ranked among the most recently changed this many, so a search for
 * a word in half of 50,000 notes stays within milliseconds; the result says so (`windowed`).
 */
export const RANK_WINDOW = 1000;

/** Terms of the vocabulary read per step of {@link SearchIndex.warmUp}. */
const VOCAB_STEP = 64;

/** Query terms expanded by prefix or typo keep at most this many candidates, the most frequent first. */
const MAX_EXPANSIONS = 8;

/** A term in fewer notes than this is a likely typo, so it is also matched fuzzily. */
const FUZZY_BELOW = 3;

/**
 * A term in fewer notes than this is likely a word cut short, so it is also matched by its completions. A common
 * word is matched as itself: expanding it would add the doclists of its most frequent completions, the costliest
 * part of a query, for little gain.
 */
const PREFIX_BELOW = 20;

/** One Markdown file in the folder, as the index knows it. */
export interface Entry {
  readonly rowid: number;
  /** Path inside the notes folder, `/`-separated. */
  readonly path: string;
  /** True for a file in the trash folder. */
  readonly trashed: boolean;
  /** `mtimeMs:size:ino` when last read. */
  readonly stamp: string;
  /**
   * The note's facts, or undefined when the file is broken. `version` is the effective version: the file's, or
   * higher when the file changed outside the store under an unchanged front-matter version (`fileVersion`).
   */
  readonly note: (NoteMeta & { derivedId: boolean; excerpt: string; fileVersion: number; hash: string }) | undefined;
  /** Why the file is skipped, when it is. */
  readonly problem: NoteProblem | undefined;
  readonly searchable: boolean;
  /** True while a searchable note's text is not yet in the full-text table (a first build still running). */
  readonly pending: boolean;
}

/** Sort keys of {@link SearchIndex.page}. */
export type PageSort = 'updated' | 'created' | 'title';

/** A query for {@link SearchIndex.search}. */
export interface IndexQuery {
  text: string;
  prefix: boolean;
  fuzzy: boolean;
  /** Only notes with this tag (or one nested under it). */
  tag?: string;
  limit: number;
  offset: number;
  /** `all`: every term must match; `any`: at least one. Omitted: `all`, falling back to `any` when it finds nothing. */
  mode?: 'all' | 'any';
}

/** A page of ranked hits. */
export interface IndexResult {
  hits: IndexHit[];
  terms: QueryTerms;
  mode: 'all' | 'any';
  /** How many notes match (when `windowed`, at least this many). */
  total: number;
  /** True when only the {@link RANK_WINDOW} most recently changed matches were ranked. */
  windowed: boolean;
}

/** A ranked hit: the rowid and the BM25 score (lower is better, as SQLite reports it). */
export interface IndexHit {
  rowid: number;
  score: number;
}

/** The terms a query matched on, for snippets. */
export interface QueryTerms {
  exact: Set<string>;
  prefixes: string[];
}

const ENTRY_COLUMNS =
  'rowid, path, stamp, trashed, searchable, id, title, tags, created, updated, version, file_version, hash, derived, excerpt, problem';

interface Row {
  rowid: number;
  path: string;
  stamp: string;
  trashed: number;
  searchable: number;
  id: string | null;
  title: string | null;
  tags: string | null;
  created: string | null;
  updated: string | null;
  version: number | null;
  file_version: number | null;
  hash: string | null;
  derived: number | null;
  excerpt: string | null;
  problem: string | null;
}

function entryOf(row: Row): Entry {
  return {
    rowid: row.rowid,
    path: row.path,
    stamp: row.stamp,
    trashed: row.trashed === 1,
    searchable: row.searchable !== 0,
    pending: row.searchable === 2,
    note:
      row.id === null
        ? undefined
        : {
            id: row.id,
            title: row.title ?? '',
            tags: JSON.parse(row.tags ?? '[]') as string[],
            created: row.created ?? '',
            updated: row.updated ?? '',
            version: row.version ?? 0,
            fileVersion: row.file_version ?? row.version ?? 0,
            hash: row.hash ?? '',
            derivedId: row.derived === 1,
            excerpt: row.excerpt ?? '',
          },
    problem: row.problem === null ? undefined : (JSON.parse(row.problem) as NoteProblem),
  };
}

function timeOf(iso: string): number {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? 0 : time;
}

function tagFilter(column: string): string {
  return ` AND ${column} IN (SELECT rowid FROM tags WHERE key = ? OR (key >= ? AND key < ?))`;
}

function tagParams(tag: string): string[] {
  const key = tagKey(tag);
  return [key, `${key}/`, `${key}0`];
}

/** The SQLite side of the catalog. Synchronous, like `node:sqlite`; every call is short. */
export class SearchIndex {
  readonly #db: DatabaseSync;
  /** True when the index lives in a cache file that survives restarts. */
  readonly persistent: boolean;
  readonly #statements = new Map<string, StatementSync>();
  #vocabulary: SearchableMap<number> | undefined;
  /** The vocabulary while {@link warmUp} reads it, a slice at a time: the terms up to `after` are in `map`. */
  #warming: { map: SearchableMap<number>; after: string } | undefined;
  #inTransaction = false;
  /** The private database file of a non-persistent index, removed on close. */
  readonly #scratch: string | undefined;
  /** Where a text build on the worker writes its file: beside the index's own. */
  readonly textBuildFile: string;
  /** The cache file, when the index is persistent. */
  readonly #cacheFile: string | undefined;
  /** True while a first build writes without a journal (see {@link bulk}). */
  #unjournaled = false;

  /**
   * Open the cache at `cacheFile` for the notes folder `root`; or, when `cacheFile` is undefined or held by another
   * process, a private index in a temp file.
   */
  constructor(cacheFile: string | undefined, root: string) {
    const cached = cacheFile === undefined ? undefined : openCache(cacheFile, root);
    this.persistent = cached !== undefined;
    if (cached) {
      this.#db = cached;
      this.#cacheFile = cacheFile;
      this.textBuildFile = cacheFile + TEXT_BUILD_SUFFIX;
      // Left by a process that ended mid-build; this process now holds the cache, so no build is using it.
      rmSync(this.textBuildFile, { force: true });
    } else {
      sweepScratch(os.tmpdir());
      // A file rather than ':memory:': SQLite builds FTS5 about twice as fast on a file, and its pages stay out of
      // this process's memory. Named for this process, so that if it is killed, the next private index opened on
      // this machine removes it.
      this.#scratch = path.join(
        os.tmpdir(),
        `mcp-notes-index-${ownerTag()}-${crypto().randomBytes(4).toString('hex')}.sqlite`,
      );
      this.textBuildFile = this.#scratch + TEXT_BUILD_SUFFIX;
      this.#db = new DatabaseSync(this.#scratch);
      configure(this.#db);
      this.#db.exec(DDL);
      this.#db.exec(LIST_INDEXES);
    }
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
    this.#statements.clear();
    if (fresh) this.#beginUnjournaled();
    this.#bulkText(true);
    this.#db.exec(
      'DROP INDEX IF EXISTS entries_updated; DROP INDEX IF EXISTS entries_created; DROP INDEX IF EXISTS entries_title; DROP INDEX IF EXISTS tags_rowid;',
    );
    try {
      return fn();
    } finally {
      this.#statements.clear();
      this.#db.exec(LIST_INDEXES);
    }
  }

  #sql(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #one(sql: string, ...params: SQLInputValue[]): Entry | undefined {
    const row = this.#sql(sql).get(...params) as Row | undefined;
    return row ? entryOf(row) : undefined;
  }

  /** Path, stamp and rowid of every file known, for a scan to compare against (streamed). */
  *stamps(): Generator<{ path: string; stamp: string }> {
    for (const row of this.#sql('SELECT path, stamp FROM entries').iterate()) {
      yield row as { path: string; stamp: string };
    }
  }

  /** The rowid and stamp of the file at `relative`, if known (a scan's cheap check, without the entry). */
  stampAt(relative: string): { rowid: number; stamp: string } | undefined {
    return this.#sql('SELECT rowid, stamp FROM entries WHERE path = ?').get(relative) as
      | { rowid: number; stamp: string }
      | undefined;
  }

  /**
   * Up to `limit` files known, in rowid order after `after` and up to `upTo`; with `under`, only those in that
   * folder (`/`-separated, inside the notes folder).
   */
  knownPaths(after: number, upTo: number, limit: number, under?: string): { rowid: number; path: string }[] {
    if (under === undefined) {
      return this.#sql('SELECT rowid, path FROM entries WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?').all(
        after,
        upTo,
        limit,
      ) as { rowid: number; path: string }[];
    }
    return this.#sql(
      'SELECT rowid, path FROM entries WHERE path > ? AND path < ? AND rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?',
    ).all(`${under}/`, `${under}0`, after, upTo, limit) as { rowid: number; path: string }[];
  }

  /** The largest rowid in use (0 when empty). */
  maxRowid(): number {
    return (this.#sql('SELECT coalesce(max(rowid), 0) AS n FROM entries').get() as { n: number }).n;
  }

  /** The entry for the file at `relative`. */
  byPath(relative: string): Entry | undefined {
    return this.#one(`SELECT ${ENTRY_COLUMNS} FROM entries WHERE path = ?`, relative);
  }

  /** The entry with `rowid`. */
  byRowid(rowid: number): Entry | undefined {
    return this.#one(`SELECT ${ENTRY_COLUMNS} FROM entries WHERE rowid = ?`, rowid);
  }

  /** The usable note with `id`, live or (the most recently trashed) in the trash. */
  byId(id: string, trashed: boolean): Entry | undefined {
    return this.#one(
      `SELECT ${ENTRY_COLUMNS} FROM entries WHERE id = ? AND trashed = ? ORDER BY rowid DESC LIMIT 1`,
      id,
      trashed ? 1 : 0,
    );
  }

  /** Live notes titled exactly `title` (case-sensitive first, then ignoring case), at most `limit`. */
  byTitle(title: string, limit: number): Entry[] {
    const exact = this.#sql(
      `SELECT ${ENTRY_COLUMNS} FROM entries WHERE trashed = 0 AND title = ? COLLATE BINARY LIMIT ?`,
    ).all(title, limit) as unknown as Row[];
    const rows =
      exact.length > 0
        ? exact
        : (this.#sql(`SELECT ${ENTRY_COLUMNS} FROM entries WHERE trashed = 0 AND title = ? LIMIT ?`).all(
            title,
            limit,
          ) as unknown as Row[]);
    return rows.map(entryOf);
  }

  /** Files skipped as broken, by path (at most `limit`); read from their own index, whatever the folder's size. */
  problems(limit = -1): Entry[] {
    return (
      this.#sql(`SELECT ${ENTRY_COLUMNS} FROM entries WHERE problem IS NOT NULL ORDER BY path LIMIT ?`).all(
        limit,
      ) as unknown as Row[]
    ).map(entryOf);
  }

  /**
   * A count kept by the cache's triggers as entries come and go: `files` (every file known), `live` and `trashed`
   * (usable notes), `problems` (files skipped as broken). Constant time, where count(*) reads a whole index.
   */
  count(kind: 'files' | 'live' | 'trashed' | 'problems'): number {
    return (this.#sql('SELECT n FROM counts WHERE kind = ?').get(kind) as { n: number } | undefined)?.n ?? 0;
  }

  /** Paths of files skipped because another file holds `id`. */
  duplicatesOf(id: string): string[] {
    return (
      this.#sql(
        "SELECT path FROM entries WHERE problem IS NOT NULL AND json_extract(problem, '$.code') = 'duplicate_id' AND json_extract(problem, '$.id') = ?",
      ).all(id) as { path: string }[]
    ).map((row) => row.path);
  }

  /**
   * One page of notes in `sort` order, starting after the note at `after` (a keyset cursor: inserts elsewhere in
   * the order never shift a page), and how many notes there are in all.
   */
  page(options: {
    trash: boolean;
    tag: string | undefined;
    sort: PageSort;
    order: 'asc' | 'desc';
    limit: number;
    after: { key: string | number; id: string } | undefined;
  }): { entries: Entry[]; total: number } {
    const column = options.sort === 'title' ? 'title' : options.sort === 'updated' ? 'updated_ms' : 'created_ms';
    const direction = options.order === 'asc' ? 'ASC' : 'DESC';
    const filter = options.tag === undefined ? '' : tagFilter('rowid');
    const filterParams = options.tag === undefined ? [] : tagParams(options.tag);
    const base = `FROM entries WHERE trashed = ? AND id IS NOT NULL${filter}`;
    const total =
      options.tag === undefined
        ? this.count(options.trash ? 'trashed' : 'live')
        : (this.#sql(`SELECT count(*) AS n ${base}`).get(options.trash ? 1 : 0, ...filterParams) as { n: number }).n;
    const keyset = options.after ? ` AND (${column}, id) ${options.order === 'asc' ? '>' : '<'} (?, ?)` : '';
    const params: SQLInputValue[] = [options.trash ? 1 : 0, ...filterParams];
    if (options.after) params.push(options.after.key, options.after.id);
    params.push(options.limit);
    const rows = this.#sql(
      `SELECT ${ENTRY_COLUMNS}, ${column} AS sort_key ${base}${keyset} ORDER BY ${column} ${direction}, id ${direction} LIMIT ?`,
    ).all(...params) as unknown as Row[];
    return { entries: rows.map(entryOf), total };
  }

  /** The sort key of an entry, as {@link page} compares it. */
  static sortKey(entry: Entry, sort: PageSort): string | number {
    const note = entry.note as NonNullable<Entry['note']>;
    return sort === 'title' ? note.title : timeOf(sort === 'updated' ? note.updated : note.created);
  }

  /** Ids of live notes starting with `prefix`, most recently updated first. */
  idsStartingWith(prefix: string, limit: number): string[] {
    return (
      this.#sql('SELECT id FROM entries WHERE trashed = 0 AND id >= ? AND id < ? ORDER BY updated_ms DESC LIMIT ?').all(
        prefix,
        `${prefix}\uffff`,
        limit,
      ) as { id: string }[]
    ).map((row) => row.id);
  }

  /** Every tag on a live note with its note count, most used first. */
  tagCounts(): { tag: string; count: number }[] {
    return this.#sql(
      'SELECT min(t.tag) AS tag, count(*) AS count FROM tags t JOIN entries e ON e.rowid = t.rowid WHERE e.trashed = 0 GROUP BY t.key ORDER BY count DESC, t.key',
    ).all() as { tag: string; count: number }[];
  }

  /** Run `fn` in one transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T {
    if (this.#inTransaction) return fn();
    this.#inTransaction = true;
    this.#db.exec('BEGIN');
    try {
      const result = fn();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    } finally {
      this.#inTransaction = false;
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
      this.#sql(
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
          this.#sql('INSERT INTO tags(key, rowid, tag) VALUES (?, ?, ?)').run(key, entry.rowid, tag);
        }
      }
      if (entry.searchable && !entry.pending && note && body !== undefined) this.#insertText(entry.rowid, note, body);
    });
  }

  #insertText(rowid: number, note: NonNullable<Entry['note']>, body: string): void {
    const tags = note.tags.join(' ');
    this.#sql('INSERT INTO fts(rowid, title, body, tags) VALUES (?, ?, ?, ?)').run(rowid, note.title, body, tags);
    const map = this.#vocabulary ?? this.#warming?.map;
    if (map) {
      const readUpTo = this.#vocabulary ? undefined : this.#warming?.after;
      for (const term of new Set(termsOf(`${note.title} ${body} ${tags}`))) {
        // While the vocabulary is read, a term past the slices read so far is counted when its slice is.
        if (readUpTo === undefined || term <= readUpTo) map.set(term, (map.get(term) ?? 0) + 1);
      }
    }
  }

  /** Entries whose text still awaits the full-text table, oldest first (after rowid `after`). */
  pendingEntries(limit: number, after = 0): Entry[] {
    return (
      this.#sql(`SELECT ${ENTRY_COLUMNS} FROM entries WHERE searchable = 2 AND rowid > ? ORDER BY rowid LIMIT ?`).all(
        after,
        limit,
      ) as unknown as Row[]
    ).map(entryOf);
  }

  /** How many entries await the full-text table. */
  pendingCount(): number {
    return (this.#sql('SELECT count(*) AS n FROM entries WHERE searchable = 2').get() as { n: number }).n;
  }

  /** Add a pending entry's text to the full-text table, if the entry is still the same (same rowid and stamp). */
  indexPending(entry: Entry, body: string | undefined): void {
    this.transaction(() => {
      const current = this.byRowid(entry.rowid);
      if (!current?.pending || current.stamp !== entry.stamp) return;
      if (body !== undefined && current.note) this.#insertText(current.rowid, current.note, body);
      this.#sql('UPDATE entries SET searchable = ? WHERE rowid = ?').run(body === undefined ? 0 : 1, current.rowid);
    });
  }

  /** True when no text is in the full-text table: a text build on the worker may then replace it whole. */
  textIsEmpty(): boolean {
    return this.#sql('SELECT 1 AS one FROM fts_docsize LIMIT 1').get() === undefined;
  }

  /**
   * Take in the full-text table built by the worker in `file` (see `text-index-worker.ts`). The table must be empty
   * here ({@link textIsEmpty}), and no text added to it since: every entry stored meanwhile is `pending`. The built
   * table becomes this index's own, whole: FTS5's shadow tables are copied as they are (the two tables are defined
   * alike, by one SQLite), in one transaction. A row whose entry changed or went away while the worker ran is
   * deleted again (rowids are never reused for a changed file); the entries of the others stop being pending.
   */
  adoptText(file: string): void {
    this.#statements.clear();
    this.#vocabulary = undefined;
    this.#warming = undefined;
    this.#db.prepare('ATTACH DATABASE ? AS build').run(file);
    try {
      // Defensive mode (on by default in node:sqlite) forbids writing shadow tables; off for this copy only.
      this.#db.enableDefensive(false);
      this.transaction(() => {
        // A new table: FTS5 forgets anything it had cached of the old one.
        this.#db.exec('DROP TABLE main.fts');
        this.#db.exec(FTS_DDL);
        for (const table of FTS_SHADOW_TABLES) {
          this.#db.exec(`DELETE FROM main.${table}; INSERT INTO main.${table} SELECT * FROM build.${table};`);
        }
        this.#db.exec(
          'UPDATE entries SET searchable = 1 WHERE searchable = 2 AND rowid IN (SELECT id FROM build.fts_docsize)',
        );
        this.#db.exec(
          'DELETE FROM fts WHERE rowid IN (SELECT id FROM build.fts_docsize d WHERE NOT EXISTS (SELECT 1 FROM entries e WHERE e.rowid = d.id AND e.searchable = 1))',
        );
      });
    } finally {
      this.#db.enableDefensive(true);
      this.#db.exec('DETACH DATABASE build');
    }
  }

  /**
   * Use this vocabulary (every term and how many notes hold it) for prefix and fuzzy matching, as read from a table
   * just taken in by {@link adoptText}, rather than reading it here; unless a search already read it.
   */
  adoptVocabulary(terms: readonly string[], docs: Int32Array): void {
    if (this.#vocabulary) return;
    const map = new SearchableMap<number>();
    terms.forEach((term, i) => {
      map.set(term, docs[i] ?? 0);
    });
    this.#vocabulary = map;
  }

  /** Forget an entry (its file is gone). */
  remove(entry: Entry): void {
    this.transaction(() => this.#delete(entry));
  }

  #delete(entry: Entry): void {
    if (entry.searchable && !entry.pending) this.#sql('DELETE FROM fts WHERE rowid = ?').run(entry.rowid);
    this.#sql('DELETE FROM tags WHERE rowid = ?').run(entry.rowid);
    this.#sql('DELETE FROM entries WHERE rowid = ?').run(entry.rowid);
  }

  /**
   * The FTS query groups for `text`: per query term, the term itself; for a term of 3+ letters in fewer than 20
   * notes (likely cut short), its completions; for one of 4+ letters in fewer than 3 notes (a likely typo), its
   * neighbours within 1 edit (2 from 8 letters); expansions capped at the most frequent few.
   */
  expand(text: string, prefix: boolean, fuzzy: boolean): { groups: string[][]; terms: QueryTerms } {
    const terms: QueryTerms = { exact: new Set(), prefixes: [] };
    const groups: string[][] = [];
    const vocabulary = prefix || fuzzy ? this.#vocab() : undefined;
    for (const term of new Set(termsOf(text))) {
      const candidates = new Map<string, number>([[term, Number.POSITIVE_INFINITY]]);
      if (vocabulary && prefix && term.length >= 3 && (vocabulary.get(term) ?? 0) < PREFIX_BELOW) {
        const completions: [string, number][] = [];
        for (const [rest, count] of vocabulary.atPrefix(term)) completions.push([rest, count]);
        completions.sort((a, b) => b[1] - a[1]);
        for (const [word, count] of completions.slice(0, MAX_EXPANSIONS))
          if (!candidates.has(word)) candidates.set(word, count);
        terms.prefixes.push(term);
      }
      // Typos in numbers are not typos: 2024 must not find 2025.
      if (vocabulary && fuzzy && term.length >= 4 && !/\d/.test(term) && (vocabulary.get(term) ?? 0) < FUZZY_BELOW) {
        const neighbours = [...vocabulary.fuzzyGet(term, term.length >= 8 ? 2 : 1)]
          .filter(([word]) => !candidates.has(word))
          .sort((a, b) => a[1][1] - b[1][1] || b[1][0] - a[1][0])
          .slice(0, MAX_EXPANSIONS);
        for (const [word, [count]] of neighbours) candidates.set(word, count);
      }
      for (const word of candidates.keys()) terms.exact.add(word);
      groups.push([...candidates.keys()].map((word) => `"${word}"`));
    }
    return { groups, terms };
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
      const newest = this.#sql(
        `SELECT rowid FROM fts WHERE fts MATCH ?${filter} ORDER BY rowid DESC LIMIT ${RANK_WINDOW}`,
      ).all(...base) as { rowid: number }[];
      const edge = newest.at(-1)?.rowid;
      if (edge === undefined) return { hits: [], total: 0, windowed: false };
      // Pass 2: rank just those (every match at or after the oldest of them).
      const hits = this.#sql(
        `SELECT rowid, bm25(fts, 4.0, 1.0, 2.0) AS score FROM fts WHERE fts MATCH ?${filter} AND rowid >= ? ORDER BY score, rowid LIMIT ? OFFSET ?`,
      ).all(...base, edge, query.limit, query.offset) as unknown as IndexHit[];
      return { hits, total: newest.length, windowed: newest.length === RANK_WINDOW };
    };
    if (query.mode) return { ...run(query.mode), terms, mode: query.mode };
    const all = run('all');
    if (all.total > 0 || groups.length === 1) return { ...all, terms, mode: 'all' };
    return { ...run('any'), terms, mode: 'any' };
  }

  #vocab(): SearchableMap<number> {
    if (!this.#vocabulary) {
      // Wanted before warmUp read it all: the rest is read now, at once.
      const map = this.#warming?.map ?? new SearchableMap<number>();
      const after = this.#warming?.after ?? '';
      for (const row of this.#db.prepare('SELECT term, doc FROM vocab WHERE term > ?').iterate(after)) {
        const { term, doc } = row as { term: string; doc: number };
        map.set(term, doc);
      }
      this.#vocabulary = map;
      this.#warming = undefined;
    }
    return this.#vocabulary;
  }

  /**
   * Merge full-text segments towards one, a bounded amount of work per call (FTS5 'merge' with a negative page
   * count: an incremental 'optimize'); false once there is nothing left to merge.
   */
  mergeStep(): boolean {
    if (!this.#db.isOpen) return false;
    // FTS5 reports work done through total_changes(), not through the statement's own change count.
    const before = (this.#sql('SELECT total_changes() AS n').get() as { n: number }).n;
    this.#sql("INSERT INTO fts(fts, rank) VALUES ('merge', -500)").run();
    const after = (this.#sql('SELECT total_changes() AS n').get() as { n: number }).n;
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
    if (on) this.#db.exec(`PRAGMA wal_autocheckpoint=${BULK_CHECKPOINT_PAGES}`);
    this.transaction(() => {
      this.#db.exec(`INSERT INTO fts(fts, rank) VALUES ('automerge', ${on ? 0 : FTS_AUTOMERGE})`);
      if (on) this.#sql("INSERT OR REPLACE INTO meta(key, value) VALUES ('bulk_text', '1')").run();
      else this.#sql("DELETE FROM meta WHERE key = 'bulk_text'").run();
    });
    if (!on) {
      this.#db.exec(`PRAGMA wal_autocheckpoint=${WAL_CHECKPOINT_PAGES}`);
      this.#db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    }
  }

  #beginUnjournaled(): void {
    if (this.#unjournaled || this.#inTransaction) return;
    if (this.#cacheFile) writeDurably(this.#cacheFile + BUILDING_SUFFIX);
    // MEMORY rather than OFF: a failed statement can still roll back.
    this.#db.exec('PRAGMA journal_mode=MEMORY');
    this.#db.exec('PRAGMA synchronous=OFF');
    this.#unjournaled = true;
  }

  /** Sync the database, go back to WAL mode, and only then drop the marker. */
  #endUnjournaled(): void {
    if (!this.#unjournaled || this.#inTransaction) return;
    this.#db.exec('PRAGMA synchronous=FULL');
    // A commit with synchronous=FULL fsyncs the database file, and with it every page written so far.
    this.#db.exec("BEGIN; INSERT OR REPLACE INTO meta(key, value) VALUES ('built', datetime('now')); COMMIT;");
    this.#db.exec('PRAGMA journal_mode=WAL');
    this.#db.exec('PRAGMA synchronous=NORMAL');
    this.#unjournaled = false;
    if (this.#cacheFile) rmSync(this.#cacheFile + BUILDING_SUFFIX, { force: true });
  }

  /** True while a bulk load's full-text settings are in force (until {@link endBulkText}). */
  inBulkText(): boolean {
    return this.#sql("SELECT 1 AS one FROM meta WHERE key = 'bulk_text'").get() !== undefined;
  }

  /** Restore the full-text table's usual settings once a bulk load is indexed and merged. */
  endBulkText(): void {
    if (!this.#db.isOpen) return;
    this.#endUnjournaled();
    if (this.inBulkText()) this.#bulkText(false);
  }

  /**
   * Read the prefix/fuzzy vocabulary now rather than on the first search, in steps between which calls are served
   * (a search that comes first reads the rest at once).
   */
  async warmUp(slice: Slicer): Promise<void> {
    if (this.#vocabulary) return;
    this.#warming ??= { map: new SearchableMap<number>(), after: '' };
    const warming = this.#warming;
    // fts5vocab counts a term's notes by reading its whole doclist: a few terms per step keep each step short even
    // when a term is in most of a million notes. Terms come in order, so each step starts where the last ended.
    while (this.#db.isOpen && this.#warming === warming) {
      const rows = this.#sql(`SELECT term, doc FROM vocab WHERE term > ? LIMIT ${VOCAB_STEP}`).all(warming.after) as {
        term: string;
        doc: number;
      }[];
      if (rows.length === 0) {
        this.#vocabulary = warming.map;
        this.#warming = undefined;
        return;
      }
      for (const { term, doc } of rows) warming.map.set(term, doc);
      warming.after = (rows.at(-1) as { term: string }).term;
      await (slice() ?? yieldToLoop());
    }
  }

  /** Close the database (a cache file stays for the next start; a private one is removed). */
  close(): void {
    // A build closed before its end: made durable, so the next start resumes it rather than starting over.
    if (this.#db.isOpen) this.#endUnjournaled();
    if (this.#db.isOpen) this.#db.close();
    if (this.#scratch) removeDatabase(this.#scratch);
  }
}
