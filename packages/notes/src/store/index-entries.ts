/** What the index stores of each file (an {@link Entry}), the shapes of its queries, and how its rows map to them. */
import { tagKey } from './names.js';
import type { NoteMeta, NoteProblem } from './note-file.js';

/**
 * Ranking a match set costs about 2 us per matching note (BM25 is computed for every match before the top few are
 * kept). A query matching more notes than this is ranked among the most recently changed this many, so a search for
 * a word in half of 50,000 notes stays within milliseconds; the result says so (`windowed`).
 */
export const RANK_WINDOW = 1000;

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

/** The columns of a {@link Row}. */
export const ENTRY_COLUMNS =
  'rowid, path, stamp, trashed, searchable, id, title, tags, created, updated, version, file_version, hash, derived, excerpt, problem';

/** A row of the `entries` table. */
export interface Row {
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

/** An entry of a {@link Row}. */
export function entryOf(row: Row): Entry {
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

/** Epoch milliseconds of an ISO time (0 for none). */
export function timeOf(iso: string): number {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? 0 : time;
}

/** The SQL condition of a tag filter (the tag or a tag nested under it), on `column` (a rowid). */
export function tagFilter(column: string): string {
  return ` AND ${column} IN (SELECT rowid FROM tags WHERE key = ? OR (key >= ? AND key < ?))`;
}

/** The parameters of {@link tagFilter}. */
export function tagParams(tag: string): string[] {
  const key = tagKey(tag);
  return [key, `${key}/`, `${key}0`];
}
