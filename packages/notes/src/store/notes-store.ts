/**
 * The contract every notes backend keeps: the operations the tools, resources, prompt and view use, with their
 * types, versions and errors. The folder store ({@link NoteStore}) and the PostgreSQL store both implement it and
 * pass the same contract suite (`contract/describe-notes-store.ts`).
 */
import type { NoteMeta, NoteProblem } from './note-file.js';

/** When `expectedVersion` must be given. */
export type VersionPolicy = 'required' | 'optional' | 'required-for-replace';

/** A note without its body. */
export interface NoteSummary extends NoteMeta {
  /** Where the note lives: its file relative to the notes folder, or a backend's own locator. */
  path: string;
}

/** A note with (a window of) its body. */
export interface Note extends NoteSummary {
  body: string;
  /** Length of the whole body, in characters. */
  bodyLength: number;
  /** Where the returned body starts. */
  offset: number;
  /** True when more body follows; read on from `nextOffset`. */
  truncated: boolean;
  nextOffset?: number;
}

/** Changes to a note; at most one of `body`, `append` and `findReplace`. */
export interface NoteUpdate {
  id: string;
  expectedVersion?: number;
  title?: string;
  tags?: string[];
  body?: string;
  append?: string;
  findReplace?: { find: string; replace: string; expectedCount?: number };
}

/** What an update did. */
export interface UpdateResult extends NoteSummary {
  /** The fields that changed: `title`, `tags`, `body`. Empty when the update changed nothing (no write happened). */
  changed: ('title' | 'tags' | 'body')[];
  /** Replacements made by `findReplace`. */
  replacements?: number;
}

/** Sort orders of {@link NotesStore.list}. */
export type ListSort = 'updated' | 'created' | 'title';

/** One search hit. */
export interface SearchHit extends NoteSummary {
  /** Relevance; higher is better. Comparable within one result, not across backends. */
  score: number;
  /** The body around the hits, hits in `**`. */
  snippet: string;
}

/** A file (or record) a store skips as broken, and why. */
export interface Problem extends NoteProblem {
  path: string;
}

/** What {@link NotesStore.create} takes. */
export interface NoteInput {
  title: string;
  body?: string;
  tags?: string[];
}

/** What {@link NotesStore.read} takes: an id, or an exact title; `offset`/`maxChars` window the body. */
export interface ReadInput {
  id?: string;
  title?: string;
  offset?: number;
  maxChars?: number;
}

/** What {@link NotesStore.list} takes. */
export interface ListInput {
  tag?: string;
  sort?: ListSort;
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
  trash?: boolean;
}

/** One page of {@link NotesStore.list}. */
export interface ListPage {
  notes: (NoteSummary & { excerpt: string })[];
  total: number;
  nextCursor?: string;
  /** The first files skipped as broken (none for a database). */
  problems: Problem[];
  /** How many files are skipped as broken. */
  problemCount: number;
}

/** What {@link NotesStore.search} takes. */
export interface SearchInput {
  query: string;
  tag?: string;
  limit?: number;
  cursor?: string;
  prefix?: boolean;
  fuzzy?: boolean;
}

/** One page of {@link NotesStore.search}. */
export interface SearchPage {
  hits: SearchHit[];
  nextCursor?: string;
  /** `all` when every word matched; `any` when no note had them all and notes with some are shown. */
  matched: 'all' | 'any';
  total: number;
  /** True when so many notes matched that only the most recently changed were ranked. */
  windowed: boolean;
  /** Notes not yet in the full-text index (a first build still running); 0 normally. */
  pending: number;
}

/**
 * A notes store, whatever keeps the notes. Every write checks `expectedVersion` against the stored version and fails
 * with `version_conflict` (nothing written) when it moved; versions count writes from 1. Expected failures throw
 * {@link NoteStoreError} with a stable code (`not_found`, `version_conflict`, `invalid_cursor`, ...).
 */
export interface NotesStore {
  /** When `expectedVersion` must be given to update and delete. */
  readonly versionPolicy: VersionPolicy;
  /** Create a note at version 1. */
  create(input: NoteInput): Promise<NoteSummary>;
  /** Change a note's title, tags and/or body (replace, append, or find/replace), checking `expectedVersion`. */
  update(input: NoteUpdate): Promise<UpdateResult>;
  /** Move a note to the trash (restorable), checking `expectedVersion`. */
  delete(input: { id: string; expectedVersion?: number }): Promise<NoteSummary & { trashPath: string }>;
  /** Bring a note back from the trash. */
  restore(input: { id: string }): Promise<NoteSummary>;
  /** Read a note by id, or by exact title when exactly one note has it. */
  read(input: ReadInput): Promise<Note>;
  /** List notes (or the trash) in pages; the cursor is a position in the sort order, so inserts never shift a page. */
  list(input?: ListInput): Promise<ListPage>;
  /** Ranked full-text search over titles, tags and bodies, with snippets; all words, else any. */
  search(input: SearchInput): Promise<SearchPage>;
  /** Every tag on a live note, with how many notes carry it, most used first. */
  tags(): Promise<{ tag: string; count: number }[]>;
  /** Ids of live notes starting with `prefix` (for completions), most recently updated first. */
  idsStartingWith(prefix: string, limit?: number): Promise<string[]>;
  /** Release what the store holds. Writes in progress finish first; later calls fail with `closed`. */
  close(): Promise<void>;
}
