/**
 * The note store: create, read, update, delete (to the trash), restore, list, search and count tags over a folder
 * of Markdown files, safely shared by several processes.
 *
 * Every write runs inside this process's queue and the folder's lock file, reads the note afresh from disk, checks
 * `expectedVersion` against what is on disk (not against a cache), and replaces the file atomically. Reads never
 * lock: a reader sees a whole old file or a whole new one.
 */
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { createFileAtomic, moveNoClobber, writeFileAtomic } from './atomic-write.js';
import { cacheFileFor } from './cache-dir.js';
import { Catalog, type Entry, type Problem } from './catalog.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { NoteStoreError } from './errors.js';
import { FileLock, LockTimeoutError, Mutex } from './lock.js';
import { fileStemForTitle, isNoteId, newNoteId, normalizeTag, normalizeTitle, tagKey } from './names.js';
import { inputProblem, type NoteMeta, type ParsedNote, parseNoteFile, renderNoteFile } from './note-file.js';
import { SearchIndex } from './search-index.js';
import { snippetOf } from './snippet.js';

/** node:crypto on first use: loading it costs ~3 ms of a server's start. */
const crypto = () => process.getBuiltinModule('node:crypto');

/** When `expectedVersion` must be given. */
export type VersionPolicy = 'required' | 'optional' | 'required-for-replace';

/** How a {@link NoteStore} is set up. */
export interface NoteStoreOptions {
  /** The notes folder (created if missing). */
  dir: string;
  /** The trash folder, relative to `dir`. Default `.trash`. */
  trashDir?: string;
  /** Largest body accepted, in bytes of UTF-8. Default 1 MiB. */
  maxBodyBytes?: number;
  /** When `expectedVersion` is required. Default `required-for-replace`. */
  versionPolicy?: VersionPolicy;
  /** Folder for the search index cache file (one per notes folder); undefined keeps the index in memory. */
  cacheDir?: string;
  /** Watch the folder for changes made outside the store. Default true. */
  watch?: boolean;
  /** Full rescan interval (a safety net with a watcher; the freshness bound without one). Default 30 s. */
  rescanIntervalMs?: number;
  /**
   * When the first open of a large folder (over 1,000 new files) indexes text on this thread (no worker, see
   * {@link indexWorker}): how long it does so before leaving the rest to the background, in ms. Default 1500. Either
   * way such a folder is served once every file is read, searches say how many notes are still pending, and
   * {@link NoteStore.indexed} resolves when none are.
   */
  firstBuildTextBudgetMs?: number;
  /**
   * Build the full-text index of a large first open (over 1,000 new files) on a worker thread, beside the thread
   * that reads the files. Default true. False (or a worker that cannot start) indexes on this thread, within
   * {@link firstBuildTextBudgetMs} and then in the background.
   */
  indexWorker?: boolean;
  /**
   * A folder of more files than this, whose index cache is whole, opens without scanning: the cache is served at
   * once, and the files are checked against it in the background (new, changed and removed files are picked up
   * within the scan, written notes are always read afresh from disk). Default 5,000; 0 trusts any intact cache.
   */
  syncScanMax?: number;
  /** Give up waiting for the folder's write lock after this long. Default 10 s. */
  lockTimeoutMs?: number;
  /** A lock whose holder cannot be checked (another host) is stale after this long. Default 30 s. */
  lockStaleMs?: number;
  /** Told about every file skipped as broken. */
  onProblem?: (problem: Problem) => void;
}

/** A note without its body. */
export interface NoteSummary extends NoteMeta {
  /** The file, relative to the notes folder. */
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

/** Sort orders of {@link NoteStore.list}. */
export type ListSort = 'updated' | 'created' | 'title';

/** One search hit. */
export interface SearchHit extends NoteSummary {
  /** BM25 relevance; higher is better. */
  score: number;
  /** The body around the hits, hits in `**`. */
  snippet: string;
}

interface Snapshot {
  version: number;
  title: string;
  tags: string;
  bodyHash: string;
  bodyLength: number;
}

/** How many of the files skipped as broken a listing names (their count is given too). */
export const LIST_PROBLEMS = 20;

const HISTORY_NOTES = 5000;
const HISTORY_VERSIONS = 6;

function hashOf(text: string): string {
  return crypto().createHash('sha1').update(text).digest('base64url');
}

function summaryOf(entry: Entry): NoteSummary {
  const note = entry.note as NonNullable<Entry['note']>;
  return {
    id: note.id,
    title: note.title,
    tags: note.tags,
    created: note.created,
    updated: note.updated,
    version: note.version,
    path: entry.path,
  };
}

function countOf(text: string, find: string): number {
  let count = 0;
  for (let at = text.indexOf(find); at !== -1; at = text.indexOf(find, at + find.length)) count++;
  return count;
}

/**
 * A notes folder opened for reading and writing. Open with {@link NoteStore.open}; close when done.
 *
 * @example
 * const store = await NoteStore.open({ dir: '/home/me/notes' });
 * const note = await store.create({ title: 'Groceries', body: '- milk', tags: ['home'] });
 * await store.update({ id: note.id, expectedVersion: note.version, append: '- eggs' });
 * const { hits } = await store.search({ query: 'milk' });
 * await store.close();
 */
export class NoteStore {
  readonly dir: string;
  readonly trashDir: string;
  readonly maxBodyBytes: number;
  readonly versionPolicy: VersionPolicy;
  readonly #catalog: Catalog;
  readonly #mutex = new Mutex();
  readonly #lock: FileLock;
  readonly #history = new Map<string, Snapshot[]>();
  #closed = false;

  private constructor(
    catalog: Catalog,
    options: Required<
      Pick<NoteStoreOptions, 'trashDir' | 'maxBodyBytes' | 'versionPolicy' | 'lockTimeoutMs' | 'lockStaleMs'>
    >,
  ) {
    this.#catalog = catalog;
    this.dir = catalog.root;
    this.trashDir = options.trashDir;
    this.maxBodyBytes = options.maxBodyBytes;
    this.versionPolicy = options.versionPolicy;
    this.#lock = new FileLock(path.join(catalog.root, '.mcp-notes.lock'), {
      staleMs: options.lockStaleMs,
      timeoutMs: options.lockTimeoutMs,
    });
  }

  /** Open (creating if needed) a notes folder: load the index cache, scan the files, start watching. */
  static async open(options: NoteStoreOptions): Promise<NoteStore> {
    const trashDir = options.trashDir ?? '.trash';
    if (path.isAbsolute(trashDir) || trashDir.split(/[\\/]/).some((part) => part === '..' || part === '')) {
      throw new Error(`trashDir must be a folder name inside the notes folder, not ${JSON.stringify(trashDir)}`);
    }
    await fs.mkdir(options.dir, { recursive: true });
    const root = await fs.realpath(options.dir);
    const catalog = await Catalog.open({
      root,
      trashDir,
      cacheFile: options.cacheDir === undefined ? undefined : cacheFileFor(options.cacheDir, root),
      watch: options.watch ?? true,
      rescanIntervalMs: options.rescanIntervalMs ?? 30_000,
      textBudgetMs: options.firstBuildTextBudgetMs ?? 1500,
      textWorker: options.indexWorker ?? true,
      syncScanMax: options.syncScanMax ?? 5000,
      onProblem: options.onProblem ?? (() => {}),
    });
    const store = new NoteStore(catalog, {
      trashDir,
      maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
      versionPolicy: options.versionPolicy ?? 'required-for-replace',
      lockTimeoutMs: options.lockTimeoutMs ?? 10_000,
      lockStaleMs: options.lockStaleMs ?? 30_000,
    });
    // The scan swept the temp files of writers killed mid-write; a lock one of them held goes too. Tidying only:
    // a write would take such a lock over anyway, so a failure here changes nothing.
    await store.#lock.clearStale().catch(() => {});
    return store;
  }

  /** Notes whose text is not yet searchable (a first build of a large folder still running in the background). */
  get pendingNotes(): number {
    return this.#catalog.pendingText();
  }

  /** True when the search index is kept in a cache file between runs (false: a private temp file). */
  get persistentIndex(): boolean {
    return this.#catalog.index.persistent;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Writes

  /** Create a note. Its file is named after the title (`Title.md`, `Title 2.md` on a clash). */
  async create(input: { title: string; body?: string; tags?: string[] }): Promise<NoteSummary> {
    const title = normalizeTitle(input.title);
    const tags = this.#checkTags(input.tags ?? []);
    this.#checkTitle(title);
    const body = input.body ?? '';
    this.#checkBody(body);
    return this.#write(async () => {
      let id = newNoteId();
      while (this.#catalog.live(id) || this.#catalog.trashed(id)) id = newNoteId();
      const now = new Date().toISOString();
      const meta: NoteMeta = { id, title, tags, created: now, updated: now, version: 1 };
      const text = renderNoteFile(meta, body);
      const stem = fileStemForTitle(title);
      for (let n = 1; ; n++) {
        const name = n === 1 ? `${stem}.md` : n <= 50 ? `${stem} ${n}.md` : `${stem} ${id}.md`;
        if (await createFileAtomic(path.join(this.dir, name), text)) {
          const entry = await this.#catalog.record(name, { meta, derivedId: false, body, data: {} });
          this.#remember(meta, body);
          return summaryOf(entry as Entry);
        }
      }
    });
  }

  /** Change a note's title, tags and/or body (replace, append, or find/replace), checking `expectedVersion`. */
  async update(input: NoteUpdate): Promise<UpdateResult> {
    this.#checkId(input.id);
    const bodyOps = [input.body, input.append, input.findReplace].filter((op) => op !== undefined).length;
    if (bodyOps > 1) {
      throw new NoteStoreError('invalid_input', 'Give at most one of body, append and findReplace.', {
        hint: 'Make one body change per call; title and tags can go with any of them.',
      });
    }
    if (bodyOps === 0 && input.title === undefined && input.tags === undefined) {
      throw new NoteStoreError('invalid_input', 'Nothing to change: give title, tags, body, append or findReplace.');
    }
    const title = input.title === undefined ? undefined : normalizeTitle(input.title);
    if (title !== undefined) this.#checkTitle(title);
    const tags = input.tags === undefined ? undefined : this.#checkTags(input.tags);
    if (input.findReplace && input.findReplace.find === '') {
      throw new NoteStoreError('invalid_input', 'findReplace.find is empty.', {
        hint: 'Give the exact text to replace.',
      });
    }
    const replaces = input.title !== undefined || input.tags !== undefined || input.body !== undefined;
    this.#checkVersionGiven(input.expectedVersion, replaces, 'update');

    return this.#write(async () => {
      const { entry, parsed, fileVersion } = await this.#fresh(input.id);
      this.#checkVersion(input.id, input.expectedVersion, parsed, fileVersion);
      const old = parsed.meta;
      let body = parsed.body;
      let replacements: number | undefined;
      if (input.body !== undefined) body = input.body;
      else if (input.append !== undefined) {
        body = body === '' || body.endsWith('\n') ? body + input.append : `${body}\n${input.append}`;
      } else if (input.findReplace) {
        const { find, replace, expectedCount = 1 } = input.findReplace;
        const count = countOf(body, find);
        if (count !== expectedCount) {
          throw new NoteStoreError(
            'match_count_mismatch',
            `Found ${count} occurrence${count === 1 ? '' : 's'} of the text to replace in note ${input.id}, expected ${expectedCount}. Nothing was changed.`,
            {
              hint:
                count === 0
                  ? 'Read the note again and copy the exact text (whitespace and case matter).'
                  : `Pass expectedCount: ${count} to replace them all, or make find longer so it is unique.`,
              details: { found: count, expectedCount, version: old.version },
            },
          );
        }
        body = body.split(find).join(replace);
        replacements = count;
      }
      this.#checkBody(body);
      const changed: UpdateResult['changed'] = [];
      if (title !== undefined && title !== old.title) changed.push('title');
      if (tags !== undefined && tags.join('\n') !== old.tags.join('\n')) changed.push('tags');
      if (body !== parsed.body) changed.push('body');
      if (changed.length === 0) {
        return { ...summaryOf(entry), changed, ...(replacements === undefined ? {} : { replacements }) };
      }
      const meta: NoteMeta = {
        ...old,
        title: title ?? old.title,
        tags: tags ?? old.tags,
        updated: new Date().toISOString(),
        // One past the effective version: a change made by hand under the old number is counted.
        version: old.version + 1,
      };
      const text = renderNoteFile(meta, body, parsed.data);
      await writeFileAtomic(this.#catalog.absolute(entry.path), text);
      const written = await this.#catalog.record(entry.path, { ...parsed, meta, derivedId: false, body });
      this.#remember(meta, body);
      return { ...summaryOf(written as Entry), changed, ...(replacements === undefined ? {} : { replacements }) };
    });
  }

  /** Move a note to the trash folder (restorable), checking `expectedVersion`. */
  async delete(input: { id: string; expectedVersion?: number }): Promise<NoteSummary & { trashPath: string }> {
    this.#checkId(input.id);
    this.#checkVersionGiven(input.expectedVersion, true, 'delete');
    return this.#write(async () => {
      const { entry, parsed, fileVersion } = await this.#fresh(input.id);
      this.#checkVersion(input.id, input.expectedVersion, parsed, fileVersion);
      const target = await this.#moveFree(entry.path, `${this.trashDir}/${entry.path}`);
      // The trash sorts by when a note was deleted.
      const now = new Date();
      await fs.utimes(this.#catalog.absolute(target), now, now).catch(() => {});
      await this.#catalog.record(entry.path, undefined);
      // The trashed copy keeps the note's effective version (the file is moved as it is).
      const moved = await this.#catalog.record(
        target,
        { ...parsed, meta: { ...parsed.meta, version: fileVersion } },
        entry,
      );
      return { ...summaryOf(moved ?? entry), path: entry.path, trashPath: target };
    });
  }

  /** Bring a note back from the trash to where it was (or beside it, if that name is taken). */
  async restore(input: { id: string }): Promise<NoteSummary> {
    this.#checkId(input.id);
    return this.#write(async () => {
      await this.#catalog.refresh();
      let entry = this.#catalog.trashed(input.id);
      if (!entry) {
        await this.#catalog.refresh(true);
        entry = this.#catalog.trashed(input.id);
      }
      if (!entry?.note) {
        const live = this.#catalog.live(input.id);
        throw new NoteStoreError('not_found', `No note with id "${input.id}" is in the trash.`, {
          hint: live
            ? 'It is not deleted: read it with its id.'
            : 'List the trash (list with trash: true) to see the ids there.',
        });
      }
      if (this.#catalog.live(input.id)) {
        throw new NoteStoreError(
          'id_conflict',
          `A live note already has the id "${input.id}"; the trashed copy was left in the trash.`,
          {
            hint: 'Read the live note; if the trashed copy is needed, open it by hand in the trash folder.',
            details: { livePath: this.#catalog.live(input.id)?.path, trashPath: entry.path },
          },
        );
      }
      const original = entry.path.slice(this.trashDir.length + 1);
      const target = await this.#moveFree(entry.path, original);
      const absolute = this.#catalog.absolute(target);
      const stat = await fs.stat(absolute);
      const text = await fs.readFile(absolute, 'utf8');
      await this.#catalog.record(entry.path, undefined);
      const restored = this.#catalog.refreshOne(target, text, stat, entry);
      if (!restored.note) throw new NoteStoreError('not_found', `The restored file ${target} could not be read back.`);
      return summaryOf(restored);
    });
  }

  // -------------------------------------------------------------------------------------------------------------
  // Reads

  /** Read a note by id, or by exact title when exactly one note has it. `offset`/`maxChars` window the body. */
  async read(input: { id?: string; title?: string; offset?: number; maxChars?: number }): Promise<Note> {
    await this.#catalog.refresh();
    let id = input.id;
    if (id === undefined) {
      if (input.title === undefined) throw new NoteStoreError('invalid_input', 'Give an id or a title.');
      id = this.#idForTitle(input.title);
    }
    this.#checkId(id);
    const { entry, parsed } = await this.#fresh(id);
    this.#remember(parsed.meta, parsed.body);
    const offset = Math.min(input.offset ?? 0, parsed.body.length);
    const max = input.maxChars ?? Number.POSITIVE_INFINITY;
    const end = Math.min(parsed.body.length, offset + max);
    return {
      ...summaryOf(entry),
      ...parsed.meta,
      path: entry.path,
      body: parsed.body.slice(offset, end),
      bodyLength: parsed.body.length,
      offset,
      truncated: end < parsed.body.length,
      ...(end < parsed.body.length ? { nextOffset: end } : {}),
    };
  }

  /**
   * List notes (or the trash), newest first by default, in pages. The cursor is a position in the sort order, not
   * an offset, so notes created while paging never shift a page: no note is skipped or shown twice (a note edited
   * while paging can move, when sorting by `updated`).
   */
  async list(
    input: {
      tag?: string;
      sort?: ListSort;
      order?: 'asc' | 'desc';
      limit?: number;
      cursor?: string;
      trash?: boolean;
    } = {},
  ): Promise<{
    notes: (NoteSummary & { excerpt: string })[];
    total: number;
    nextCursor?: string;
    /** The first {@link LIST_PROBLEMS} files skipped as broken, by path (all of them: {@link problems}). */
    problems: Problem[];
    /** How many files are skipped as broken. */
    problemCount: number;
  }> {
    await this.#catalog.refresh();
    const sort = input.sort ?? 'updated';
    const order = input.order ?? (sort === 'title' ? 'asc' : 'desc');
    const tag = input.tag === undefined ? undefined : normalizeTag(input.tag);
    const limit = input.limit ?? 20;
    const trash = input.trash ?? false;
    let after: { key: string | number; id: string } | undefined;
    if (input.cursor !== undefined) {
      const value = decodeCursor<{ s: string; o: string; t: boolean; g: string | null; v: string | number; i: string }>(
        'list',
        input.cursor,
        (v) =>
          v.s === sort &&
          v.o === order &&
          v.t === trash &&
          v.g === (tag ?? null) &&
          (typeof v.v === 'string' || typeof v.v === 'number') &&
          typeof v.i === 'string',
      );
      after = { key: value.v, id: value.i };
    }
    const { entries, total } = this.#catalog.index.page({ trash, tag, sort, order, limit: limit + 1, after });
    const page = entries.slice(0, limit);
    const last = page.at(-1);
    return {
      notes: page.map((entry) => ({ ...summaryOf(entry), excerpt: entry.note?.excerpt ?? '' })),
      total,
      ...(entries.length > limit && last
        ? {
            nextCursor: encodeCursor('list', {
              s: sort,
              o: order,
              t: trash,
              g: tag ?? null,
              v: SearchIndex.sortKey(last, sort),
              i: last.note?.id,
            }),
          }
        : {}),
      problems: this.#catalog.problems(LIST_PROBLEMS),
      problemCount: this.#catalog.problemCount(),
    };
  }

  /** Ranked full-text search over titles, bodies and tags, with snippets; prefix and fuzzy matching by default. */
  async search(input: {
    query: string;
    tag?: string;
    limit?: number;
    cursor?: string;
    prefix?: boolean;
    fuzzy?: boolean;
  }): Promise<{
    hits: SearchHit[];
    nextCursor?: string;
    matched: 'all' | 'any';
    total: number;
    windowed: boolean;
    /** Notes not yet in the full-text index (a first build of a large folder still running); 0 normally. */
    pending: number;
  }> {
    await this.#catalog.refresh();
    const limit = input.limit ?? 10;
    const prefix = input.prefix ?? true;
    const fuzzy = input.fuzzy ?? true;
    const tag = input.tag === undefined ? undefined : normalizeTag(input.tag);
    const fingerprint = hashOf(JSON.stringify([input.query, tag, prefix, fuzzy])).slice(0, 12);
    let offset = 0;
    let mode: 'all' | 'any' | undefined;
    if (input.cursor !== undefined) {
      const value = decodeCursor<{ f: string; o: number; m: 'all' | 'any' }>(
        'search',
        input.cursor,
        (v) => v.f === fingerprint && Number.isSafeInteger(v.o) && v.o >= 0,
      );
      offset = value.o;
      mode = value.m;
    }
    const result = this.#catalog.index.search({
      text: input.query,
      prefix,
      fuzzy,
      limit: limit + 1,
      offset,
      ...(tag === undefined ? {} : { tag }),
      ...(mode ? { mode } : {}),
    });
    const page = result.hits.slice(0, limit);
    const hits: SearchHit[] = [];
    const bodies = await Promise.all(
      page.map(async (hit) => {
        const entry = this.#catalog.byRowid(hit.rowid);
        if (!entry?.note) return undefined;
        const text = await fs.readFile(this.#catalog.absolute(entry.path), 'utf8').catch(() => undefined);
        return { entry, hit, body: text === undefined ? undefined : this.#bodyOf(entry, text) };
      }),
    );
    for (const item of bodies) {
      if (!item) continue;
      hits.push({
        ...summaryOf(item.entry),
        score: Number((-item.hit.score).toPrecision(4)),
        snippet: item.body === undefined ? (item.entry.note?.excerpt ?? '') : snippetOf(item.body, result.terms),
      });
    }
    return {
      hits,
      matched: result.mode,
      total: result.total,
      windowed: result.windowed,
      pending: this.#catalog.pendingText(),
      ...(result.hits.length > limit
        ? { nextCursor: encodeCursor('search', { f: fingerprint, o: offset + limit, m: result.mode }) }
        : {}),
    };
  }

  /** Every tag on a live note, with how many notes carry it, most used first. */
  async tags(): Promise<{ tag: string; count: number }[]> {
    await this.#catalog.refresh();
    return this.#catalog.index.tagCounts();
  }

  /** Ids of live notes starting with `prefix` (for completions), most recently updated first. */
  async idsStartingWith(prefix: string, limit = 100): Promise<string[]> {
    await this.#catalog.refresh();
    return this.#catalog.index.idsStartingWith(prefix, limit);
  }

  /** Files skipped as broken, and why. */
  async problems(): Promise<Problem[]> {
    await this.#catalog.refresh();
    return this.#catalog.problems();
  }

  /**
   * Resolves when every note is in the full-text index. Opening a large folder for the first time returns once the
   * files are read; their text is indexed in the background (searches meanwhile say how many notes are pending).
   */
  indexed(): Promise<void> {
    return this.#catalog.indexed();
  }

  /** Pick up changes made outside the store now, rather than on the next call. */
  async refresh(): Promise<void> {
    await this.#catalog.refresh(true);
  }

  /** Stop watching and close the index. Writes in progress finish first. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#mutex.run(async () => {});
    this.#catalog.close();
  }

  // -------------------------------------------------------------------------------------------------------------
  // Internals

  #write<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new NoteStoreError('closed', 'The notes store is closed.'));
    return this.#mutex.run(async () => {
      let release: () => Promise<void>;
      try {
        release = await this.#lock.acquire();
      } catch (error) {
        if (error instanceof LockTimeoutError) {
          throw new NoteStoreError(
            'busy',
            'Another process is writing to the notes folder and did not finish in time.',
            {
              retryable: true,
              hint: 'Try again in a moment.',
              details: error.holder ? { holderPid: error.holder.pid, holderHost: error.holder.host } : {},
            },
          );
        }
        throw error;
      }
      try {
        // What other processes wrote since our last look.
        await this.#catalog.refresh();
        return await fn();
      } finally {
        await release();
      }
    });
  }

  /** The note with `id`, read from disk now. Throws `not_found` (or `broken_note`) when it cannot be. */
  /**
   * `parsed.meta.version` is the effective version (see {@link Entry.note}); `fileVersion` is what the file says.
   */
  async #fresh(id: string): Promise<{ entry: Entry; parsed: ParsedNote; fileVersion: number }> {
    for (let attempt = 0; attempt < 2; attempt++) {
      // Not found, or moved: with a watcher the events say where (already applied); without one, only a scan can.
      if (attempt === 1) await this.#catalog.refresh(!this.#catalog.watching);
      const entry = this.#catalog.live(id);
      if (!entry?.note) continue;
      let text: string;
      let stat: Stats;
      try {
        stat = await fs.stat(this.#catalog.absolute(entry.path));
        text = await fs.readFile(this.#catalog.absolute(entry.path), 'utf8');
      } catch {
        continue;
      }
      const current = this.#catalog.refreshOne(entry.path, text, stat);
      if (current?.note?.id !== id) continue;
      const parsed = parseNoteFile(text, { path: entry.path, mtimeMs: 0, birthtimeMs: 0 }, () => id);
      if ('note' in parsed) {
        // Dates the file lacks come from the catalog (which knows the file's times).
        parsed.note.meta.created = current.note.created;
        parsed.note.meta.updated = current.note.updated;
        const fileVersion = parsed.note.meta.version;
        parsed.note.meta.version = current.note.version;
        return { entry: current, parsed: parsed.note, fileVersion };
      }
    }
    const trashed = this.#catalog.trashed(id);
    const broken = this.#catalog.problems().find((problem) => problem.id === id);
    throw new NoteStoreError('not_found', `No note with id "${id}".`, {
      hint: trashed
        ? `It is in the trash (${trashed.path}); restore it first.`
        : broken
          ? `A file claims this id but is skipped: ${broken.path}: ${broken.message}.`
          : 'Search or list notes to find the id.',
    });
  }

  #idForTitle(title: string): string {
    const wanted = normalizeTitle(title);
    const matches = this.#catalog.index.byTitle(wanted, 50);
    if (matches.length === 0) {
      throw new NoteStoreError('not_found', `No note is titled ${JSON.stringify(wanted)}.`, {
        hint: 'Search for it instead; titles must match exactly.',
      });
    }
    if (matches.length > 1) {
      throw new NoteStoreError('ambiguous_title', `${matches.length} notes are titled ${JSON.stringify(wanted)}.`, {
        hint: `Read one by id: ${matches
          .slice(0, 10)
          .map((entry) => entry.note?.id)
          .join(', ')}.`,
        details: { ids: matches.map((entry) => entry.note?.id) },
      });
    }
    return (matches[0] as Entry).note?.id as string;
  }

  #bodyOf(entry: Entry, text: string): string | undefined {
    const parsed = parseNoteFile(text, { path: entry.path, mtimeMs: 0, birthtimeMs: 0 }, () => 'x');
    return 'note' in parsed ? parsed.note.body : undefined;
  }

  async #moveFree(from: string, to: string): Promise<string> {
    const stem = to.replace(/\.(md|markdown)$/i, '');
    const ext = to.slice(stem.length) || '.md';
    for (let n = 1; n < 1000; n++) {
      const target = n === 1 ? to : `${stem} ${n}${ext}`;
      if (await moveNoClobber(this.#catalog.absolute(from), this.#catalog.absolute(target))) return target;
    }
    throw new NoteStoreError('busy', `Could not find a free name for ${to}.`);
  }

  #remember(meta: NoteMeta, body: string): void {
    let versions = this.#history.get(meta.id);
    if (!versions) {
      if (this.#history.size >= HISTORY_NOTES) this.#history.delete(this.#history.keys().next().value as string);
      versions = [];
      this.#history.set(meta.id, versions);
    }
    if (versions.some((snapshot) => snapshot.version === meta.version)) return;
    versions.push({
      version: meta.version,
      title: meta.title,
      tags: meta.tags.join('\n'),
      bodyHash: hashOf(body),
      bodyLength: body.length,
    });
    if (versions.length > HISTORY_VERSIONS) versions.shift();
  }

  #checkVersion(id: string, expected: number | undefined, parsed: ParsedNote, fileVersion: number): void {
    const current = parsed.meta;
    if (expected === undefined || expected === current.version) return;
    const outside =
      current.version > fileVersion
        ? ` The note was edited outside the server (by hand or by another app; its file still says version ${fileVersion}), so it counts as version ${current.version} now.`
        : '';
    const before = this.#history.get(id)?.find((snapshot) => snapshot.version === expected);
    const changed: string[] = [];
    if (before) {
      if (before.title !== current.title) changed.push('title');
      if (before.tags !== current.tags.join('\n')) changed.push('tags');
      if (before.bodyHash !== hashOf(parsed.body)) changed.push('body');
    }
    const delta = before ? parsed.body.length - before.bodyLength : undefined;
    const what = before
      ? changed.length === 0
        ? 'nothing visible changed (only the version moved)'
        : `the ${changed.join(', ')} changed${delta !== undefined && changed.includes('body') ? ` (body ${delta >= 0 ? '+' : ''}${delta} characters)` : ''}`
      : `version ${expected} is not known here (written by another client or before this server started)`;
    throw new NoteStoreError(
      'version_conflict',
      `Note ${id} is at version ${current.version}, not ${expected}: it was changed since you read it (last updated ${current.updated}); ${what}.${outside} Nothing was written.`,
      {
        retryable: true,
        hint: `Read note ${id} again, re-apply your change to the current text, and pass expectedVersion: ${current.version}.`,
        details: {
          id,
          expectedVersion: expected,
          currentVersion: current.version,
          updated: current.updated,
          title: current.title,
          tags: current.tags,
          bodyLength: parsed.body.length,
          changed: before ? changed : null,
          editedOutside: current.version > fileVersion,
        },
      },
    );
  }

  #checkVersionGiven(expected: number | undefined, replaces: boolean, action: string): void {
    if (expected !== undefined) return;
    if (this.versionPolicy === 'required' || (this.versionPolicy === 'required-for-replace' && replaces)) {
      throw new NoteStoreError(
        'version_required',
        `expectedVersion is required to ${action} a note${this.versionPolicy === 'required-for-replace' ? ' when replacing its title, tags or body' : ''}.`,
        { hint: 'Read the note first and pass its version as expectedVersion.' },
      );
    }
  }

  #checkId(id: string): void {
    if (!isNoteId(id)) {
      throw new NoteStoreError('invalid_id', `${JSON.stringify(id.slice(0, 80))} is not a note id.`, {
        hint: 'Ids are 1-64 letters, digits, "_" or "-" (no dots or slashes), as returned by create, list and search.',
      });
    }
  }

  #checkTitle(title: string): void {
    const problem = inputProblem(title, undefined);
    if (problem)
      throw new NoteStoreError('invalid_title', `Invalid title: ${problem}.`, { hint: 'Give a one-line title.' });
  }

  #checkTags(tags: readonly string[]): string[] {
    const problem = inputProblem(undefined, tags);
    if (problem) {
      throw new NoteStoreError('invalid_tag', `Invalid tag: ${problem}.`, {
        hint: 'Use words like "project" or nested ones like "project/alpha", without "#" or spaces.',
      });
    }
    const result: string[] = [];
    for (const tag of tags.map(normalizeTag)) if (!result.some((t) => tagKey(t) === tagKey(tag))) result.push(tag);
    return result;
  }

  #checkBody(body: string): void {
    const bytes = Buffer.byteLength(body);
    if (bytes > this.maxBodyBytes) {
      throw new NoteStoreError(
        'body_too_large',
        `The body would be ${bytes} bytes; the limit is ${this.maxBodyBytes}. Nothing was written.`,
        {
          hint: 'Split the content over several notes, or shorten it.',
          details: { bytes, maxBodyBytes: this.maxBodyBytes },
        },
      );
    }
  }
}
