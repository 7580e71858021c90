/**
 * The rules every notes backend applies the same way: what an id, title, tag and body may be, when
 * `expectedVersion` is required, how an update changes a body, and the errors that say so. Plain TypeScript, shared by
 * the folder store and the PostgreSQL store so both answer alike.
 */
import { NoteStoreError } from './errors.js';
import { isNoteId, normalizeTag, normalizeTitle, tagKey } from './names.js';
import { inputProblem } from './note-file.js';
import type { NoteUpdate, UpdateResult, VersionPolicy } from './notes-store.js';

const EXCERPT_CHARS = 160;

/** The first words of a body, on one line, for listings. */
export function excerptOf(body: string): string {
  const text = body
    .slice(0, EXCERPT_CHARS + 80)
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}

/** Throws `invalid_id` unless `id` is a note id. */
export function checkId(id: string): void {
  if (!isNoteId(id)) {
    throw new NoteStoreError('invalid_id', `${JSON.stringify(id.slice(0, 80))} is not a note id.`, {
      hint: 'Ids are 1-64 letters, digits, "_" or "-" (no dots or slashes), as returned by create, list and search.',
    });
  }
}

/** The title normalised; throws `invalid_title` when it cannot be one. */
export function checkedTitle(raw: string): string {
  const title = normalizeTitle(raw);
  const problem = inputProblem(title, undefined);
  if (problem)
    throw new NoteStoreError('invalid_title', `Invalid title: ${problem}.`, { hint: 'Give a one-line title.' });
  return title;
}

/** The tags normalised, without duplicates (ignoring case); throws `invalid_tag` for a bad one. */
export function checkedTags(tags: readonly string[]): string[] {
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

/** Throws `body_too_large` for a body over `maxBodyBytes` bytes of UTF-8. */
export function checkBody(body: string, maxBodyBytes: number): void {
  const bytes = Buffer.byteLength(body);
  if (bytes > maxBodyBytes) {
    throw new NoteStoreError(
      'body_too_large',
      `The body would be ${bytes} bytes; the limit is ${maxBodyBytes}. Nothing was written.`,
      { hint: 'Split the content over several notes, or shorten it.', details: { bytes, maxBodyBytes } },
    );
  }
}

/** Throws `version_required` when the policy wants an `expectedVersion` that was not given. */
export function checkVersionGiven(
  policy: VersionPolicy,
  expected: number | undefined,
  replaces: boolean,
  action: string,
): void {
  if (expected !== undefined) return;
  if (policy === 'required' || (policy === 'required-for-replace' && replaces)) {
    throw new NoteStoreError(
      'version_required',
      `expectedVersion is required to ${action} a note${policy === 'required-for-replace' ? ' when replacing its title, tags or body' : ''}.`,
      { hint: 'Read the note first and pass its version as expectedVersion.' },
    );
  }
}

/** An update checked before anything is read: its title and tags normalised. */
export interface CheckedUpdate {
  title: string | undefined;
  tags: string[] | undefined;
}

/** Check an update's shape, id, title, tags and version policy. */
export function checkUpdate(input: NoteUpdate, policy: VersionPolicy): CheckedUpdate {
  checkId(input.id);
  const bodyOps = [input.body, input.append, input.findReplace].filter((op) => op !== undefined).length;
  if (bodyOps > 1) {
    throw new NoteStoreError('invalid_input', 'Give at most one of body, append and findReplace.', {
      hint: 'Make one body change per call; title and tags can go with any of them.',
    });
  }
  if (bodyOps === 0 && input.title === undefined && input.tags === undefined) {
    throw new NoteStoreError('invalid_input', 'Nothing to change: give title, tags, body, append or findReplace.');
  }
  const title = input.title === undefined ? undefined : checkedTitle(input.title);
  const tags = input.tags === undefined ? undefined : checkedTags(input.tags);
  if (input.findReplace && input.findReplace.find === '') {
    throw new NoteStoreError('invalid_input', 'findReplace.find is empty.', {
      hint: 'Give the exact text to replace.',
    });
  }
  const replaces = input.title !== undefined || input.tags !== undefined || input.body !== undefined;
  checkVersionGiven(policy, input.expectedVersion, replaces, 'update');
  return { title, tags };
}

function countOf(text: string, find: string): number {
  let count = 0;
  for (let at = text.indexOf(find); at !== -1; at = text.indexOf(find, at + find.length)) count++;
  return count;
}

/** The body after the update's body change (replace, append or find/replace); throws `match_count_mismatch`. */
export function changedBody(body: string, input: NoteUpdate, version: number): { body: string; replacements?: number } {
  if (input.body !== undefined) return { body: input.body };
  if (input.append !== undefined) {
    return { body: body === '' || body.endsWith('\n') ? body + input.append : `${body}\n${input.append}` };
  }
  if (!input.findReplace) return { body };
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
        details: { found: count, expectedCount, version },
      },
    );
  }
  return { body: body.split(find).join(replace), replacements: count };
}

/** Which of title, tags and body an update changes. */
export function changedFields(
  old: { title: string; tags: readonly string[]; body: string },
  next: { title: string | undefined; tags: readonly string[] | undefined; body: string },
): UpdateResult['changed'] {
  const changed: UpdateResult['changed'] = [];
  if (next.title !== undefined && next.title !== old.title) changed.push('title');
  if (next.tags !== undefined && next.tags.join('\n') !== old.tags.join('\n')) changed.push('tags');
  if (next.body !== old.body) changed.push('body');
  return changed;
}

/** `not_found` for an id, with a hint on what to do. */
export function noteNotFound(id: string, hint = 'Search or list notes to find the id.'): NoteStoreError {
  return new NoteStoreError('not_found', `No note with id "${id}".`, { hint });
}

/** `not_found` for restoring an id that is not in the trash. */
export function notInTrash(id: string, live: boolean): NoteStoreError {
  return new NoteStoreError('not_found', `No note with id "${id}" is in the trash.`, {
    hint: live
      ? 'It is not deleted: read it with its id.'
      : 'List the trash (list with trash: true) to see the ids there.',
  });
}

/** The one id of a title lookup; throws `not_found` for none and `ambiguous_title` for several. */
export function oneTitleMatch(title: string, ids: readonly string[]): string {
  if (ids.length === 0) {
    throw new NoteStoreError('not_found', `No note is titled ${JSON.stringify(title)}.`, {
      hint: 'Search for it instead; titles must match exactly.',
    });
  }
  if (ids.length > 1) {
    throw new NoteStoreError('ambiguous_title', `${ids.length} notes are titled ${JSON.stringify(title)}.`, {
      hint: `Read one by id: ${ids.slice(0, 10).join(', ')}.`,
      details: { ids },
    });
  }
  return ids[0] as string;
}

/** A window of a body, as {@link NotesStore.read} returns it. */
export function bodyWindow(
  body: string,
  offset = 0,
  maxChars = Number.POSITIVE_INFINITY,
): { body: string; bodyLength: number; offset: number; truncated: boolean; nextOffset?: number } {
  const start = Math.min(offset, body.length);
  const end = Math.min(body.length, start + maxChars);
  return {
    body: body.slice(start, end),
    bodyLength: body.length,
    offset: start,
    truncated: end < body.length,
    ...(end < body.length ? { nextOffset: end } : {}),
  };
}
