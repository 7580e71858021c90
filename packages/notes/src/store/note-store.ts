/**
 * The note store: create, read, update, delete (to the trash), restore, list, search and count tags over a folder
 * of Markdown files, safely shared by several processes.
 *
 * Every write runs inside this process's queue and the folder's lock file, reads the note afresh from disk, checks
 * `expectedVersion` against what is on disk (not against a cache), and replaces the file atomically. Reads never
 * lock: a reader sees a whole old file or a whole new one.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createFileAtomic, moveNoClobber, writeFileAtomic } from './atomic-write.js';
import { cacheFileFor } from './cache-dir.js';
import { Catalog, type Entry, type Problem } from './catalog.js';
import { freshNote, idForTitle, listFolder, searchFolder, summaryOf } from './folder-reads.js';
import type { NoteStoreOptions } from './note-store-options.js';

export { LIST_PROBLEMS } from './folder-reads.js';

import { NoteStoreError } from './errors.js';
import { FileLock, LockTimeoutError, Mutex } from './lock.js';
import { fileStemForTitle, newNoteId } from './names.js';
import { type NoteMeta, type ParsedNote, renderNoteFile } from './note-file.js';
import {
  bodyWindow,
  changedBody,
  changedFields,
  checkBody,
  checkedTags,
  checkedTitle,
  checkId,
  checkUpdate,
  checkVersionGiven,
  notInTrash,
} from './note-rules.js';
import type {
  ListInput,
  ListPage,
  Note,
  NoteInput,
  NoteSummary,
  NotesStore,
  NoteUpdate,
  ReadInput,
  SearchInput,
  SearchPage,
  UpdateResult,
  VersionPolicy,
} from './notes-store.js';
import { VersionHistory, versionConflict } from './version-conflict.js';

export type { NoteStoreOptions } from './note-store-options.js';
export type {
  ListSort,
  Note,
  NoteSummary,
  NoteUpdate,
  SearchHit,
  UpdateResult,
  VersionPolicy,
} from './notes-store.js';

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
export class NoteStore implements NotesStore {
  readonly dir: string;
  readonly trashDir: string;
  readonly maxBodyBytes: number;
  readonly versionPolicy: VersionPolicy;
  readonly #catalog: Catalog;
  readonly #mutex = new Mutex();
  readonly #lock: FileLock;
  readonly #history = new VersionHistory();
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
  async create(input: NoteInput): Promise<NoteSummary> {
    const tags = checkedTags(input.tags ?? []);
    const title = checkedTitle(input.title);
    const body = input.body ?? '';
    checkBody(body, this.maxBodyBytes);
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
          this.#history.remember(meta, body);
          return summaryOf(entry as Entry);
        }
      }
    });
  }

  /** Change a note's title, tags and/or body (replace, append, or find/replace), checking `expectedVersion`. */
  async update(input: NoteUpdate): Promise<UpdateResult> {
    const { title, tags } = checkUpdate(input, this.versionPolicy);
    return this.#write(async () => {
      const { entry, parsed, fileVersion } = await freshNote(this.#catalog, input.id);
      this.#checkVersion(input.id, input.expectedVersion, parsed, fileVersion);
      const old = parsed.meta;
      const { body, replacements } = changedBody(parsed.body, input, old.version);
      checkBody(body, this.maxBodyBytes);
      const changed = changedFields({ ...old, body: parsed.body }, { title, tags, body });
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
      this.#history.remember(meta, body);
      return { ...summaryOf(written as Entry), changed, ...(replacements === undefined ? {} : { replacements }) };
    });
  }

  /** Move a note to the trash folder (restorable), checking `expectedVersion`. */
  async delete(input: { id: string; expectedVersion?: number }): Promise<NoteSummary & { trashPath: string }> {
    checkId(input.id);
    checkVersionGiven(this.versionPolicy, input.expectedVersion, true, 'delete');
    return this.#write(async () => {
      const { entry, parsed, fileVersion } = await freshNote(this.#catalog, input.id);
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
    checkId(input.id);
    return this.#write(async () => {
      await this.#catalog.refresh();
      let entry = this.#catalog.trashed(input.id);
      if (!entry) {
        await this.#catalog.refresh(true);
        entry = this.#catalog.trashed(input.id);
      }
      if (!entry?.note) throw notInTrash(input.id, this.#catalog.live(input.id) !== undefined);
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
  read(input: ReadInput): Promise<Note> {
    return this.#catalog.calls.run(() => this.#read(input));
  }

  async #read(input: ReadInput): Promise<Note> {
    await this.#catalog.refresh();
    let id = input.id;
    if (id === undefined) {
      if (input.title === undefined) throw new NoteStoreError('invalid_input', 'Give an id or a title.');
      id = idForTitle(this.#catalog, input.title);
    }
    checkId(id);
    const { entry, parsed } = await freshNote(this.#catalog, id);
    this.#history.remember(parsed.meta, parsed.body);
    return {
      ...summaryOf(entry),
      ...parsed.meta,
      path: entry.path,
      ...bodyWindow(parsed.body, input.offset, input.maxChars),
    };
  }

  /**
   * List notes (or the trash), newest first by default, in pages. The cursor is a position in the sort order, not
   * an offset, so notes created while paging never shift a page: no note is skipped or shown twice (a note edited
   * while paging can move, when sorting by `updated`).
   */
  list(input: ListInput = {}): Promise<ListPage> {
    return this.#catalog.calls.run(() => listFolder(this.#catalog, input));
  }

  /** Ranked full-text search over titles, bodies and tags, with snippets; prefix and fuzzy matching by default. */
  search(input: SearchInput): Promise<SearchPage> {
    return this.#catalog.calls.run(() => searchFolder(this.#catalog, input));
  }

  /** Every tag on a live note, with how many notes carry it, most used first. */
  tags(): Promise<{ tag: string; count: number }[]> {
    return this.#catalog.calls.run(async () => {
      await this.#catalog.refresh();
      return this.#catalog.index.tagCounts();
    });
  }

  /** Ids of live notes starting with `prefix` (for completions), most recently updated first. */
  idsStartingWith(prefix: string, limit = 100): Promise<string[]> {
    return this.#catalog.calls.run(async () => {
      await this.#catalog.refresh();
      return this.#catalog.index.idsStartingWith(prefix, limit);
    });
  }

  /** Files skipped as broken, and why. */
  problems(): Promise<Problem[]> {
    return this.#catalog.calls.run(async () => {
      await this.#catalog.refresh();
      return this.#catalog.problems();
    });
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
    return this.#catalog.calls.run(() => this.#mutex.run(() => this.#locked(fn)));
  }

  /** Run `fn` holding the folder's lock file (other processes' writers wait for it). */
  async #locked<T>(fn: () => Promise<T>): Promise<T> {
    let release: () => Promise<void>;
    try {
      release = await this.#lock.acquire();
    } catch (error) {
      if (error instanceof LockTimeoutError) {
        throw new NoteStoreError('busy', 'Another process is writing to the notes folder and did not finish in time.', {
          retryable: true,
          hint: 'Try again in a moment.',
          details: error.holder ? { holderPid: error.holder.pid, holderHost: error.holder.host } : {},
        });
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

  #checkVersion(id: string, expected: number | undefined, parsed: ParsedNote, fileVersion: number): void {
    if (expected === undefined || expected === parsed.meta.version) return;
    throw versionConflict(
      id,
      expected,
      { ...parsed.meta, body: parsed.body },
      this.#history.at(id, expected),
      fileVersion,
    );
  }
}
