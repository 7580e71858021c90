/**
 * The folder store's reads: a note read afresh from its file, title lookups, listing and search over the catalog.
 * Functions of the catalog, so the store's write path (lock, queue, atomic rename) stays on its own in note-store.ts.
 */
import { promises as fs, type Stats } from 'node:fs';
import type { Catalog, Entry } from './catalog.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { normalizeTag, normalizeTitle } from './names.js';
import { type ParsedNote, parseNoteFile } from './note-file.js';
import { noteNotFound, oneTitleMatch } from './note-rules.js';
import type { ListInput, ListPage, NoteSummary, SearchHit, SearchInput, SearchPage } from './notes-store.js';
import { SearchIndex } from './search-index.js';
import { snippetOf } from './snippet.js';
import { hashOf } from './version-conflict.js';

/** How many of the files skipped as broken a listing names (their count is given too). */
export const LIST_PROBLEMS = 20;

/** An entry as the contract's summary. */
export function summaryOf(entry: Entry): NoteSummary {
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

/**
 * List notes (or the trash), newest first by default, in pages. The cursor is a position in the sort order, not
 * an offset, so notes created while paging never shift a page: no note is skipped or shown twice (a note edited
 * while paging can move, when sorting by `updated`).
 */
export async function listFolder(catalog: Catalog, input: ListInput): Promise<ListPage> {
  await catalog.refresh();
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
  const { entries, total } = catalog.index.page({ trash, tag, sort, order, limit: limit + 1, after });
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
    problems: catalog.problems(LIST_PROBLEMS),
    problemCount: catalog.problemCount(),
  };
}

/** Ranked full-text search over titles, bodies and tags, with snippets; prefix and fuzzy matching by default. */
export async function searchFolder(catalog: Catalog, input: SearchInput): Promise<SearchPage> {
  await catalog.refresh();
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
  const result = catalog.index.search({
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
      const entry = catalog.byRowid(hit.rowid);
      if (!entry?.note) return undefined;
      const text = await fs.readFile(catalog.absolute(entry.path), 'utf8').catch(() => undefined);
      return { entry, hit, body: text === undefined ? undefined : bodyOf(entry, text) };
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
    pending: catalog.pendingText(),
    ...(result.hits.length > limit
      ? { nextCursor: encodeCursor('search', { f: fingerprint, o: offset + limit, m: result.mode }) }
      : {}),
  };
}

/** The note with `id`, read from disk now. Throws `not_found` (or `broken_note`) when it cannot be. */
/**
 * `parsed.meta.version` is the effective version (see {@link Entry.note}); `fileVersion` is what the file says.
 */
export async function freshNote(
  catalog: Catalog,
  id: string,
): Promise<{ entry: Entry; parsed: ParsedNote; fileVersion: number }> {
  for (let attempt = 0; attempt < 2; attempt++) {
    // Not found, or moved: with a watcher the events say where (already applied); without one, only a scan can.
    if (attempt === 1) await catalog.refresh(!catalog.watching);
    const live = catalog.live(id);
    // Missed on the second try: its file may have read as no note a moment ago (an editor's save between its
    // truncate and its write), so read the file it was last at once more.
    const where = live?.note ? live.path : attempt === 1 ? catalog.lost.at(id) : undefined;
    if (where === undefined) continue;
    let text: string;
    let stat: Stats;
    try {
      // Stat first: a change racing the read then leaves a stamp older than the text, so a later scan reads it again.
      stat = await fs.stat(catalog.absolute(where));
      text = await fs.readFile(catalog.absolute(where), 'utf8');
    } catch {
      continue;
    }
    const current = catalog.refreshOne(where, text, stat);
    if (current?.note?.id !== id) continue;
    const parsed = parseNoteFile(text, { path: where, mtimeMs: 0, birthtimeMs: 0 }, () => id);
    if ('note' in parsed) {
      // Dates the file lacks come from the catalog (which knows the file's times).
      parsed.note.meta.created = current.note.created;
      parsed.note.meta.updated = current.note.updated;
      const fileVersion = parsed.note.meta.version;
      parsed.note.meta.version = current.note.version;
      return { entry: current, parsed: parsed.note, fileVersion };
    }
  }
  const trashed = catalog.trashed(id);
  const broken = catalog.problems().find((problem) => problem.id === id);
  throw noteNotFound(
    id,
    trashed
      ? `It is in the trash (${trashed.path}); restore it first.`
      : broken
        ? `A file claims this id but is skipped: ${broken.path}: ${broken.message}.`
        : undefined,
  );
}

/** The id of the one live note titled `title`. */
export function idForTitle(catalog: Catalog, title: string): string {
  const wanted = normalizeTitle(title);
  return oneTitleMatch(
    wanted,
    catalog.index.byTitle(wanted, 50).map((entry) => entry.note?.id as string),
  );
}

function bodyOf(entry: Entry, text: string): string | undefined {
  const parsed = parseNoteFile(text, { path: entry.path, mtimeMs: 0, birthtimeMs: 0 }, () => 'x');
  return 'note' in parsed ? parsed.note.body : undefined;
}
