/**
 * Version history and the `version_conflict` error: what a write refused because the note moved on says about what
 * changed since the version the caller read (title, tags, body and by how much), so the model can re-apply its change.
 */
import { NoteStoreError } from './errors.js';

/** node:crypto on first use: loading it costs ~3 ms of a server's start. */
const crypto = () => process.getBuiltinModule('node:crypto');

/** What a version looked like, enough to say what changed since. */
export interface Snapshot {
  version: number;
  title: string;
  /** Tags joined by newlines. */
  tags: string;
  bodyHash: string;
  bodyLength: number;
}

/** A short hash of a text. */
export function hashOf(text: string): string {
  return crypto().createHash('sha1').update(text).digest('base64url');
}

/** The snapshot of a note at one version. */
export function snapshotOf(note: { version: number; title: string; tags: readonly string[] }, body: string): Snapshot {
  return {
    version: note.version,
    title: note.title,
    tags: note.tags.join('\n'),
    bodyHash: hashOf(body),
    bodyLength: body.length,
  };
}

/** The note as it is now, for {@link versionConflict}. */
export interface CurrentNote {
  version: number;
  updated: string;
  title: string;
  tags: string[];
  body: string;
}

/**
 * The `version_conflict` error for a write that expected `expected` and found `current`. `before` (the expected
 * version, when the history knows it) lets it say what changed; `fileVersion` below the current version means the note
 * was edited outside the store.
 */
export function versionConflict(
  id: string,
  expected: number,
  current: CurrentNote,
  before: Snapshot | undefined,
  fileVersion = current.version,
): NoteStoreError {
  const outside =
    current.version > fileVersion
      ? ` The note was edited outside the server (by hand or by another app; its file still says version ${fileVersion}), so it counts as version ${current.version} now.`
      : '';
  const changed: string[] = [];
  if (before) {
    if (before.title !== current.title) changed.push('title');
    if (before.tags !== current.tags.join('\n')) changed.push('tags');
    if (before.bodyHash !== hashOf(current.body)) changed.push('body');
  }
  const delta = before ? current.body.length - before.bodyLength : undefined;
  const what = before
    ? changed.length === 0
      ? 'nothing visible changed (only the version moved)'
      : `the ${changed.join(', ')} changed${delta !== undefined && changed.includes('body') ? ` (body ${delta >= 0 ? '+' : ''}${delta} characters)` : ''}`
    : `version ${expected} is not known here (written by another client or before this server started)`;
  return new NoteStoreError(
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
        bodyLength: current.body.length,
        changed: before ? changed : null,
        editedOutside: current.version > fileVersion,
      },
    },
  );
}

/** The last few versions of recently used notes, kept in memory (the folder store's history). */
export class VersionHistory {
  readonly #notes = new Map<string, Snapshot[]>();

  constructor(
    readonly maxNotes = 5000,
    readonly maxVersions = 6,
  ) {}

  /** Remember a note as read or written. */
  remember(note: { id: string; version: number; title: string; tags: readonly string[] }, body: string): void {
    let versions = this.#notes.get(note.id);
    if (!versions) {
      if (this.#notes.size >= this.maxNotes) this.#notes.delete(this.#notes.keys().next().value as string);
      versions = [];
      this.#notes.set(note.id, versions);
    }
    if (versions.some((snapshot) => snapshot.version === note.version)) return;
    versions.push(snapshotOf(note, body));
    if (versions.length > this.maxVersions) versions.shift();
  }

  /** The snapshot of `id` at `version`, if remembered. */
  at(id: string, version: number): Snapshot | undefined {
    return this.#notes.get(id)?.find((snapshot) => snapshot.version === version);
  }
}
