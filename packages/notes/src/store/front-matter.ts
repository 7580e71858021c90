/**
 * Splitting a Markdown file into YAML front matter and body, and writing it back.
 *
 * YAML is parsed and dumped by js-yaml with the YAML 1.2 core schema: ISO dates stay strings, `yes`/`no` stay
 * strings, and nothing executes. Only the splitting (the `---` fences) is ours: it is the one part every front
 * matter library does differently, and we need it to be exact about what counts as "no front matter" versus
 * "broken front matter".
 */
import { createRequire } from 'node:module';
import type * as JsYaml from 'js-yaml';

let jsYaml: typeof JsYaml | undefined;

/**
 * js-yaml, loaded by the first front matter parsed or written rather than at startup: a restart on a folder the
 * cached index already knows parses none. Synchronous (`require`), as the first scan is.
 */
function yamlLib(): typeof JsYaml {
  jsYaml ??= createRequire(import.meta.url)('js-yaml') as typeof JsYaml;
  return jsYaml;
}

/** A Markdown file taken apart: the front matter as a plain object (empty when absent) and the body. */
export interface SplitNote {
  /** The parsed front matter; `{}` when the file has none. */
  data: Record<string, unknown>;
  /** Whether the file had a front matter block at all. */
  hasFrontMatter: boolean;
  /** Everything after the closing fence (or the whole file when there is no front matter). */
  body: string;
}

/** Why a file's front matter could not be read. */
export class FrontMatterError extends Error {
  constructor(
    message: string,
    readonly reason: 'unclosed' | 'invalid_yaml' | 'not_a_mapping',
  ) {
    super(message);
    this.name = 'FrontMatterError';
  }
}

const OPENING = /^\uFEFF?---[ \t]*\r?\n/;
const CLOSING = /^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/m;

/**
 * Split `text` into front matter and body. A file that does not start with a `---` line has no front matter
 * (the whole text is the body). Throws {@link FrontMatterError} when the block is unclosed, is not valid YAML, or
 * is not a mapping.
 */
export function splitNote(text: string): SplitNote {
  const parts = fences(text);
  if (!parts) return { data: {}, hasFrontMatter: false, body: text };
  const { yaml, body } = parts;
  let data: unknown = {};
  if (yaml.trim() !== '') {
    data = parseSimple(yaml) ?? loadYaml(yaml);
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new FrontMatterError('the front matter is not a mapping of keys to values', 'not_a_mapping');
  }
  return { data: data as Record<string, unknown>, hasFrontMatter: true, body };
}

function loadYaml(yaml: string): unknown {
  // Outside the try: a library that fails to load is not a problem of this note.
  const { load, CORE_SCHEMA } = yamlLib();
  try {
    return load(yaml, { schema: CORE_SCHEMA });
  } catch (error) {
    const detail = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    throw new FrontMatterError(`the front matter is not valid YAML: ${detail}`, 'invalid_yaml');
  }
}

/** Just the body of a note file, without parsing its front matter (for re-reading a file already catalogued). */
export function bodyOf(text: string): string {
  return fences(text)?.body ?? text;
}

function fences(text: string): { yaml: string; body: string } | undefined {
  const open = OPENING.exec(text);
  if (!open) return undefined;
  const rest = text.slice(open[0].length);
  const close = CLOSING.exec(rest);
  if (!close) throw new FrontMatterError('the front matter opened with --- is never closed', 'unclosed');
  let body = rest.slice(close.index + close[0].length);
  // The blank line we write after the fence is layout, not content.
  if (body.startsWith('\r\n')) body = body.slice(2);
  else if (body.startsWith('\n')) body = body.slice(1);
  return { yaml: rest.slice(0, close.index), body };
}

/**
 * Render front matter and body as a Markdown file. Keys keep their order; values are dumped with the core schema,
 * so ISO timestamps are written plain (`created: 2025-01-01T10:00:00.000Z`), which Obsidian reads as dates.
 */
export function joinNote(data: Record<string, unknown>, body: string): string {
  const { dump, CORE_SCHEMA } = yamlLib();
  const yaml = dump(data, { schema: CORE_SCHEMA, lineWidth: -1, noRefs: true });
  return `---\n${yaml}---\n\n${body}`;
}

// The fast path. Most files hold front matter as the store writes it: flat `key: value` lines and lists of plain
// words. Those are parsed here (a first open of a large folder spends a large share of its time in js-yaml); any
// line this does not recognise, with certainty, as meaning the same under js-yaml's core schema sends the whole
// block to js-yaml. The tests check it against js-yaml on tricky and on generated inputs.

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Plain words starting with a letter (`Weekly plan 2`), which the core schema reads as strings... */
const PLAIN_WORDS = /^[\p{L}_][\p{L}\p{M}\p{N} _./()'+-]*$/u;
/** ...except these, which it reads as null or booleans. */
const RESERVED = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$/;
/** A token starting with a digit that holds a letter no core-schema number can hold (`9mzeyjt3b8`): a string. */
const DIGIT_WORD = /^[0-9][0-9A-Za-z_-]*$/;
const NOT_NUMERIC_LETTER = /[g-np-wyzG-NP-WYZ]/;
/** An ISO 8601 timestamp as the store writes it: a string under the core schema (it has no timestamp type). */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
const INTEGER = /^(?:0|[1-9][0-9]{0,14})$/;
/** A single-quoted scalar on one line (`'Weekly plan: March'`); `''` inside stands for `'`. */
const SINGLE_QUOTED = /^'((?:[^'\r\n]|'')*)'$/;
const SCALAR_KEY = /^([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$/;
const ITEM = /^( *)- (.*)$/;

/** The value of a scalar the fast path is sure of, or `undefined` (not sure: let js-yaml read it). */
function simpleScalar(text: string, inFlow: boolean): string | number | undefined {
  if (INTEGER.test(text)) return Number(text);
  if (ISO_TIME.test(text)) return text;
  if (DIGIT_WORD.test(text)) return NOT_NUMERIC_LETTER.test(text) ? text : undefined;
  if (PLAIN_WORDS.test(text) && !RESERVED.test(text) && !text.endsWith(' ') && !text.includes('  ')) return text;
  if (!inFlow) {
    const quoted = SINGLE_QUOTED.exec(text);
    if (quoted) return (quoted[1] as string).replaceAll("''", "'");
  }
  return undefined;
}

/**
 * Front matter made only of `key: scalar`, `key: []`, `key: [a, b]` and `key:` followed by `- item` lines, each of
 * them a scalar {@link simpleScalar} is sure of; `undefined` for anything else.
 */
export function parseSimple(yaml: string): Record<string, unknown> | undefined {
  const lines = yaml.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const data: Record<string, unknown> = {};
  for (let i = 0; i < lines.length; i++) {
    const match = SCALAR_KEY.exec(lines[i] as string);
    if (!match) return undefined;
    const key = match[1] as string;
    if (!KEY.test(key) || RESERVED.test(key) || key === '__proto__' || Object.hasOwn(data, key)) return undefined;
    const value = match[2];
    if (value === '') return undefined;
    if (value === undefined) {
      // `key:` alone: null, or a block list on the lines that follow.
      const items: (string | number)[] = [];
      let indent: string | undefined;
      while (i + 1 < lines.length) {
        const item = ITEM.exec(lines[i + 1] as string);
        if (!item) break;
        if (indent !== undefined && item[1] !== indent) return undefined;
        indent = item[1] as string;
        const scalar = simpleScalar(item[2] as string, false);
        if (scalar === undefined) return undefined;
        items.push(scalar);
        i++;
      }
      data[key] = indent === undefined ? null : items;
    } else if (value.startsWith('[')) {
      if (!value.endsWith(']')) return undefined;
      const inner = value.slice(1, -1);
      if (inner === '') {
        data[key] = [];
        continue;
      }
      const items: (string | number)[] = [];
      for (const part of inner.split(', ')) {
        const scalar = simpleScalar(part, true);
        if (scalar === undefined) return undefined;
        items.push(scalar);
      }
      data[key] = items;
    } else {
      const scalar = simpleScalar(value, false);
      if (scalar === undefined) return undefined;
      data[key] = scalar;
    }
  }
  return data;
}
