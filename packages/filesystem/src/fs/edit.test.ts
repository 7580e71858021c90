import { describe, expect, it } from 'vitest';
import { applyEdits, closestRegion, unifiedDiff } from './edit.js';
import { isFsError } from './errors.js';

describe('applyEdits', () => {
  it('applies edits in order, each on the result of the one before', () => {
    const { text, applied } = applyEdits('a b c\n', [
      { oldText: 'a', newText: 'x' },
      { oldText: 'x b', newText: 'y' },
    ]);
    expect(text).toBe('y c\n');
    expect(applied.map((a) => a.match)).toEqual(['exact', 'exact']);
  });

  it('treats replacement text literally ($& and $1 are not special)', () => {
    expect(applyEdits('price\n', [{ oldText: 'price', newText: '$& $1' }]).text).toBe('$& $1\n');
  });

  it('rejects an empty oldText and reports which edit failed', () => {
    let error: unknown;
    try {
      applyEdits('abc', [
        { oldText: 'a', newText: 'b' },
        { oldText: 'zzz', newText: 'y' },
      ]);
    } catch (caught) {
      error = caught;
    }
    expect(isFsError(error) && error.code).toBe('edit_not_found');
    expect((error as Error).message).toMatch(/^Edit 2:/);
    expect(() => applyEdits('abc', [{ oldText: '', newText: 'x' }])).toThrow(/empty/);
  });
});

describe('closestRegion', () => {
  it('finds the most similar window of lines', () => {
    const lines = ['one', 'two', 'function f(a) {', '  return a + 1;', '}', 'three'];
    expect(closestRegion(lines, ['function f(b) {', '  return b + 1;'])).toMatchObject({ start: 2, end: 3 });
  });
});

describe('unifiedDiff', () => {
  it('names both sides after the file', () => {
    const diff = unifiedDiff('src/a.ts', 'x\n', 'y\n');
    expect(diff).toContain('--- a/src/a.ts');
    expect(diff).toContain('+++ b/src/a.ts');
    expect(diff).toContain('-x\n+y');
  });
});
