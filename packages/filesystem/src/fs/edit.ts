/**
 * Text edits by search and replace: exact match first, then a match that ignores differences in whitespace
 * (indentation, trailing spaces, runs of blanks), re-indenting the replacement to fit. When nothing fits, the
 * error shows the closest region of the file and its line numbers, so the next attempt can succeed.
 */
import { createTwoFilesPatch } from 'diff';
import { distance } from 'fastest-levenshtein';
import { FsError } from './errors.js';

/** One replacement. */
export interface Edit {
  readonly oldText: string;
  readonly newText: string;
  /** How many times `oldText` must occur (default 1); every occurrence is replaced. */
  readonly expectedReplacements?: number | undefined;
}

/** How one edit was applied. */
export interface AppliedEdit {
  readonly replacements: number;
  readonly match: 'exact' | 'whitespace';
  /** 1-based line of the first replacement, in the text as it was before this edit. */
  readonly line: number;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) found.push(at);
  return found;
}

const squash = (line: string): string => line.trim().replace(/\s+/g, ' ');
const indentOf = (line: string): string => /^[ \t]*/.exec(line)?.[0] ?? '';

/** Windows of file lines whose whitespace-squashed form equals the squashed `oldLines`. */
function looseMatches(lines: readonly string[], oldLines: readonly string[]): number[] {
  const wanted = oldLines.map(squash);
  const starts: number[] = [];
  for (let i = 0; i + wanted.length <= lines.length; i++) {
    let ok = true;
    for (let j = 0; j < wanted.length; j++) {
      if (squash(lines[i + j] as string) !== wanted[j]) {
        ok = false;
        break;
      }
    }
    if (ok) {
      starts.push(i);
      i += wanted.length - 1;
    }
  }
  return starts;
}

/** Re-indent `newLines` from the indentation of `oldFirst` to that of `fileFirst`. */
function reindent(newLines: readonly string[], oldFirst: string, fileFirst: string): string[] {
  const from = indentOf(oldFirst);
  const to = indentOf(fileFirst);
  if (from === to) return [...newLines];
  return newLines.map((line) => {
    if (line.trim() === '') return line;
    if (line.startsWith(from)) return to + line.slice(from.length);
    return line;
  });
}

/** The region of `lines` most like `oldLines`, by line-wise edit distance. */
export function closestRegion(
  lines: readonly string[],
  oldLines: readonly string[],
): { start: number; end: number; similarity: number } | undefined {
  const wanted = oldLines.map((line) => squash(line).slice(0, 200));
  const size = Math.max(1, wanted.length);
  if (lines.length === 0) return undefined;
  const squashed = lines.map((line) => squash(line).slice(0, 200));
  let best = { start: 0, end: 0, similarity: -1 };
  // On a very large file, compare first lines only to pick candidates.
  const budget = 400_000;
  const step = squashed.length * size > budget ? Math.ceil((squashed.length * size) / budget) : 1;
  for (let i = 0; i <= Math.max(0, squashed.length - size); i += step) {
    let total = 0;
    let length = 0;
    for (let j = 0; j < size && i + j < squashed.length; j++) {
      const a = wanted[j] ?? '';
      const b = squashed[i + j] as string;
      const longest = Math.max(a.length, b.length);
      total += longest === 0 ? longest : distance(a, b);
      length += longest;
    }
    const similarity = length === 0 ? 1 : 1 - total / length;
    if (similarity > best.similarity) best = { start: i, end: Math.min(squashed.length, i + size) - 1, similarity };
  }
  return best.similarity < 0 ? undefined : best;
}

/**
 * Apply edits in order to `original` (line endings are matched as LF and restored). Throws `edit_not_found` with
 * the closest region, or `edit_count_mismatch` with where the matches are.
 */
export function applyEdits(original: string, edits: readonly Edit[]): { text: string; applied: AppliedEdit[] } {
  const crlf = original.includes('\r\n');
  let text = crlf ? original.replace(/\r\n/g, '\n') : original;
  const applied: AppliedEdit[] = [];
  for (const [index, edit] of edits.entries()) {
    const oldText = edit.oldText.replace(/\r\n/g, '\n');
    const newText = edit.newText.replace(/\r\n/g, '\n');
    const expected = edit.expectedReplacements ?? 1;
    const label = edits.length > 1 ? `Edit ${index + 1}: ` : '';
    if (oldText === '') {
      throw new FsError('edit_not_found', `${label}oldText is empty.`, {
        hint: 'Give the exact text to replace; to write a whole file use write_file.',
      });
    }
    const exact = occurrences(text, oldText);
    if (exact.length > 0) {
      if (exact.length !== expected) throw countMismatch(label, text, exact, expected);
      applied.push({ replacements: exact.length, match: 'exact', line: lineOf(text, exact[0] as number) });
      text = text.split(oldText).join(newText);
      continue;
    }
    const lines = text.split('\n');
    const oldLines = oldText.replace(/\n$/, '').split('\n');
    const loose = looseMatches(lines, oldLines);
    if (loose.length > 0) {
      if (loose.length !== expected) {
        throw new FsError(
          'edit_count_mismatch',
          `${label}oldText matches ${loose.length} places (ignoring whitespace), at lines ${loose.map((s) => s + 1).join(', ')}; expected ${expected}.`,
          {
            hint: `Add surrounding lines to oldText to pick one place, or set expectedReplacements: ${loose.length} to replace them all.`,
            details: { edit: index + 1, found: loose.length, lines: loose.map((s) => s + 1) },
          },
        );
      }
      const newLines = newText.replace(/\n$/, '').split('\n');
      for (const start of [...loose].reverse()) {
        const replacement = reindent(newLines, oldLines[0] as string, lines[start] as string);
        lines.splice(start, oldLines.length, ...replacement);
      }
      applied.push({ replacements: loose.length, match: 'whitespace', line: (loose[0] as number) + 1 });
      text = lines.join('\n');
      continue;
    }
    const closest = closestRegion(lines, oldLines);
    const region = closest
      ? lines
          .slice(closest.start, Math.min(closest.end + 1, closest.start + 30))
          .map((line, i) => `${closest.start + i + 1}| ${line}`)
          .join('\n')
      : '';
    throw new FsError(
      'edit_not_found',
      closest
        ? `${label}oldText was not found. The closest text is at lines ${closest.start + 1}-${closest.end + 1} (${Math.round(closest.similarity * 100)}% similar):\n${region}`
        : `${label}oldText was not found (the file is empty).`,
      {
        hint: 'Copy oldText exactly from the file (read_text_file shows it), including indentation, then retry.',
        details: closest
          ? {
              edit: index + 1,
              closestStartLine: closest.start + 1,
              closestEndLine: closest.end + 1,
              similarity: Math.round(closest.similarity * 100) / 100,
            }
          : { edit: index + 1 },
      },
    );
  }
  return { text: crlf ? text.replace(/\n/g, '\r\n') : text, applied };
}

function countMismatch(label: string, text: string, found: readonly number[], expected: number): FsError {
  const lines = found.slice(0, 20).map((at) => lineOf(text, at));
  return new FsError(
    'edit_count_mismatch',
    `${label}oldText occurs ${found.length} times (at lines ${lines.join(', ')}${found.length > 20 ? ', …' : ''}); expected ${expected}.`,
    {
      hint: `Add surrounding lines to oldText to make it unique, or set expectedReplacements: ${found.length} to replace every one.`,
      details: { found: found.length, lines },
    },
  );
}

/** A unified diff between two versions of a file. */
export function unifiedDiff(display: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${display}`, `b/${display}`, before, after, undefined, undefined, { context: 3 });
}

/**
 * Most changed lines {@link boundedDiff} works out: more than a question shows anyway, and few enough that two
 * unrelated 1 MiB texts give up in well under a second. A bound on the work rather than a time limit, so the same
 * change always gets the same answer (a question is matched to its answer by its text).
 */
export const MAX_DIFF_EDITS = 500;

/**
 * A unified diff like {@link unifiedDiff}, or `undefined` when the texts differ in more than {@link MAX_DIFF_EDITS}
 * lines. Keep the texts small (write questions diff files up to `DIFF_LIMIT_BYTES`): splitting them costs too.
 */
export function boundedDiff(display: string, before: string, after: string): string | undefined {
  return createTwoFilesPatch(`a/${display}`, `b/${display}`, before, after, undefined, undefined, {
    context: 3,
    maxEditLength: MAX_DIFF_EDITS,
  });
}
