import { describe, expect, it } from 'vitest';
import { failure } from './fixtures/engine.js';
import { checkExpressions, nestingDepth } from './input-limits.js';

const limits = { maxExpressionLength: 1000, maxBatchSize: 10 };

describe('input limits', () => {
  it('measures bracket nesting outside strings', () => {
    expect(nestingDepth('1 + 2')).toBe(0);
    expect(nestingDepth('f([1, (2)])')).toBe(3);
    expect(nestingDepth('{a: [1]}')).toBe(2);
    expect(nestingDepth('"((((" + (1)')).toBe(1);
    expect(nestingDepth("'[[\\'[[' + 1")).toBe(0);
    expect(nestingDepth(')))(((')).toBe(3);
  });

  it('refuses an expression nested past 100 levels, naming the limit', () => {
    const nested = (depth: number) => `${'('.repeat(depth)}1${')'.repeat(depth)}`;
    expect(() => checkExpressions([nested(100)], limits)).not.toThrow();
    const error = failure(() => checkExpressions([nested(101)], limits));
    expect(error.code).toBe('expression_too_deep');
    expect(error.message).toBe('The expression nests brackets 101 deep; the limit is 100 (nesting limit).');
    expect(error.details).toEqual({ limit: 'nesting', depth: 101, max: 100 });
    const inBatch = failure(() => checkExpressions(['1', nested(300)], limits));
    expect(inBatch.message).toMatch(/^Expression 2: The expression nests brackets 300 deep/);
    expect(inBatch.details).toMatchObject({ index: 1 });
  });

  it('checks the length before the nesting', () => {
    const error = failure(() => checkExpressions(['('.repeat(5000)], limits));
    expect(error.code).toBe('expression_too_long');
  });
});
