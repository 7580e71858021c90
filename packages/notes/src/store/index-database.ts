/**
 * The index's database and its entry queries: opening the cache file (or a private one), prepared statements,
 * transactions, and the lookups and listings the catalog answers from the `entries` and `tags` tables. The full-text
 * side (storing text, search, bulk loads) is {@link SearchIndex}, built on this.
 */
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { configure, openCache, removeDatabase, sweepScratch, TEXT_BUILD_SUFFIX } from './index-cache-file.js';
import {
  ENTRY_COLUMNS,
  type Entry,
  entryOf,
  type PageSort,
  type Row,
  tagFilter,
  tagParams,
  timeOf,
} from './index-entries.js';
import { DDL, LIST_INDEXES } from './index-schema.js';
import { ownerTag } from './owner.js';

/** node:crypto on first use: loading it costs ~3 ms of a server's start. */
const crypto = () => process.getBuiltinModule('node:crypto');

/** The SQLite database of the index and what it answers about entries. Synchronous, like `node:sqlite`. */
export class IndexDatabase {
  protected readonly db: DatabaseSync;
  /** True when the index lives in a cache file that survives restarts. */
  readonly persistent: boolean;
  protected readonly statements = new Map<string, StatementSync>();
  protected inTransaction = false;
  /** The private database file of a non-persistent index, removed on close. */
  protected readonly scratch: string | undefined;
  /** Where a text build on the worker writes its file: beside the index's own. */
  readonly textBuildFile: string;
  /** The cache file, when the index is persistent. */
  protected readonly cacheFile: string | undefined;

  /**
   * Open the cache at `cacheFile` for the notes folder `root`; or, when `cacheFile` is undefined or held by another
   * process, a private index in a temp file.
   */
  constructor(cacheFile: string | undefined, root: string) {
    const cached = cacheFile === undefined ? undefined : openCache(cacheFile, root);
    this.persistent = cached !== undefined;
    if (cached) {
      this.db = cached;
      this.cacheFile = cacheFile;
      this.textBuildFile = cacheFile + TEXT_BUILD_SUFFIX;
      // Left by a process that ended mid-build; this process now holds the cache, so no build is using it.
      rmSync(this.textBuildFile, { force: true });
    } else {
      sweepScratch(os.tmpdir());
      // A file rather than ':memory:': SQLite builds FTS5 about twice as fast on a file, and its pages stay out of
      // this process's memory. Named for this process, so that if it is killed, the next private index opened on
      // this machine removes it.
      this.scratch = path.join(
        os.tmpdir(),
        `mcp-notes-index-${ownerTag()}-${crypto().randomBytes(4).toString('hex')}.sqlite`,
      );
      this.textBuildFile = this.scratch + TEXT_BUILD_SUFFIX;
      this.db = new DatabaseSync(this.scratch);
      configure(this.db);
      this.db.exec(DDL);
      this.db.exec(LIST_INDEXES);
    }
  }

  /** A prepared statement for `sql`, prepared once. */
  protected sql(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** The entry of the one row `sql` selects, if any. */
  protected one(sql: string, ...params: SQLInputValue[]): Entry | undefined {
    const row = this.sql(sql).get(...params) as Row | undefined;
    return row ? entryOf(row) : undefined;
  }

  /** Path, stamp and rowid of every file known, for a scan to compare against (streamed). */
  *stamps(): Generator<{ path: string; stamp: string }> {
    for (const row of this.sql('SELECT path, stamp FROM entries').iterate()) {
      yield row as { path: string; stamp: string };
    }
  }

  /** The rowid and stamp of the file at `relative`, if known (a scan's cheap check, without the entry). */
  stampAt(relative: string): { rowid: number; stamp: string } | undefined {
    return this.sql('SELECT rowid, stamp FROM entries WHERE path = ?').get(relative) as
      | { rowid: number; stamp: string }
      | undefined;
  }

  /**
   * Up to `limit` files known, in rowid order after `after` and up to `upTo`; with `under`, only those in that
   * folder (`/`-separated, inside the notes folder).
   */
  knownPaths(after: number, upTo: number, limit: number, under?: string): { rowid: number; path: string }[] {
    if (under === undefined) {
      return this.sql('SELECT rowid, path FROM entries WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?').all(
        after,
        upTo,
        limit,
      ) as { rowid: number; path: string }[];
    }
    return this.sql(
      'SELECT rowid, path FROM entries WHERE path > ? AND path < ? AND rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?',
    ).all(`${under}/`, `${under}0`, after, upTo, limit) as { rowid: number; path: string }[];
  }

  /** The largest rowid in use (0 when empty). */
  maxRowid(): number {
    return (this.sql('SELECT coalesce(max(rowid), 0) AS n FROM entries').get() as { n: number }).n;
  }

  /** The entry for the file at `relative`. */
  byPath(relative: string): Entry | undefined {
    return this.one(`SELECT ${ENTRY_COLUMNS} FROM entries WHERE path = ?`, relative);
  }

  /** The entry with `rowid`. */
  byRowid(rowid: number): Entry | undefined {
    return this.one(`SELECT ${ENTRY_COLUMNS} FROM entries WHERE rowid = ?`, rowid);
  }

  /** The usable note with `id`, live or (the most recently trashed) in the trash. */
  byId(id: string, trashed: boolean): Entry | undefined {
    return this.one(
      `SELECT ${ENTRY_COLUMNS} FROM entries WHERE id = ? AND trashed = ? ORDER BY rowid DESC LIMIT 1`,
      id,
      trashed ? 1 : 0,
    );
  }

  /** Live notes titled exactly `title` (case-sensitive first, then ignoring case), at most `limit`. */
  byTitle(title: string, limit: number): Entry[] {
    const exact = this.sql(
      `SELECT ${ENTRY_COLUMNS} FROM entries WHERE trashed = 0 AND title = ? COLLATE BINARY LIMIT ?`,
    ).all(title, limit) as unknown as Row[];
    const rows =
      exact.length > 0
        ? exact
        : (this.sql(`SELECT ${ENTRY_COLUMNS} FROM entries WHERE trashed = 0 AND title = ? LIMIT ?`).all(
            title,
            limit,
          ) as unknown as Row[]);
    return rows.map(entryOf);
  }

  /** Files skipped as broken, by path (at most `limit`); read from their own index, whatever the folder's size. */
  problems(limit = -1): Entry[] {
    return (
      this.sql(`SELECT ${ENTRY_COLUMNS} FROM entries WHERE problem IS NOT NULL ORDER BY path LIMIT ?`).all(
        limit,
      ) as unknown as Row[]
    ).map(entryOf);
  }

  /**
   * A count kept by the cache's triggers as entries come and go: `files` (every file known), `live` and `trashed`
   * (usable notes), `problems` (files skipped as broken). Constant time, where count(*) reads a whole index.
   */
  count(kind: 'files' | 'live' | 'trashed' | 'problems'): number {
    return (this.sql('SELECT n FROM counts WHERE kind = ?').get(kind) as { n: number } | undefined)?.n ?? 0;
  }

  /** Paths of files skipped because another file holds `id`. */
  duplicatesOf(id: string): string[] {
    return (
      this.sql(
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
        : (this.sql(`SELECT count(*) AS n ${base}`).get(options.trash ? 1 : 0, ...filterParams) as { n: number }).n;
    const keyset = options.after ? ` AND (${column}, id) ${options.order === 'asc' ? '>' : '<'} (?, ?)` : '';
    const params: SQLInputValue[] = [options.trash ? 1 : 0, ...filterParams];
    if (options.after) params.push(options.after.key, options.after.id);
    params.push(options.limit);
    const rows = this.sql(
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
      this.sql('SELECT id FROM entries WHERE trashed = 0 AND id >= ? AND id < ? ORDER BY updated_ms DESC LIMIT ?').all(
        prefix,
        `${prefix}\uffff`,
        limit,
      ) as { id: string }[]
    ).map((row) => row.id);
  }

  /** Every tag on a live note with its note count, most used first. */
  tagCounts(): { tag: string; count: number }[] {
    return this.sql(
      'SELECT min(t.tag) AS tag, count(*) AS count FROM tags t JOIN entries e ON e.rowid = t.rowid WHERE e.trashed = 0 GROUP BY t.key ORDER BY count DESC, t.key',
    ).all() as { tag: string; count: number }[];
  }

  /** Run `fn` in one transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T {
    if (this.inTransaction) return fn();
    this.inTransaction = true;
    this.db.exec('BEGIN');
    try {
      const result = fn();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    } finally {
      this.inTransaction = false;
    }
  }

  /** Entries whose text still awaits the full-text table, oldest first (after rowid `after`). */
  pendingEntries(limit: number, after = 0): Entry[] {
    return (
      this.sql(`SELECT ${ENTRY_COLUMNS} FROM entries WHERE searchable = 2 AND rowid > ? ORDER BY rowid LIMIT ?`).all(
        after,
        limit,
      ) as unknown as Row[]
    ).map(entryOf);
  }

  /**
   * Mark a scan that stores many files at once as under way (`true`), or as done. A cache found marked was left by a
   * load cut off (its entries may be part of the folder's only), so it is scanned before it is served.
   */
  setLoading(on: boolean): void {
    if (on) this.sql("INSERT OR REPLACE INTO meta(key, value) VALUES ('loading', '1')").run();
    else this.sql("DELETE FROM meta WHERE key = 'loading'").run();
  }

  /** True when a load marked by {@link setLoading} did not finish. */
  loading(): boolean {
    return this.sql("SELECT 1 AS one FROM meta WHERE key = 'loading'").get() !== undefined;
  }

  /** How many entries await the full-text table. */
  pendingCount(): number {
    return (this.sql('SELECT count(*) AS n FROM entries WHERE searchable = 2').get() as { n: number }).n;
  }

  /** True when no text is in the full-text table: a text build on the worker may then replace it whole. */
  textIsEmpty(): boolean {
    return this.sql('SELECT 1 AS one FROM fts_docsize LIMIT 1').get() === undefined;
  }

  /** Close the database (a cache file stays for the next start; a private one is removed). */
  close(): void {
    if (this.db.isOpen) this.db.close();
    if (this.scratch) removeDatabase(this.scratch);
  }
}
