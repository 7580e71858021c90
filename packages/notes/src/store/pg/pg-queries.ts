/** The PostgreSQL store's listing and search: the queries behind {@link NotesStore.list} and {@link NotesStore.search}. */
import type pg from 'pg';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { normalizeTag, tagKey } from '../names.js';
import type { ListInput, ListPage, NotesStore, SearchInput, SearchPage } from '../notes-store.js';
import { snippetOf } from '../snippet.js';
import { hashOf } from '../version-conflict.js';
import { type NoteRow, SUMMARY_COLUMNS, summaryOf } from './pg-rows.js';
import { queryWords, RANK_WINDOW, SEARCH_SQL, snippetTerms, tsQueryText } from './pg-search.js';

/** One page of {@link NotesStore.list}, keyset-paged on the partial indexes of live notes. */
export async function listNotes(client: pg.PoolClient, input: ListInput): Promise<ListPage> {
  const sort = input.sort ?? 'updated';
  const order = input.order ?? (sort === 'title' ? 'asc' : 'desc');
  const tag = input.tag === undefined ? null : tagKey(normalizeTag(input.tag));
  const limit = input.limit ?? 20;
  const trash = input.trash ?? false;
  let after: { v: string | number; i: string } | undefined;
  if (input.cursor !== undefined) {
    after = decodeCursor<{ s: string; o: string; t: boolean; g: string | null; v: string | number; i: string }>(
      'list',
      input.cursor,
      (v) =>
        v.s === sort &&
        v.o === order &&
        v.t === trash &&
        v.g === tag &&
        (sort === 'title' ? typeof v.v === 'string' : Number.isSafeInteger(v.v)) &&
        typeof v.i === 'string',
    );
  }
  const key = sort === 'title' ? 'lower(title)' : sort;
  const cast = sort === 'title' ? 'text' : 'timestamptz';
  // A tag filter on live notes takes its ids from the GIN index of note_search (on notes, under its forced policy,
  // `@>` cannot use an index: see migration 1765200000000), then reads them by primary key; the trash is small and
  // filtered row by row.
  const liveTagged = `id = ANY(ARRAY(SELECT id FROM note_search WHERE tenant = current_setting('mcp_notes.tenant', true) AND tag_paths @> ARRAY[$1::text]))`;
  const where = `trashed IS ${trash ? 'NOT ' : ''}NULL AND ${tag === null ? '$1::text IS NULL' : trash ? 'tag_paths @> ARRAY[$1::text]' : liveTagged}`;
  // The total rides on the page's query (one round trip): from note_counts (kept by a trigger) without a tag, else
  // counted among the tag's matches.
  const total =
    tag === null
      ? `coalesce((SELECT ${trash ? 'trashed' : 'live'} FROM note_counts), 0)`
      : trash
        ? `(SELECT count(*) FROM notes WHERE ${where})`
        : `(SELECT count(*) FROM note_search WHERE tenant = current_setting('mcp_notes.tenant', true) AND tag_paths @> ARRAY[$1::text])`;
  const direction = order === 'asc' ? 'ASC' : 'DESC';
  {
    const keyset = after ? ` AND (${key}, id) ${order === 'asc' ? '>' : '<'} ($3::${cast}, $4::text)` : '';
    const params: unknown[] = [tag, limit + 1];
    if (after) params.push(typeof after.v === 'number' ? new Date(after.v).toISOString() : after.v, after.i);
    const page = await client.query<NoteRow & { sort_key: string; excerpt: string; total: string }>(
      `SELECT ${SUMMARY_COLUMNS}, excerpt, lower(title) AS sort_key, ${total} AS total FROM notes
       WHERE ${where}${keyset}
       ORDER BY ${key} ${direction}, id ${direction} LIMIT $2`,
      params,
    );
    // An empty page (past the end, or nothing there) has no row to carry the total.
    const count =
      page.rows[0]?.total ??
      (await client.query<{ n: string }>(`SELECT ${total} AS n`, tag === null ? [] : [tag])).rows[0]?.n;
    const rows = page.rows.slice(0, limit);
    const last = rows.at(-1);
    return {
      notes: rows.map((row) => ({ ...summaryOf(row), excerpt: row.excerpt })),
      total: Number(count ?? 0),
      ...(page.rows.length > limit && last
        ? {
            nextCursor: encodeCursor('list', {
              s: sort,
              o: order,
              t: trash,
              g: tag,
              v: sort === 'title' ? last.sort_key : (sort === 'created' ? last.created : last.updated).getTime(),
              i: last.id,
            }),
          }
        : {}),
      problems: [],
      problemCount: 0,
    };
  }
}

/** One page of {@link NotesStore.search}: all words, else any; ranked by `ts_rank_cd`. */
export async function searchNotes(client: pg.PoolClient, input: SearchInput): Promise<SearchPage> {
  const limit = input.limit ?? 10;
  const prefix = input.prefix ?? true;
  const fuzzy = input.fuzzy ?? true;
  const tag = input.tag === undefined ? null : tagKey(normalizeTag(input.tag));
  const fingerprint = hashOf(JSON.stringify([input.query, tag, prefix, fuzzy])).slice(0, 12);
  let offset = 0;
  let mode: 'all' | 'any' | undefined;
  if (input.cursor !== undefined) {
    const value = decodeCursor<{ f: string; o: number; m: 'all' | 'any' }>(
      'search',
      input.cursor,
      (v) => v.f === fingerprint && Number.isSafeInteger(v.o) && v.o >= 0 && (v.m === 'all' || v.m === 'any'),
    );
    offset = value.o;
    mode = value.m;
  }
  const words = queryWords(input.query);
  const empty: SearchPage = { hits: [], matched: 'all', total: 0, windowed: false, pending: 0 };
  if (words.length === 0) return empty;
  {
    const run = (matched: 'all' | 'any') =>
      client.query<NoteRow & { score: number; total: string }>(SEARCH_SQL, [
        tsQueryText(words, prefix, matched),
        limit + 1,
        offset,
        tag,
      ]);
    let matched = mode ?? 'all';
    let result = await run(matched);
    if (!mode && result.rows.length === 0 && words.length > 1) {
      matched = 'any';
      result = await run(matched);
    }
    const terms = snippetTerms(words, prefix);
    const rows = result.rows.slice(0, limit);
    const total = Number(result.rows[0]?.total ?? 0);
    return {
      hits: rows.map((row) => ({
        ...summaryOf(row),
        score: Number(Number(row.score).toPrecision(4)),
        snippet: snippetOf(row.body, terms),
      })),
      matched,
      total,
      windowed: total >= RANK_WINDOW,
      pending: 0,
      ...(result.rows.length > limit
        ? { nextCursor: encodeCursor('search', { f: fingerprint, o: offset + limit, m: matched }) }
        : {}),
    };
  }
}
