#!/usr/bin/env node
/**
 * `node scripts/check-file-size.mjs` (part of `pnpm lint`): no tracked source file over 400 lines. Checks every
 * `.ts`, `.tsx`, `.mts`, `.cts`, `.js`, `.mjs` and `.cjs` file `git ls-files` lists in the current repository but
 * generated ones (anything under a `dist/` folder, snapshots). Exits 1 listing each offender with its line count
 * and the rule; a long file is split by concern into named modules, never allowlisted for good.
 *
 * The allowlist below names files that are still over the limit while their split lands on another branch. An entry
 * whose file is gone or already within the limit fails the check too, so each entry is removed with its split.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The most lines a tracked source file may have. */
export const MAX_LINES = 400;

/**
 * Files over the limit whose split is under way elsewhere (issue #21 part 3). Remove each entry in the commit that
 * brings its file to 400 lines or fewer: the check fails on a stale entry.
 */
export const ALLOWLIST = new Map([
  // Empty: every file of issue #21 part 3 is split.
]);

const SOURCE = /\.(?:[cm]?[jt]s|tsx)$/;
const GENERATED = [/(?:^|\/)dist\//, /(?:^|\/)__snapshots__\//, /\.snap(?:\.[a-z]+)?$/];

/** Lines as `wc -l` counts them, plus a last line without a newline. */
export function countLines(text) {
  if (text.length === 0) return 0;
  let lines = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++;
  return text.endsWith('\n') ? lines : lines + 1;
}

/** The tracked, hand-written source files of the repository at `root`, relative to it. */
export function sourceFiles(root) {
  const listed = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  return listed.split('\0').filter((file) => SOURCE.test(file) && !GENERATED.some((pattern) => pattern.test(file)));
}

/** Every breach of the rule in the repository at `root`: a file over the limit, or a stale allowlist entry. */
export function findProblems(root, allowlist = ALLOWLIST, max = MAX_LINES) {
  const problems = [];
  const seen = new Set();
  for (const file of sourceFiles(root)) {
    let text;
    try {
      text = readFileSync(join(root, file), 'utf8');
    } catch {
      continue; // deleted in the work tree, not yet in the index
    }
    const lines = countLines(text);
    if (allowlist.has(file)) {
      seen.add(file);
      if (lines <= max) {
        problems.push(`${file}: ${lines} lines, within the limit: remove it from the allowlist in this script`);
      }
    } else if (lines > max) {
      problems.push(`${file}: ${lines} lines, over the limit of ${max}: split it by concern into named modules`);
    }
  }
  for (const file of allowlist.keys()) {
    if (!seen.has(file)) {
      problems.push(`${file}: allowlisted but not a tracked source file: remove it from the allowlist in this script`);
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
  const problems = findProblems(root);
  if (problems.length > 0) {
    console.error(`No tracked source file may have more than ${MAX_LINES} lines (scripts/check-file-size.mjs):`);
    for (const problem of problems) console.error(`  ${problem}`);
    process.exit(1);
  }
}
