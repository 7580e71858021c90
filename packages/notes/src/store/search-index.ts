/**
 * The search index: a cache of the notes folder in SQLite (`node:sqlite`, built into Node, so no native build),
 * with an FTS5 table for ranked full-text search.
 *
 * Why SQLite FTS5 rather than an in-memory JS engine: measured on 50,000 generated notes (83 MB), MiniSearch took
 * 18 s and 830 MB RSS to index; FTS5 indexes the same corpus in about 2.5 s within a few tens of MB, ranks with
 * BM25, and persists, so a restart only re-reads the files whose mtime or size changed. The FTS table is contentless
 * (the files hold the text; snippets are cut from the files) and stores column-level detail only, which halves
 * build time; phrase queries are therefore not supported. Fuzzy matching is done by expanding each query term
 * against the index's vocabulary with MiniSearch's radix tree (`SearchableMap.fuzzyGet`).
 *
 * The cache file is used by one process at a time (SQLite exclusive locking mode, released by the kernel if the
 * process dies); a second server on the same folder keeps its index in memory. The cache is only ever a copy:
 * if it is unreadable, from another schema version or for another folder, it is thrown away and rebuilt.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import SearchableMap from 'minisearch/SearchableMap';
import { termsOf } from './terms.js';

const SCHEMA_VERSION = 2;

/**
 * Ranking a match set costs about 2 us per matching note (BM25 is computed for every match before the top few are
 * kept). A query matching more notes than this is ranked among the most recently changed this many, so a search for
 * a word in half of 50,000 notes stays within milliseconds; the result says so (`windowed`).
 */
export const RANK_WINDOW = 2000;

/** What the index remembers about one file, so a restart can tell whether it changed. */
export interface StoredEntry {
  rowid: number;
  /** Path inside the notes folder, with `/` separators. */
  path: string;
  /** The file's identity when last read: mtime, size and inode (`mtimeMs:size:ino`). */
  stamp: string;
  /** The entry's parsed facts, as JSON (see the catalog). */
  meta: string;
  /** Whether the note's text is in the full-text table. */
  searchable: boolean;
}

/** A query for {@link SearchIndex.search}. */
export interface IndexQuery {
  text: string;
  prefix: boolean;
  fuzzy: boolean;
  /** Restrict to these rowids (a tag filter). */
  rowids?: readonly number[];
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
  /** How many notes match in all. */
  total: number;
  /** True when only the {@link RANK_WINDOW} most recently changed matches were ranked. */
  windowed: boolean;
}

/** A ranked hit: the rowid and the BM25 score (lower is better, as SQLite reports it). */
export interface IndexHit {
  rowid: number;
  score: number;
}

/** The terms a query matched on, for snippets: exact terms, prefixes, and fuzzy variants. */
export interface QueryTerms {
  exact: Set<string>;
  prefixes: string[];
}

const DDL = `
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries(
  rowid INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  stamp TEXT NOT NULL,
  meta TEXT NOT NULL,
  searchable INTEGER NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
  title, body, tags,
  content='', contentless_delete=1, detail=column,
  tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE IF NOT EXISTS vocab USING fts5vocab(fts, 'row');
`;

function configure(db: DatabaseSync): void {
  db.exec('PRAGMA locking_mode=EXCLUSIVE');
  db.exec('PRAGMA journal_mode=WAL');
  db.exec('PRAGMA synchronous=NORMAL');
  db.exec('PRAGMA cache_size=-16384');
}

function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
}

function openCache(file: string, root: string): DatabaseSync | undefined {
  mkdirSync(path.dirname(file), { recursive: true });
  const attempt = (): DatabaseSync | undefined => {
    const db = new DatabaseSync(file, { timeout: 0 });
    try {
      configure(db);
      const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
      if (version !== 0 && version !== SCHEMA_VERSION) throw new Error('schema version changed');
      db.exec(DDL);
      const stored = db.prepare("SELECT value FROM meta WHERE key = 'root'").get() as { value: string } | undefined;
      if (stored && stored.value !== root) throw new Error('cache of another folder');
      // The first write takes the exclusive lock, held until close: a second process fails here and goes in memory.
      db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('root', ?)").run(root);
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

/**
 * The SQLite side of the catalog: stored entries (for warm restarts) and the full-text table. Synchronous, like
 * `node:sqlite`; every call is short.
 */
export class SearchIndex {
  readonly #db: DatabaseSync;
  /** True when the index lives in a cache file that survives restarts. */
  readonly persistent: boolean;
  readonly #insertEntry: StatementSync;
  readonly #deleteEntry: StatementSync;
  readonly #insertText: StatementSync;
  readonly #deleteText: StatementSync;
  #vocabulary: SearchableMap<true> | undefined;
  #inTransaction = false;
  /** The private database file of a non-persistent index, removed on close. */
  readonly #scratch: string | undefined;

  /**
   * Open the cache at `cacheFile` for the notes folder `root`, or an in-memory index when `cacheFile` is undefined
   * or the cache is held by another process.
   */
  constructor(cacheFile: string | undefined, root: string) {
    const cached = cacheFile === undefined ? undefined : openCache(cacheFile, root);
    this.persistent = cached !== undefined;
    if (cached) this.#db = cached;
    else {
      // A private file rather than ':memory:': SQLite builds FTS5 about twice as fast on a file, and its pages stay
      // out of this process's memory.
      this.#scratch = path.join(os.tmpdir(), `mcp-notes-index-${process.pid}-${randomBytes(4).toString('hex')}.sqlite`);
      this.#db = new DatabaseSync(this.#scratch);
      configure(this.#db);
      this.#db.exec(DDL);
    }
    // Plain INSERT after an explicit DELETE: INSERT OR REPLACE measured 3-4x slower for bulk loads.
    this.#insertEntry = this.#db.prepare(
      'INSERT INTO entries(rowid, path, stamp, meta, searchable) VALUES (?, ?, ?, ?, ?)',
    );
    this.#deleteEntry = this.#db.prepare('DELETE FROM entries WHERE rowid = ?');
    this.#insertText = this.#db.prepare('INSERT INTO fts(rowid, title, body, tags) VALUES (?, ?, ?, ?)');
    this.#deleteText = this.#db.prepare('DELETE FROM fts WHERE rowid = ?');
  }

  /** Every stored entry (none for a new or private index), streamed rather than loaded at once. */
  *entries(): Generator<StoredEntry> {
    for (const row of this.#db.prepare('SELECT rowid, path, stamp, meta, searchable FROM entries').iterate()) {
      const value = row as { rowid: number; path: string; stamp: string; meta: string; searchable: number };
      yield {
        rowid: value.rowid,
        path: value.path,
        stamp: value.stamp,
        meta: value.meta,
        searchable: value.searchable === 1,
      };
    }
  }

  /** Build the fuzzy-matching vocabulary now rather than on the first fuzzy search. */
  warmUp(): void {
    if (this.#db.isOpen) this.#vocab();
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
   * Store an entry; with `text`, (re)index its title, body and tags. An entry stored without text (a broken file,
   * a note in the trash) is remembered but not searchable.
   */
  put(
    entry: Omit<StoredEntry, 'searchable'>,
    previous: { rowid: number; searchable: boolean } | undefined,
    text?: { title: string; body: string; tags: readonly string[] },
  ): void {
    this.transaction(() => {
      if (previous) {
        if (previous.searchable) this.#deleteText.run(previous.rowid);
        this.#deleteEntry.run(previous.rowid);
      }
      this.#insertEntry.run(entry.rowid, entry.path, entry.stamp, entry.meta, text ? 1 : 0);
      if (text) {
        const tags = text.tags.join(' ');
        this.#insertText.run(entry.rowid, text.title, text.body, tags);
        if (this.#vocabulary) {
          for (const term of termsOf(`${text.title} ${text.body} ${tags}`)) this.#vocabulary.set(term, true);
        }
      }
    });
  }

  /** Forget an entry (its file is gone). */
  remove(rowid: number, searchable: boolean): void {
    this.transaction(() => {
      if (searchable) this.#deleteText.run(rowid);
      this.#deleteEntry.run(rowid);
    });
  }

  /** The terms a query stands for: each query term, its prefix form, and its fuzzy variants from the vocabulary. */
  expand(text: string, prefix: boolean, fuzzy: boolean): { groups: string[][]; terms: QueryTerms } {
    const terms: QueryTerms = { exact: new Set(), prefixes: [] };
    const groups: string[][] = [];
    for (const term of new Set(termsOf(text))) {
      const group: string[] = [];
      if (prefix && term.length >= 3) {
        group.push(`"${term}"*`);
        terms.prefixes.push(term);
      } else {
        group.push(`"${term}"`);
        terms.exact.add(term);
      }
      // Typos in numbers are not typos: 2024 must not find 2025.
      if (fuzzy && term.length >= 4 && !/\d/.test(term)) {
        const variants = [...this.#vocab().fuzzyGet(term, term.length >= 8 ? 2 : 1)]
          .filter(([variant]) => variant !== term && !(prefix && variant.startsWith(term)))
          .sort((a, b) => a[1][1] - b[1][1])
          .slice(0, 8);
        for (const [variant] of variants) {
          group.push(`"${variant}"`);
          terms.exact.add(variant);
        }
      }
      groups.push(group);
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
    const filter = query.rowids ? ' AND rowid IN (SELECT value FROM json_each(?))' : '';
    const run = (mode: 'all' | 'any'): Omit<IndexResult, 'terms' | 'mode'> => {
      const match = groups.map((group) => `(${group.join(' OR ')})`).join(mode === 'all' ? ' AND ' : ' OR ');
      const base: (string | number)[] = [match];
      if (query.rowids) base.push(JSON.stringify(query.rowids));
      // Counting and walking rowids is cheap (no ranking function runs); ranking is what costs.
      const total = (
        this.#db.prepare(`SELECT count(*) AS n FROM fts WHERE fts MATCH ?${filter}`).get(...base) as { n: number }
      ).n;
      if (total === 0) return { hits: [], total, windowed: false };
      let window = '';
      const params = [...base];
      if (total > RANK_WINDOW) {
        const edge = this.#db
          .prepare(`SELECT rowid FROM fts WHERE fts MATCH ?${filter} ORDER BY rowid DESC LIMIT 1 OFFSET ?`)
          .get(...base, RANK_WINDOW - 1) as { rowid: number } | undefined;
        if (edge) {
          window = ' AND rowid >= ?';
          params.push(edge.rowid);
        }
      }
      params.push(query.limit, query.offset);
      const hits = this.#db
        .prepare(
          `SELECT rowid, bm25(fts, 4.0, 1.0, 2.0) AS score FROM fts WHERE fts MATCH ?${filter}${window} ORDER BY score, rowid LIMIT ? OFFSET ?`,
        )
        .all(...params) as unknown as IndexHit[];
      return { hits, total, windowed: window !== '' };
    };
    if (query.mode) return { ...run(query.mode), terms, mode: query.mode };
    const all = run('all');
    if (all.total > 0 || groups.length === 1) return { ...all, terms, mode: 'all' };
    return { ...run('any'), terms, mode: 'any' };
  }

  #vocab(): SearchableMap<true> {
    if (!this.#vocabulary) {
      const map = new SearchableMap<true>();
      for (const row of this.#db.prepare('SELECT term FROM vocab').iterate())
        map.set((row as { term: string }).term, true);
      this.#vocabulary = map;
    }
    return this.#vocabulary;
  }

  /** Close the database (a cache file stays for the next start; a private one is removed). */
  close(): void {
    if (this.#db.isOpen) this.#db.close();
    if (this.#scratch) removeDatabase(this.#scratch);
  }
}
