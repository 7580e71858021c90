/**
 * The content-search worker: scans files for a pattern on its own thread, so searches use every core and a
 * runaway regular expression can be stopped by ending the thread.
 *
 * This file imports nothing but Node built-ins, so it loads as a worker both from the compiled package and from
 * the TypeScript sources (Node strips the types).
 */
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  realpathSync,
} from 'node:fs';
import { sep } from 'node:path';

/** How to search, as sent to a worker. */
export interface ScanQuery {
  readonly pattern: string;
  readonly regex: boolean;
  readonly caseSensitive: boolean;
  readonly contextLines: number;
  /** Longest line text reported; longer lines are cut around the match. */
  readonly maxLineChars: number;
}

/** One line that matched. */
export interface ScanMatch {
  /** 1-based line number. */
  readonly line: number;
  /** 1-based column of the first match on the line, in UTF-16 code units. */
  readonly column: number;
  readonly text: string;
  readonly before?: string[];
  readonly after?: string[];
}

/** What scanning one file found. */
export interface ScanFileResult {
  readonly matches: ScanMatch[];
  /** Matching lines in the file (may exceed `matches.length` when capped). */
  readonly matchingLines: number;
  readonly skipped?: 'binary' | 'too_large' | 'unreadable' | 'changed' | 'not_a_file';
}

/**
 * A file to scan. With `dir`, the name `name` in the directory held by that descriptor (a lease keeps it open until
 * the batch is answered): opened through it, never through a link, so nothing on the way can be swapped. Without
 * (a followed link, a single file, a platform without /proc), the real path `abs`, checked as {@link openChecked} says.
 */
export interface ScanFile {
  readonly abs: string;
  readonly dir?: number;
  readonly name?: string;
}

/** A batch of files for a worker. */
export interface ScanBatch {
  readonly id: number;
  readonly query: ScanQuery;
  readonly files: readonly ScanFile[];
  /** Real root paths; a descriptor that resolves elsewhere is skipped. */
  readonly roots: readonly string[];
  readonly maxFileBytes: number;
  /** Most matches kept per file. */
  readonly maxPerFile: number;
}

const SNIFF = 8192;
/** Files larger than this are sniffed for binary content before the rest is read. */
const SNIFF_FIRST = 64 * 1024;
/** The read buffer a worker keeps and reuses: files up to this size are read into it, not into a new one. */
const SHARED_BYTES = 1024 * 1024;
let shared: Buffer | undefined;
const HAS_PROC_FD = process.platform === 'linux' && existsSync('/proc/self/fd');
/** `O_PATH` (Linux; see `dirfd.ts`, which this file may not import: it loads as a worker on its own). */
const O_PATH = HAS_PROC_FD ? 0o10000000 : 0;
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const OPEN_FLAGS = constants.O_RDONLY | O_NOFOLLOW | (constants.O_NONBLOCK ?? 0);
/** Opening a name through a held directory: never a final link, never waiting on a FIFO, never taking a terminal. */
const DIR_OPEN_FLAGS = OPEN_FLAGS | (constants.O_NOCTTY ?? 0);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const LITERAL_ESCAPES = new Set('^$\\.*+?()[]{}|/-'.split(''));

/**
 * A piece of text every match of a case-sensitive regular expression must contain, read from its source, or
 * `undefined` when none is sure: the longest run of plain characters at the top level, none of them quantified away
 * (`a?`, `a*`, `a{0,}`). A source with an alternation anywhere gives none. Used to skip, on the bytes, files that
 * cannot match, without decoding them.
 */
export function requiredLiteral(source: string): string | undefined {
  let best = '';
  let run = '';
  let depth = 0;
  const end = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < source.length; i++) {
    // One code point at a time (a quantifier after an astral character applies to all of it).
    const c = String.fromCodePoint(source.codePointAt(i) as number);
    i += c.length - 1;
    let literal: string | undefined;
    if (c === '\\') {
      const next = source[i + 1];
      i++;
      if (next !== undefined && LITERAL_ESCAPES.has(next)) literal = next;
      else {
        // Not a literal; a code or a reference also spans what follows it (`\x41`, `\u0041`, `\u{41}`, `\cJ`,
        // `\12`, `\k<n>`, `\p{L}`), which is skipped with it.
        const rest = source.slice(i + 1);
        const span =
          next === 'x'
            ? 2
            : next === 'u'
              ? rest.startsWith('{')
                ? rest.indexOf('}') + 1
                : 4
              : next === 'c'
                ? 1
                : next === 'k' && rest.startsWith('<')
                  ? rest.indexOf('>') + 1
                  : (next === 'p' || next === 'P') && rest.startsWith('{')
                    ? rest.indexOf('}') + 1
                    : next !== undefined && next >= '1' && next <= '9'
                      ? (/^\d*/.exec(rest) as RegExpExecArray)[0].length
                      : 0;
        i += span;
      }
    } else if (c === '|') return undefined;
    else if (c === '[') {
      // A class: skip to its end (a `]` first in it, or escaped, is a member).
      let j = i + 1;
      if (source[j] === '^') j++;
      if (source[j] === ']') j++;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      i = j;
    } else if (c === '{') {
      // A quantifier's bounds (with the `u` flag a brace is nothing else).
      while (i < source.length && source[i] !== '}') i++;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (!'^$.*+?}'.includes(c)) literal = c;
    const quantifier = source[i + 1];
    const optional = quantifier === '?' || quantifier === '*' || quantifier === '{';
    if (literal !== undefined && depth === 0 && !optional) {
      run += literal;
      if (quantifier === '+') end();
    } else end();
  }
  end();
  return best.length >= 2 ? best : undefined;
}

/** Build the regular expression for a query (throws on an invalid pattern). */
export function compileQuery(query: Pick<ScanQuery, 'pattern' | 'regex' | 'caseSensitive'>): RegExp {
  const source = query.regex ? query.pattern : escapeRegExp(query.pattern);
  return new RegExp(source, `gmu${query.caseSensitive ? '' : 'i'}`);
}

function inside(real: string, roots: readonly string[]): boolean {
  return roots.some((root) => real === root || real.startsWith(root.endsWith(sep) ? root : root + sep));
}

function clip(line: string, column: number, max: number): string {
  if (line.length <= max) return line;
  const start = Math.max(0, Math.min(column - 1 - Math.floor(max / 4), line.length - max));
  return `${start > 0 ? '…' : ''}${line.slice(start, start + max)}${start + max < line.length ? '…' : ''}`;
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/**
 * Scan text for a query, reporting each matching line once. A literal, case-sensitive pattern is searched on the
 * bytes directly (no decoding of files that do not match).
 */
export function scanBuffer(
  buffer: Buffer,
  query: ScanQuery,
  regexp: RegExp,
  maxMatches: number,
  needle: Buffer | undefined = needleOf(query),
): ScanFileResult {
  if (needle !== undefined && buffer.indexOf(needle) === -1) return { matches: [], matchingLines: 0 };
  const text = buffer.toString('utf8');
  return scanText(text, query, regexp, maxMatches);
}

/** The bytes a file must contain to match the query, when they are known (case-sensitive queries). */
export function needleOf(query: Pick<ScanQuery, 'pattern' | 'regex' | 'caseSensitive'>): Buffer | undefined {
  if (!query.caseSensitive) return undefined;
  const text = query.regex ? requiredLiteral(query.pattern) : query.pattern;
  return text === undefined || text === '' ? undefined : Buffer.from(text, 'utf8');
}

/** Scan a decoded text (see {@link scanBuffer}). */
export function scanText(text: string, query: ScanQuery, regexp: RegExp, maxMatches: number): ScanFileResult {
  const matches: ScanMatch[] = [];
  let matchingLines = 0;
  let line = 1;
  let lineStart = 0;
  let counted = 0;
  let lastLine = 0;
  regexp.lastIndex = 0;
  const lineStarts: number[] | undefined = query.contextLines > 0 ? [] : undefined;
  for (let m = regexp.exec(text); m !== null; m = regexp.exec(text)) {
    const index = m.index;
    if (m[0].length === 0) regexp.lastIndex = index + 1;
    // Advance the line counter to the match.
    for (let nl = text.indexOf('\n', counted); nl !== -1 && nl < index; nl = text.indexOf('\n', nl + 1)) {
      line++;
      lineStart = nl + 1;
      counted = nl + 1;
    }
    counted = Math.max(counted, lineStart);
    if (line === lastLine) continue;
    lastLine = line;
    matchingLines++;
    let lineEnd = text.indexOf('\n', index);
    if (lineEnd === -1) lineEnd = text.length;
    // Skip the rest of this line: one result per line.
    if (regexp.lastIndex < lineEnd) regexp.lastIndex = lineEnd;
    if (matches.length >= maxMatches) continue;
    const column = index - lineStart + 1;
    const match: { line: number; column: number; text: string; before?: string[]; after?: string[] } = {
      line,
      column,
      text: clip(stripCr(text.slice(lineStart, lineEnd)), column, query.maxLineChars),
    };
    if (lineStarts !== undefined) {
      const before: string[] = [];
      let start = lineStart;
      for (let i = 0; i < query.contextLines && start > 0; i++) {
        const prevStart = start >= 2 ? text.lastIndexOf('\n', start - 2) + 1 : 0;
        before.unshift(clip(stripCr(text.slice(prevStart, start - 1)), 1, query.maxLineChars));
        start = prevStart;
      }
      const after: string[] = [];
      let end = lineEnd;
      for (let i = 0; i < query.contextLines && end + 1 < text.length; i++) {
        let nextEnd = text.indexOf('\n', end + 1);
        if (nextEnd === -1) nextEnd = text.length;
        after.push(clip(stripCr(text.slice(end + 1, nextEnd)), 1, query.maxLineChars));
        end = nextEnd;
      }
      match.before = before;
      match.after = after;
    }
    matches.push(match);
  }
  return { matches, matchingLines };
}

/** Read `size` bytes from `fd` from offset `from` on, into the worker's buffer when they fit (it is reused). */
function readWhole(fd: number, size: number, start?: Buffer): Buffer {
  let buffer: Buffer;
  if (size <= SHARED_BYTES) {
    shared ??= Buffer.allocUnsafe(SHARED_BYTES);
    buffer = shared.subarray(0, size);
  } else buffer = Buffer.allocUnsafe(size);
  let filled = 0;
  if (start) {
    start.copy(buffer);
    filled = start.length;
  }
  while (filled < size) {
    const n = readSync(fd, buffer, filled, size - filled, filled);
    if (n === 0) break;
    filled += n;
  }
  return filled === size ? buffer : buffer.subarray(0, filled);
}

/**
 * Open the file at `file` (a real path) for reading, or say why not. On Linux it is first named with `O_PATH`
 * (nothing is opened: no device, no FIFO), the kernel's record of that descriptor must be `file` itself, and its
 * stats decide whether it is worth reading; only then is it opened, through that descriptor. Elsewhere it is opened
 * without following a final link and its real path checked against the roots.
 */
function openChecked(
  file: string,
  batch: Pick<ScanBatch, 'roots' | 'maxFileBytes'>,
): { fd: number; size: number } | { skipped: NonNullable<ScanFileResult['skipped']> } {
  if (HAS_PROC_FD) {
    let named: number;
    try {
      named = openSync(file, O_PATH | O_NOFOLLOW);
    } catch {
      return { skipped: 'unreadable' };
    }
    try {
      if (readlinkSync(`/proc/self/fd/${named}`) !== file || !inside(file, batch.roots)) return { skipped: 'changed' };
      const stats = fstatSync(named);
      if (stats.isSymbolicLink()) return { skipped: 'changed' };
      if (!stats.isFile()) return { skipped: 'not_a_file' };
      if (stats.size > batch.maxFileBytes) return { skipped: 'too_large' };
      return { fd: openSync(`/proc/self/fd/${named}`, OPEN_FLAGS & ~O_NOFOLLOW), size: stats.size };
    } catch {
      return { skipped: 'unreadable' };
    } finally {
      closeSync(named);
    }
  }
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (error) {
    return { skipped: (error as { code?: string }).code === 'ELOOP' ? 'changed' : 'unreadable' };
  }
  try {
    const stats = fstatSync(fd);
    const now = lstatSync(file);
    if (stats.dev !== now.dev || stats.ino !== now.ino || !inside(realpathSync(file), batch.roots)) {
      closeSync(fd);
      return { skipped: 'changed' };
    }
    if (!stats.isFile()) {
      closeSync(fd);
      return { skipped: 'not_a_file' };
    }
    return { fd, size: stats.size };
  } catch {
    closeSync(fd);
    return { skipped: 'unreadable' };
  }
}

/** Open `name` in the held directory `dir` (a descriptor), or say why not. */
function openInDir(dir: number, name: string, maxFileBytes: number): ReturnType<typeof openChecked> {
  if (name === '' || name === '.' || name === '..' || name.includes('/')) return { skipped: 'unreadable' };
  let fd: number;
  try {
    fd = openSync(`/proc/self/fd/${dir}/${name}`, DIR_OPEN_FLAGS);
  } catch (error) {
    return { skipped: (error as { code?: string }).code === 'ELOOP' ? 'changed' : 'unreadable' };
  }
  try {
    const stats = fstatSync(fd);
    const skipped = !stats.isFile() ? 'not_a_file' : stats.size > maxFileBytes ? 'too_large' : undefined;
    if (skipped === undefined) return { fd, size: stats.size };
    closeSync(fd);
    return { skipped };
  } catch {
    closeSync(fd);
    return { skipped: 'unreadable' };
  }
}

/** Open, verify and scan one file. */
export function scanFile(
  file: ScanFile | string,
  batch: Pick<ScanBatch, 'query' | 'roots' | 'maxFileBytes'>,
  regexp: RegExp,
  maxMatches: number,
  needle: Buffer | undefined = needleOf(batch.query),
): ScanFileResult {
  const target = typeof file === 'string' ? { abs: file } : file;
  const opened =
    target.dir !== undefined && target.name !== undefined && HAS_PROC_FD
      ? openInDir(target.dir, target.name, batch.maxFileBytes)
      : openChecked(target.abs, batch);
  if ('skipped' in opened) return { matches: [], matchingLines: 0, skipped: opened.skipped };
  const { fd, size } = opened;
  try {
    if (size > batch.maxFileBytes) return { matches: [], matchingLines: 0, skipped: 'too_large' };
    let head: Buffer | undefined;
    if (size > SNIFF_FIRST) {
      // A large file: its first bytes tell a binary before the rest is read.
      head = readWhole(fd, SNIFF);
      if (head.indexOf(0) !== -1) return { matches: [], matchingLines: 0, skipped: 'binary' };
      head = Buffer.from(head);
    }
    const buffer = readWhole(fd, size, head);
    if (buffer.subarray(0, SNIFF).indexOf(0) !== -1) return { matches: [], matchingLines: 0, skipped: 'binary' };
    return scanBuffer(buffer, batch.query, regexp, maxMatches, needle);
  } catch {
    return { matches: [], matchingLines: 0, skipped: 'unreadable' };
  } finally {
    closeSync(fd);
  }
}

/** Scan a batch: one result per file, in order. */
export function scanBatch(batch: ScanBatch): ScanFileResult[] {
  const regexp = compileQuery(batch.query);
  const needle = needleOf(batch.query);
  return batch.files.map((file) => scanFile(file, batch, regexp, batch.maxPerFile, needle));
}

/**
 * Marks the worker: it is started with this in its `argv`. The main thread imports this module too (for the scanning
 * functions), and this check tells it at once that it is not the worker without loading `node:worker_threads`,
 * which costs a few ms at start.
 */
export const WORKER_ARG = '--mcp-packs-filesystem-search';

/** What a search sends a worker once (with its first batch there): the query and the limits. */
export interface ScanSetup extends Pick<ScanBatch, 'query' | 'roots' | 'maxFileBytes' | 'maxPerFile'> {
  /** The search it belongs to. */
  readonly search: number;
}

/**
 * A batch as it crosses to a worker, kept small (it is copied): for each file, its name in the held directory
 * `dirs[i]`, or its real path when `dirs[i]` is -1.
 */
export interface WireBatch {
  readonly id: number;
  readonly search: number;
  readonly setup?: ScanSetup;
  readonly dirs: readonly number[];
  readonly paths: readonly string[];
}

/** A worker's answer: only the files that matched or were skipped (the rest found nothing), by index. */
export interface WireAnswer {
  readonly id: number;
  readonly found: readonly (readonly [index: number, result: ScanFileResult])[];
  readonly busyMs: number;
}

/** A request to list held directories by their descriptors (a walk reading ahead). */
export interface ListRequest {
  readonly list: number;
  readonly fds: readonly number[];
}

/** Per directory: its names and their kinds (0 file, 1 directory, 2 link, 3 other), or the error's code. */
export interface ListAnswer {
  readonly list: number;
  readonly listed: readonly (readonly [names: string[], kinds: Uint8Array] | string)[];
}

/** List directories held by the process (by descriptor, through /proc). */
export function listFds(fds: readonly number[]): ListAnswer['listed'] {
  return fds.map((fd) => {
    try {
      const entries = readdirSync(`/proc/self/fd/${fd}`, { withFileTypes: true });
      const kinds = new Uint8Array(entries.length);
      const names = entries.map((entry, i) => {
        kinds[i] = entry.isFile() ? 0 : entry.isDirectory() ? 1 : entry.isSymbolicLink() ? 2 : 3;
        return entry.name;
      });
      return [names, kinds] as const;
    } catch (error) {
      return (error as { code?: string }).code ?? 'EIO';
    }
  });
}

if (process.argv.includes(WORKER_ARG)) {
  const { isMainThread, parentPort } = process.getBuiltinModule('node:worker_threads');
  if (!isMainThread && parentPort) {
    const port = parentPort;
    let setup: ScanSetup | undefined;
    let regexp: RegExp | undefined;
    let needle: Buffer | undefined;
    port.on('message', (message: WireBatch | ListRequest) => {
      if ('list' in message) {
        port.postMessage({ list: message.list, listed: listFds(message.fds) } satisfies ListAnswer);
        return;
      }
      const batch = message;
      const started = performance.now();
      if (batch.setup) {
        setup = batch.setup;
        regexp = compileQuery(setup.query);
        needle = needleOf(setup.query);
      }
      if (!setup || setup.search !== batch.search || !regexp) throw new Error('a batch without its search');
      const found: [number, ScanFileResult][] = [];
      for (let i = 0; i < batch.paths.length; i++) {
        const dir = batch.dirs[i] as number;
        const path = batch.paths[i] as string;
        const file = dir === -1 ? { abs: path } : { abs: path, dir, name: path };
        const result = scanFile(file, setup, regexp, setup.maxPerFile, needle);
        if (result.matchingLines > 0 || result.skipped !== undefined) found.push([i, result]);
      }
      const answer: WireAnswer = { id: batch.id, found, busyMs: performance.now() - started };
      port.postMessage(answer);
    });
  }
}
