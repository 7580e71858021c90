/**
 * One note file: how its text becomes a note (lenient with files written by people and other apps, strict about
 * what is really broken), and how a note becomes text again without dropping keys we do not own.
 */
import { FrontMatterError, joinNote, splitNote } from './front-matter.js';
import { isNoteId, normalizeTag, normalizeTitle, tagProblem, titleProblem } from './names.js';

/** A note's facts, everything but the body. */
export interface NoteMeta {
  id: string;
  title: string;
  tags: string[];
  /** ISO 8601. */
  created: string;
  /** ISO 8601. */
  updated: string;
  /** Counts the writes made through the store; 1 after create. */
  version: number;
}

/** A parsed note file. */
export interface ParsedNote {
  meta: NoteMeta;
  /** True when the file carries no `id` and it was derived from the path. */
  derivedId: boolean;
  body: string;
  /** The whole front matter, including keys we do not own (kept on write). */
  data: Record<string, unknown>;
}

/** Why a file is not a usable note. */
export interface NoteProblem {
  code: 'invalid_front_matter' | 'invalid_id' | 'invalid_field' | 'duplicate_id' | 'unreadable';
  message: string;
  /** For `duplicate_id`: the id held by another file. */
  id?: string;
}

/** Facts of the file a note is read from, used when the front matter lacks them. */
export interface FileFacts {
  /** Path inside the notes folder, `/`-separated. */
  path: string;
  mtimeMs: number;
  birthtimeMs: number;
}

function isoOr(value: unknown, fallback: number): string | undefined {
  if (value === undefined || value === null || value === '') return new Date(fallback).toISOString();
  if (typeof value !== 'string' && !(value instanceof Date)) return undefined;
  const time = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(time) ? undefined : typeof value === 'string' ? value : new Date(time).toISOString();
}

function stemOf(relativePath: string): string {
  const base = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  return base.replace(/\.(md|markdown)$/i, '');
}

function tagsFrom(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return [];
  const raw = typeof value === 'string' ? value.split(/[,\s]+/) : Array.isArray(value) ? value : undefined;
  if (!raw) return undefined;
  const tags: string[] = [];
  for (const item of raw) {
    if (typeof item !== 'string' && typeof item !== 'number') return undefined;
    const tag = normalizeTag(String(item));
    if (tag !== '' && !tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

/**
 * Parse a note file. `deriveId` supplies an id for a file that has none. Returns the note, or the problem that
 * makes it unusable; a problem file is reported and skipped, never rewritten.
 */
export function parseNoteFile(
  text: string,
  file: FileFacts,
  deriveId: () => string,
): { note: ParsedNote } | { problem: NoteProblem } {
  let split: ReturnType<typeof splitNote>;
  try {
    split = splitNote(text);
  } catch (error) {
    const message = error instanceof FrontMatterError ? error.message : String(error);
    return { problem: { code: 'invalid_front_matter', message } };
  }
  const { data, body } = split;
  let id: string;
  let derivedId = false;
  if (data.id === undefined || data.id === null || data.id === '') {
    id = deriveId();
    derivedId = true;
  } else if ((typeof data.id === 'string' || typeof data.id === 'number') && isNoteId(String(data.id))) {
    id = String(data.id);
  } else {
    return {
      problem: {
        code: 'invalid_id',
        message: `the id ${JSON.stringify(data.id)} is not 1-64 letters, digits, "_" or "-"`,
      },
    };
  }
  const rawTitle = data.title === undefined || data.title === null ? stemOf(file.path) : data.title;
  if (typeof rawTitle !== 'string' && typeof rawTitle !== 'number') {
    return { problem: { code: 'invalid_field', message: 'the title is not text' } };
  }
  const title = normalizeTitle(String(rawTitle)) || stemOf(file.path);
  const tags = tagsFrom(data.tags);
  if (!tags) return { problem: { code: 'invalid_field', message: 'tags must be a list of words' } };
  const created = isoOr(data.created, file.birthtimeMs || file.mtimeMs);
  const updated = isoOr(data.updated, file.mtimeMs);
  if (!created || !updated) return { problem: { code: 'invalid_field', message: 'created/updated is not a date' } };
  const version = data.version === undefined || data.version === null ? 1 : data.version;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
    return {
      problem: { code: 'invalid_field', message: `the version ${JSON.stringify(version)} is not a whole number` },
    };
  }
  return { note: { meta: { id, title, tags, created, updated, version }, derivedId, body, data } };
}

/** Check a title and tags given by a caller; returns the first problem, or `undefined`. */
export function inputProblem(title: string | undefined, tags: readonly string[] | undefined): string | undefined {
  if (title !== undefined) {
    const problem = titleProblem(normalizeTitle(title));
    if (problem) return problem;
  }
  for (const tag of tags ?? []) {
    const problem = tagProblem(normalizeTag(tag));
    if (problem) return problem;
  }
  return undefined;
}

/**
 * The text of a note file: our keys first, in a fixed order, then every other key the file had (Obsidian's
 * `aliases`, `cssclasses`, a person's own fields), untouched.
 */
export function renderNoteFile(meta: NoteMeta, body: string, extra: Record<string, unknown> = {}): string {
  const data: Record<string, unknown> = {
    id: meta.id,
    title: meta.title,
    tags: meta.tags,
    created: meta.created,
    updated: meta.updated,
    version: meta.version,
  };
  for (const [key, value] of Object.entries(extra)) {
    if (!(key in data)) data[key] = value;
  }
  return joinNote(data, body);
}
