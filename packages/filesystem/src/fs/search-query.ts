/**
 * What a content search looks for and how a text is matched: the query compiled to a regular expression, the bytes
 * a file must contain to match (so files that cannot match are skipped without decoding), and the scan of a text
 * into matching lines with context. Plain functions on strings and buffers; `scan-file.ts` feeds them files.
 *
 * Loaded in the search workers too: it imports nothing (see `search-worker.ts`).
 */

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
