/**
 * Config problems: each one names where it is (the JSON path, and the file's line and column when there is a
 * file), what is wrong and how to fix it. Startup collects every problem it can find, then reports them all at once.
 */

import { distance } from 'fastest-levenshtein';
import type { Node } from 'jsonc-parser';
import { jsonc } from './jsonc.js';

/** A path into the config document, e.g. `['packs', 1, 'use']`. */
export type JsonPath = readonly (string | number)[];

/** One problem with the config. */
export interface ConfigProblem {
  /** Where: the JSON path of the offending value. */
  path: JsonPath;
  /** What is wrong. */
  message: string;
  /** What to do about it. */
  fix?: string | undefined;
  /** Character offset in the file, when known better than the path (syntax errors). */
  offset?: number;
}

/** Where the config came from: a file (its path, text and syntax tree), or the built-in default. */
export interface ConfigSource {
  /** Absolute path of the config file; undefined for the built-in default config. */
  file: string | undefined;
  /** The file's text and its parse tree, for line and column numbers. */
  text?: string;
  tree?: Node | undefined;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['packs', 1, 'config', 'roots', 0]` → `packs[1].config.roots[0]`. */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (IDENTIFIER.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out === '' ? '(root)' : out;
}

/** The inverse of {@link formatPath}, for key paths reported by core (`packs[1].config.roots[0]`). */
export function parsePath(text: string): JsonPath {
  const path: (string | number)[] = [];
  const pattern = /(?:^|\.)([A-Za-z_$][A-Za-z0-9_$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/gy;
  let match: RegExpExecArray | null = pattern.exec(text);
  while (match !== null) {
    if (match[1] !== undefined) path.push(match[1]);
    else if (match[2] !== undefined) path.push(Number(match[2]));
    else if (match[3] !== undefined) path.push(JSON.parse(match[3]) as string);
    if (pattern.lastIndex >= text.length) break;
    match = pattern.exec(text);
  }
  return path;
}

/** Line and column (1-based) of the value at `path`, or of its nearest ancestor present in the file. */
export function locate(
  source: ConfigSource,
  path: JsonPath,
  offset?: number,
): { line: number; column: number } | undefined {
  if (source.text === undefined) return undefined;
  if (offset !== undefined) return lineAndColumn(source.text, offset);
  if (!source.tree) return undefined;
  for (let length = path.length; length >= 0; length--) {
    const node = jsonc().findNodeAtLocation(source.tree, path.slice(0, length) as (string | number)[]);
    if (!node) continue;
    // Point at the property's key when there is one: that is what an editor shows as the "place".
    return lineAndColumn(source.text, node.parent?.type === 'property' ? node.parent.offset : node.offset);
  }
  return undefined;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

/** Render problems for a person: one block per problem, `file:line:column  path`, the message, and the fix. */
export function formatProblems(source: ConfigSource, problems: readonly ConfigProblem[]): string {
  const where = source.file ?? 'the built-in default config';
  const head = `${problems.length === 1 ? 'One problem' : `${problems.length} problems`} in ${where}; nothing was served:`;
  const located = problems.map((problem) => ({ problem, at: locate(source, problem.path, problem.offset) }));
  // In file order, so the report reads top to bottom like the file.
  located.sort((a, b) => (a.at?.line ?? 0) - (b.at?.line ?? 0) || (a.at?.column ?? 0) - (b.at?.column ?? 0));
  const blocks = located.map(({ problem, at }) => {
    const place = source.file && at ? `${source.file}:${at.line}:${at.column}  ` : '';
    const message = problem.message.replace(/\n/g, '\n    ');
    return `  ${place}${formatPath(problem.path)}\n    ${message}${problem.fix ? `\n    fix: ${problem.fix}` : ''}`;
  });
  return `${head}\n${blocks.join('\n')}`;
}

/**
 * Thrown when the config cannot be served as written: it carries every problem found, for the CLI to print and
 * exit with code 2.
 */
export class ConfigProblemsError extends Error {
  readonly problems: readonly ConfigProblem[];
  readonly source: ConfigSource;

  constructor(source: ConfigSource, problems: readonly ConfigProblem[]) {
    super(formatProblems(source, problems));
    this.name = 'ConfigProblemsError';
    this.problems = problems;
    this.source = source;
  }
}

/** The closest of `candidates` to `word`, if it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}
