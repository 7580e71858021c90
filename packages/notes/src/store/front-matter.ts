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
    // Outside the try: a library that fails to load is not a problem of this note.
    const { load, CORE_SCHEMA } = yamlLib();
    try {
      data = load(yaml, { schema: CORE_SCHEMA });
    } catch (error) {
      const detail = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
      throw new FrontMatterError(`the front matter is not valid YAML: ${detail}`, 'invalid_yaml');
    }
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new FrontMatterError('the front matter is not a mapping of keys to values', 'not_a_mapping');
  }
  return { data: data as Record<string, unknown>, hasFrontMatter: true, body };
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
