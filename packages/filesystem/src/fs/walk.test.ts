import { describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/temp.js';
import { IgnoreRules, plainNames, rulesFor } from './ignores.js';
import { walk, walkLevels } from './walk.js';

describe('walk', () => {
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
    await walk({
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
    expect(seen.sort()).toEqual([
      '.gitignore',
      'gen',
      'gen/y.ts',
      'keep.txt',
      'pkg',
      'pkg/.gitignore',
      'pkg/important.log',
    ]);
  });

  it('a walk started below a root still honours the .gitignore files above it', async () => {
    await using dir = await tempDir();
    await dir.write({ '.gitignore': 'secret/\n', 'sub/secret/x': '', 'sub/ok': '' });
    const seen: string[] = [];
    await walk({
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

  it('walkLevels reports level by level in name order and stops when asked', async () => {
    await using dir = await tempDir();
    await dir.write({ 'b/2/deep': '', 'a/1': '', c: '' });
    const seen: string[] = [];
    const summary = await walkLevels({
      start: dir.path,
      ignore: IgnoreRules.none(),
      gitignore: false,
      followSymlinks: true,
      allows: () => true,
      onEntry: (entry) => {
        seen.push(entry.rel);
        return seen.length < 5 ? undefined : false;
      },
    });
    expect(seen).toEqual(['a', 'b', 'c', 'a/1', 'b/2']);
    expect(summary.stopped).toBe(true);
  });
});

describe('plain-name ignore rules', () => {
  it('decide as the gitignore matcher does, and leave anything more to it', async () => {
    const { default: ignore } = await import('ignore');
    const patterns = ['node_modules', '.git', 'dist/', '# a comment', '', '.DS_Store'];
    expect(plainNames(patterns)).toBeDefined();
    for (const other of ['*.log', '!keep', '/anchored', 'a/b', 'trailing ', '\\#x', 'x[ab]']) {
      expect(plainNames([...patterns, other])).toBeUndefined();
    }
    const matcher = ignore({ allowRelativePaths: true }).add(patterns);
    const base = '/base';
    const rules = await IgnoreRules.of(base, patterns);
    const cases: [string, boolean][] = [
      ['node_modules', true],
      ['src/node_modules', true],
      ['Node_Modules', true],
      ['src/node_modules/x.js', false],
      ['dist', true],
      ['dist', false],
      ['a/dist/b.js', false],
      ['a/.DS_Store', false],
      ['a/b.ts', false],
      ['distx', true],
      ['.gitx', false],
    ];
    for (const [rel, isDir] of cases) {
      expect([rel, isDir, rules.ignores(`${base}/${rel}`, isDir)]).toEqual([
        rel,
        isDir,
        matcher.ignores(isDir ? `${rel}/` : rel),
      ]);
    }
  });
});
