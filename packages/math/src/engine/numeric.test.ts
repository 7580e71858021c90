import { describe, expect, it } from 'vitest';
import { engine, failure } from './fixtures/engine.js';

describe('statistics', () => {
  it('computes the default measures', () => {
    expect(engine.statistics({ values: [2, 4, 4, 4, 5, 5, 7, 9] })).toEqual({
      count: 8,
      sum: 40,
      mean: 5,
      median: 4.5,
      mode: [4],
      min: 2,
      max: 9,
      variance: 32 / 7,
      std: Math.sqrt(32 / 7),
    });
  });

  it('computes chosen measures, quantiles and population statistics', () => {
    expect(
      engine.statistics({
        values: [2, 4, 4, 4, 5, 5, 7, 9],
        measures: ['std', 'range', 'mad'],
        quantiles: [0.25, 0.5],
        normalization: 'uncorrected',
      }),
    ).toEqual({
      std: 2,
      range: 7,
      mad: 0.5,
      quantiles: [
        { p: 0.25, value: 4 },
        { p: 0.5, value: 4.5 },
      ],
    });
  });

  it('needs two values for a sample variance', () => {
    expect(failure(() => engine.statistics({ values: [3], measures: ['variance'] })).hint).toMatch(/uncorrected/);
    expect(engine.statistics({ values: [3], measures: ['variance'], normalization: 'uncorrected' })).toEqual({
      variance: 0,
    });
  });
});

describe('solveLinear', () => {
  it('solves a square system', () => {
    const result = engine.solveLinear({
      A: [
        [2, 1],
        [1, 3],
      ],
      b: [3, 5],
    });
    expect(result.x).toEqual([0.8, 1.4]);
    expect(result.value).toBe('[0.8, 1.4]');
    expect(result.residual).toBeLessThan(1e-12);
  });

  it('solves exactly with fractions and with several right-hand sides', () => {
    expect(
      engine.solveLinear({
        A: [
          ['1/3', 2],
          [1, 3],
        ],
        b: [3, 5],
        numberType: 'Fraction',
      }).x,
    ).toEqual(['1', '4/3']);
    expect(
      engine.solveLinear({
        A: [
          [1, 0],
          [0, 2],
        ],
        b: [
          [1, 2],
          [4, 6],
        ],
      }).x,
    ).toEqual([
      [1, 2],
      [2, 3],
    ]);
    expect(engine.solveLinear({ A: [[3]], b: ['0.3'], numberType: 'BigNumber' }).x).toEqual(['0.1']);
  });

  it('refuses singular matrices clearly, exact or numerical', () => {
    for (const A of [
      [
        [1, 2],
        [2, 4],
      ],
      [
        [0, 0],
        [0, 0],
      ],
      [
        [1, 1, 1],
        [1, 1, 1],
        [1, 2, 3],
      ],
      [
        [0.1, 0.2],
        [0.3, 0.6],
      ],
    ]) {
      const error = failure(() => engine.solveLinear({ A, b: A.map(() => 1) }));
      expect(error.code, JSON.stringify(A)).toBe('singular_matrix');
      expect(error.hint).toMatch(/pinv\(A\) \* b/);
    }
    expect(
      failure(() =>
        engine.solveLinear({
          A: [
            ['1/3', '2/3'],
            [1, 2],
          ],
          b: [1, 1],
          numberType: 'Fraction',
        }),
      ).code,
    ).toBe('singular_matrix');
  });

  it('warns when the system is ill-conditioned', () => {
    const result = engine.solveLinear({
      A: [
        [1, 1],
        [1, 1 + 1e-15],
      ],
      b: [2, 2.000001],
    });
    expect(result.warning).toMatch(/nearly singular/);
  });

  it('refuses non-square systems and mismatched right-hand sides', () => {
    expect(
      failure(() =>
        engine.solveLinear({
          A: [
            [1, 2, 3],
            [4, 5, 6],
          ],
          b: [1, 2],
        }),
      ).message,
    ).toMatch(/square/);
    expect(
      failure(() =>
        engine.solveLinear({
          A: [
            [1, 0],
            [0, 1],
          ],
          b: [1, 2, 3],
        }),
      ).message,
    ).toMatch(/2 entries/);
    expect(
      failure(() =>
        engine.solveLinear({
          A: [
            [1, 'x'],
            [0, 1],
          ],
          b: [1, 2],
        }),
      ).code,
    ).toBe('invalid_input');
  });
});
