import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ALLOWLIST, countLines, findProblems, MAX_LINES } from './check-file-size.mjs';

const script = join(dirname(fileURLToPath(import.meta.url)), 'check-file-size.mjs');
const repos = [];

afterEach(() => {
  for (const repo of repos.splice(0)) rmSync(repo, { recursive: true, force: true });
});

/** A temp git repository holding `files` (path → line count), every one tracked, every allowlisted file long. */
function repoWith(files) {
  const root = mkdtempSync(join(tmpdir(), 'check-file-size-'));
  repos.push(root);
  const all = { ...Object.fromEntries([...ALLOWLIST.keys()].map((file) => [file, MAX_LINES + 50])), ...files };
  for (const [file, lines] of Object.entries(all)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), 'const line = 1;\n'.repeat(lines));
  }
  execFileSync('git', ['init', '-q'], { cwd: root });
  execFileSync('git', ['add', '-A'], { cwd: root });
  return root;
}

const check = (cwd) => spawnSync(process.execPath, [script], { cwd, encoding: 'utf8' });

describe('check-file-size', () => {
  it('passes when every tracked source file is within the limit (the allowlisted ones aside)', () => {
    const run = check(repoWith({ 'src/a.ts': MAX_LINES, 'src/b.mjs': 10, 'src/view.tsx': 3 }));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('fails listing each file over the limit with its line count and the rule', () => {
    const root = repoWith({ 'src/long.ts': MAX_LINES + 1, 'lib/long.js': 900, 'src/ok.ts': 12 });
    const run = check(join(root, 'src'));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`src/long.ts: ${MAX_LINES + 1} lines, over the limit of ${MAX_LINES}`);
    expect(run.stderr).toContain('lib/long.js: 900 lines');
    expect(run.stderr).toContain('split it by concern');
    expect(run.stderr).not.toContain('src/ok.ts');
  });

  it('ignores generated files, snapshots, untracked files and other extensions', () => {
    const root = repoWith({
      'packages/x/dist/index.js': 2000,
      'apps/y/test/__snapshots__/listing.test.ts.snap': 2000,
      'docs/long.md': 2000,
      'pnpm-lock.yaml': 2000,
    });
    writeFileSync(join(root, 'untracked.ts'), 'x\n'.repeat(1000));
    const run = check(root);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('fails on an allowlisted file that is already within the limit, or gone', () => {
    // Entries of its own: the live allowlist shrinks to nothing as the splits land.
    const allowlist = new Map([
      ['src/split.ts', 'split under way'],
      ['src/gone.ts', 'split under way'],
    ]);
    const root = repoWith({ 'src/split.ts': MAX_LINES });
    const problems = findProblems(root, allowlist);
    expect(problems).toContain(
      `src/split.ts: ${MAX_LINES} lines, within the limit: remove it from the allowlist in this script`,
    );
    expect(problems).toContain(
      'src/gone.ts: allowlisted but not a tracked source file: remove it from the allowlist in this script',
    );
  });

  it('counts lines as wc -l does, plus a last line without a newline', () => {
    expect([countLines(''), countLines('a'), countLines('a\n'), countLines('a\nb'), countLines('\n\n')]).toEqual([
      0, 1, 1, 2, 2,
    ]);
  });
});
