/**
 * What the catalog records of a file: the note's facts (with its effective version, which moves on when the file
 * changed outside the store) or why the file is skipped (unreadable, broken, or a duplicate of another file's id).
 */

import { type NoteProblem, type ParsedNote, parseNoteFile } from './note-file.js';
import { excerptOf } from './note-rules.js';
import type { Entry, SearchIndex } from './search-index.js';

/** node:crypto on first use: loading it costs ~3 ms of a server's start. */
const crypto = () => process.getBuiltinModule('node:crypto');

/**
 * The hash of what a note's file says that a write through the store could replace: title, tags and body. (Other
 * front-matter keys are kept by every write, so a hand edit of them cannot be lost and does not count.)
 */
export function contentHash(note: ParsedNote): string {
  return crypto().hash('sha1', `${note.meta.title}\0${note.meta.tags.join('\n')}\0${note.body}`, 'base64url');
}

/**
 * The version the store reports for a file at `fileVersion` with text hashing to `hash`, given what was known of the
 * same note before (`prior`). Versions count writes through the store, so a file edited by hand (or by another app)
 * keeps its front-matter version; such a change still makes a newer version here, so that an `expectedVersion` read
 * before it no longer matches. Any change of version or text moves the effective version forward, never back.
 */
export function effectiveVersion(
  prior: { version: number; fileVersion: number; hash: string } | undefined,
  fileVersion: number,
  hash: string,
): number {
  if (!prior) return fileVersion;
  if (prior.fileVersion === fileVersion && prior.hash === hash) return prior.version;
  return Math.max(fileVersion, prior.version + 1);
}

/**
 * The facts of the file at `relative` from its parse `result`: the note (its version continuing `previous`, the
 * file's last entry, or `carry`, the same note's entry at another path), or a problem. A file whose id is held by
 * another file is a `duplicate_id`, unless that other file's id was only derived from its path: that one is removed
 * from the index, and its path returned as `evicted`, to be read again.
 */
export function noteFacts(
  index: SearchIndex,
  relative: string,
  trashed: boolean,
  result: { note: ParsedNote } | { problem: NoteProblem },
  previous: Entry | undefined,
  carry: Entry | undefined,
): { note: Entry['note']; problem: NoteProblem | undefined; body: string | undefined; evicted?: string } {
  let evicted: string | undefined;
  let note: Entry['note'];
  let problem: NoteProblem | undefined;
  let body: string | undefined;
  if ('note' in result) {
    let holder = trashed ? undefined : index.byId(result.note.meta.id, false);
    if (holder && holder.path !== relative && holder.note?.derivedId && !result.note.derivedId) {
      index.remove(holder);
      evicted = holder.path;
      holder = undefined;
    }
    if (holder && holder.path !== relative) {
      problem = {
        code: 'duplicate_id',
        message: `the id "${result.note.meta.id}" is already used by ${holder.path}`,
        id: result.note.meta.id,
      };
    } else {
      const meta = result.note.meta;
      const hash = contentHash(result.note);
      const prior =
        previous?.note?.id === meta.id ? previous.note : carry?.note?.id === meta.id ? carry.note : undefined;
      note = {
        ...meta,
        version: effectiveVersion(prior, meta.version, hash),
        fileVersion: meta.version,
        hash,
        derivedId: result.note.derivedId,
        excerpt: excerptOf(result.note.body),
      };
      body = result.note.body;
    }
  } else {
    problem = result.problem;
  }
  return { note, problem, body, ...(evicted === undefined ? {} : { evicted }) };
}

/**
 * True when `text` (read from `entry`'s file, whose stamp has not changed) says what the entry records: a broken
 * file's entry stands as it is; a note's, when id, version and content hash still match.
 */
export function holdsEntry(entry: Entry, text: string, stat: { mtimeMs: number; birthtimeMs: number }): boolean {
  const note = entry.note;
  if (!note) return true;
  const parsed = parseNoteFile(text, { path: entry.path, ...stat }, () => note.id);
  return (
    'note' in parsed &&
    parsed.note.meta.id === note.id &&
    parsed.note.meta.version === note.fileVersion &&
    contentHash(parsed.note) === note.hash
  );
}
