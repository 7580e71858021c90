/** Rows of the notes tables, and the reads and errors that the PostgreSQL store's writes share. */
import type pg from 'pg';
import { NoteStoreError } from '../errors.js';
import { tagKey } from '../names.js';
import { noteNotFound } from '../note-rules.js';
import type { NoteSummary } from '../notes-store.js';
import { snapshotOf, versionConflict } from '../version-conflict.js';

/** A row of `notes`, as node-postgres returns it. */
export interface NoteRow {
  id: string;
  title: string;
  tags: string[];
  body: string;
  created: Date;
  updated: Date;
  version: number;
  trashed: Date | null;
}

/** The columns of a {@link NoteRow}. */
export const NOTE_COLUMNS = 'id, title, tags, body, created, updated, version, trashed';
/** The columns of a {@link NoteRow} but the body. */
export const SUMMARY_COLUMNS = 'id, title, tags, created, updated, version, trashed';

/** A tag and each of its parents, lower-cased: what a tag filter on the note matches. */
export function tagPaths(tags: readonly string[]): string[] {
  const paths = new Set<string>();
  for (const tag of tags) {
    const parts = tagKey(tag).split('/');
    for (let i = 1; i <= parts.length; i++) paths.add(parts.slice(0, i).join('/'));
  }
  return [...paths];
}

/** A row as the contract's summary; `path` is `notes/<id>` or `trash/<id>`. */
export function summaryOf(row: Omit<NoteRow, 'body'>): NoteSummary {
  return {
    id: row.id,
    title: row.title,
    tags: row.tags,
    created: row.created.toISOString(),
    updated: row.updated.toISOString(),
    version: row.version,
    path: `${row.trashed ? 'trash' : 'notes'}/${row.id}`,
  };
}

/** Connection failures (the database is down, restarting or unreachable): SQLSTATE classes 08 and 57P, or a socket. */
export function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return (
    typeof code === 'string' &&
    (/^(08|57P)/.test(code) || ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE'].includes(code))
  );
}

/** The live note `id`; `not_found` (saying so when it is in the trash) otherwise. */
export async function liveNote(client: pg.PoolClient, id: string): Promise<NoteRow> {
  const { rows } = await client.query<NoteRow>(`SELECT ${NOTE_COLUMNS} FROM notes WHERE id = $1`, [id]);
  const row = rows[0];
  if (row && !row.trashed) return row;
  throw noteNotFound(id, row ? 'It is in the trash; restore it first.' : undefined);
}

/** Throws `version_conflict` (saying what changed since `expected`, from the history) unless `expected` is current. */
export async function checkVersion(client: pg.PoolClient, row: NoteRow, expected: number | undefined): Promise<void> {
  if (expected === undefined || expected === row.version) return;
  const { rows } = await client.query<NoteRow>(
    'SELECT version, title, tags, body FROM note_versions WHERE id = $1 AND version = $2',
    [row.id, expected],
  );
  const before = rows[0] ? snapshotOf(rows[0], rows[0].body) : undefined;
  throw versionConflict(row.id, expected, { ...row, updated: row.updated.toISOString() }, before);
}

/** Record a version in the history. */
export async function rememberVersion(
  client: pg.PoolClient,
  id: string,
  version: number,
  title: string,
  tags: string[],
  body: string,
  updated: string,
): Promise<void> {
  await client.query(
    'INSERT INTO note_versions (id, version, title, tags, body, updated) VALUES ($1, $2, $3, $4, $5, $6)',
    [id, version, title, tags, body, updated],
  );
}

/** `unavailable`: the database cannot be reached. */
export function unavailableError(error: unknown): NoteStoreError {
  const reason = error instanceof Error ? error.message : String(error);
  return new NoteStoreError('unavailable', `The notes database cannot be reached: ${reason}.`, {
    retryable: true,
    hint: 'Try again in a moment; if it persists, tell the user the notes database is down.',
    cause: error,
  });
}

/** `busy`: a write lost the race too many times in a row. */
export function busyError(): NoteStoreError {
  return new NoteStoreError('busy', 'The note kept changing under this write; nothing was written.', {
    retryable: true,
    hint: 'Try again in a moment.',
  });
}
