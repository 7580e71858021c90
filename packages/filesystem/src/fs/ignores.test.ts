import { describe, expect, it } from 'vitest';
import { IgnoreRules, plainNames } from './ignores.js';

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
