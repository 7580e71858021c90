import { mkdir, rm, symlink } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/temp.js';
import { rulesFor } from './ignores.js';
import { type OrderedWalkOptions, walkOrdered } from './ordered-walk.js';
import { comparePaths } from './paths.js';
import { ContentSearcher } from './search-content.js';

/** Every path the walk visits from `after`, stopping after `limit` of them (as a page would). */
async function visit(
  start: string,
  options: Partial<OrderedWalkOptions> & { limit?: number } = {},
): Promise<{ seen: string[]; last?: string; stopped: boolean; timedOut: boolean }> {
  const seen: string[] = [];
  const summary = await walkOrdered({
    start,
    ignore: await rulesFor(start, start, { defaults: ['node_modules'], gitignore: true }),
    gitignore: true,
    followSymlinks: true,
    allows: () => true,
    ...options,
    onEntry: (entry) => {
      seen.push(entry.kind === 'directory' ? `${entry.rel}/` : entry.rel);
      return options.limit === undefined || seen.length < options.limit;
    },
  });
  return { seen, ...summary };
}

/** Walk page by page of `size` entries, each resuming after the last; the pages joined. */
async function pages(start: string, size: number, options: Partial<OrderedWalkOptions> = {}): Promise<string[]> {
  const all: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await visit(start, { ...options, limit: size, ...(after === undefined ? {} : { after }) });
    all.push(...page.seen);
    if (!page.stopped) return all;
    after = page.last;
  }
}

async function sample() {
  const dir = await tempDir('fs-ordered-');
  await dir.write({
    '.gitignore': 'build/\n',
    'a.txt': '',
    'a-b/x.txt': '',
    'a/b/c.txt': '',
    'a/b/d/e.txt': '',
    'a/z.txt': '',
    'B.txt': '',
    'build/out.js': '',
    'node_modules/m/index.js': '',
    'zz/1': '',
    'zz/10': '',
    'zz/2': '',
  });
  return dir;
}

describe('walkOrdered', () => {
  it('visits depth first in path order, a directory right before its contents, skipping ignored ones', async () => {
    await using dir = await sample();
    const { seen, stopped } = await visit(dir.path);
    expect(stopped).toBe(false);
    expect(seen).toEqual([
      '.gitignore',
      'B.txt',
      'a/',
      'a/b/',
      'a/b/c.txt',
      'a/b/d/',
      'a/b/d/e.txt',
      'a/z.txt',
      'a-b/',
      'a-b/x.txt',
      'a.txt',
      'zz/',
      'zz/1',
      'zz/10',
      'zz/2',
    ]);
    expect([...seen].sort((x, y) => comparePaths(x.replace(/\/$/, ''), y.replace(/\/$/, '')))).toEqual(seen);
  });

  it('pages of every size, each resumed after the last, join into the whole walk', async () => {
    await using dir = await sample();
    const whole = (await visit(dir.path)).seen;
    for (const size of [1, 2, 3, 5, 7, 100]) expect(await pages(dir.path, size)).toEqual(whole);
  });

  it('resumes after a path that is gone, or that became a file, without repeating or crashing', async () => {
    await using dir = await sample();
    const first = await visit(dir.path, { limit: 5 });
    expect(first.last).toBe('a/b/c.txt');
    // The directory the walk stopped in is removed; something is added before and after the position.
    await rm(dir.join('a/b'), { recursive: true });
    await dir.write({ 'a/a.txt': '', 'a/y.txt': '' });
    const rest = await visit(dir.path, { after: first.last as string });
    expect(rest.seen).toEqual(['a/y.txt', 'a/z.txt', 'a-b/', 'a-b/x.txt', 'a.txt', 'zz/', 'zz/1', 'zz/10', 'zz/2']);
    // A position whose directory is now a file.
    await rm(dir.join('zz'), { recursive: true });
    await dir.write({ zz: '' });
    expect((await visit(dir.path, { after: 'zz/10' })).seen).toEqual([]);
    expect((await visit(dir.path, { after: 'a.txt' })).seen).toEqual(['zz']);
  });

  it('stops at the deadline with a position to resume from', async () => {
    await using dir = await tempDir('fs-ordered-');
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i++) files[`d${i % 7}/f${String(i).padStart(3, '0')}`] = '';
    await dir.write(files);
    const whole = (await visit(dir.path)).seen;
    const all: string[] = [];
    let after: string | undefined;
    let cuts = 0;
    for (;;) {
      // A deadline already past: each walk does one slice of work and stops, resumable.
      const page = await visit(dir.path, { deadline: performance.now() - 1, ...(after ? { after } : {}) });
      all.push(...page.seen);
      if (!page.stopped) break;
      expect(page.timedOut).toBe(true);
      expect(page.seen.length).toBeGreaterThan(0);
      cuts++;
      after = page.last;
    }
    expect(cuts).toBeGreaterThan(1);
    expect(all).toEqual(whole);
  });

  it('follows a link out of the start once, lists links inside the start or above it as links', async () => {
    await using roots = await tempDir('fs-ordered-');
    await roots.write({ 'start/real/f.txt': '', 'other/o.txt': '', 'other/deep/p.txt': '' });
    const start = roots.join('start');
    await symlink(roots.join('start/real'), roots.join('start/again'));
    await symlink(start, roots.join('start/real/loop'));
    await symlink(roots.path, roots.join('start/up'));
    await symlink(roots.join('other'), roots.join('start/out'));
    // Inside a followed link's target, links to directories are not walked into.
    await symlink(roots.join('other'), roots.join('other/deep/back'));
    const { seen } = await visit(start);
    expect(seen).toEqual([
      'again',
      'out/',
      'out/deep/',
      'out/deep/back',
      'out/deep/p.txt',
      'out/o.txt',
      'real/',
      'real/f.txt',
      'real/loop',
      'up',
    ]);
    expect(await pages(start, 3)).toEqual(seen);
  });

  it('never walks into a link whose target the roots do not allow', async () => {
    await using dir = await tempDir('fs-ordered-');
    await using outside = await tempDir('fs-outside-');
    await outside.write({ 'secret.txt': '' });
    await mkdir(dir.join('in'));
    await symlink(outside.path, dir.join('in/link'));
    const { seen } = await visit(dir.path, { allows: (real) => real.startsWith(dir.path) });
    expect(seen).toEqual(['in/', 'in/link']);
    expect((await visit(dir.path, { after: 'in/link/secret.txt' })).seen).toEqual([]);
  });

  it('lists directories read ahead on a worker, a group at a time, with the same result page by page', async () => {
    await using dir = await tempDir('fs-ordered-');
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`p${i % 5}/m${i % 7}/q${i % 11}/f${i}`] = '';
    await dir.write(files);
    const searcher = new ContentSearcher({ workers: 1 });
    try {
      const whole = (await visit(dir.path)).seen;
      expect((await visit(dir.path, { listMany: searcher.listMany })).seen).toEqual(whole);
      expect(await pages(dir.path, 37, { listMany: searcher.listMany })).toEqual(whole);
    } finally {
      await searcher.close();
    }
  });

  it('applies nested .gitignore files relative to their own directory, with negation', async () => {
    await using dir = await tempDir();
    await dir.write({
      '.gitignore': '*.log\n',
      'keep.txt': '',
      'a.log': '',
      'pkg/.gitignore': 'gen/\n!important.log\n',
      'pkg/important.log': '',
      'pkg/other.log': '',
      'pkg/gen/x.ts': '',
      'gen/y.ts': '',
    });
    const seen: string[] = [];
    await walkOrdered({
      start: dir.path,
      ignore: await rulesFor(dir.path, dir.path, { defaults: [], gitignore: true }),
      gitignore: true,
      followSymlinks: true,
      allows: () => true,
      onEntry: (entry) => {
        seen.push(entry.rel);
        return undefined;
      },
    });
    expect(seen).toEqual(['.gitignore', 'gen', 'gen/y.ts', 'keep.txt', 'pkg', 'pkg/.gitignore', 'pkg/important.log']);
  });

  it('a walk started below a root still honours the .gitignore files above it', async () => {
    await using dir = await tempDir();
    await dir.write({ '.gitignore': 'secret/\n', 'sub/secret/x': '', 'sub/ok': '' });
    const seen: string[] = [];
    await walkOrdered({
      start: dir.join('sub'),
      ignore: await rulesFor(dir.path, dir.join('sub'), { defaults: [], gitignore: true }),
      gitignore: true,
      followSymlinks: true,
      allows: () => true,
      onEntry: (entry) => {
        seen.push(entry.rel);
        return undefined;
      },
    });
    expect(seen).toEqual(['ok']);
  });
});
