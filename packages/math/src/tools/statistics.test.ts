import { type ConnectedPack, connectPack, errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mathPack } from '../pack.js';
import type { MathServices } from '../services.js';

let conn: ConnectedPack<MathServices>;
beforeAll(async () => {
  conn = await connectPack(mathPack, { logSink: () => {}, config: { maxMatrixElements: 1000 } });
});
afterAll(() => conn.close());

describe('math_statistics', () => {
  it('computes the default summary', async () => {
    const result = await conn.callTool('statistics', { values: [1, 2, 2, 3, 4] });
    expect(structured(result)).toEqual({
      count: 5,
      sum: 12,
      mean: 2.4,
      median: 2,
      mode: [2],
      min: 1,
      max: 4,
      variance: 1.3,
      std: Math.sqrt(1.3),
    });
    expect(resultText(result)).toMatch(/^count: 5\nsum: 12\nmean: 2\.4\nmedian: 2\nmode: 2\n/);
  });

  it('computes chosen measures and quartiles with population normalization', async () => {
    const result = await conn.callTool('statistics', {
      values: [1, 2, 3, 4],
      measures: ['variance', 'range'],
      quantiles: [0.25, 0.5, 0.75],
      normalization: 'uncorrected',
    });
    expect(structured(result)).toEqual({
      range: 3,
      variance: 1.25,
      quantiles: [
        { p: 0.25, value: 1.75 },
        { p: 0.5, value: 2.5 },
        { p: 0.75, value: 3.25 },
      ],
    });
    expect(resultText(result)).toMatch(/quantiles: p0\.25 = 1\.75, p0\.5 = 2\.5, p0\.75 = 3\.25/);
  });

  it('refuses empty, non-numeric and oversized data', async () => {
    expect((await conn.callTool('statistics', { values: [] })).isError).toBe(true);
    expect((await conn.callTool('statistics', { values: ['1', 2] })).isError).toBe(true);
    expect((await conn.callTool('statistics', { values: [1], quantiles: [1.5] })).isError).toBe(true);
    expect(errorCode(await conn.callTool('statistics', { values: Array.from({ length: 1001 }, (_, i) => i) }))).toBe(
      'matrix_too_large',
    );
  });

  it('says which measures overflow a double, instead of failing its output schema', async () => {
    const result = await conn.callTool('statistics', { values: [1e308, 1e308, 3] });
    expect(errorCode(result)).toBe('not_finite');
    expect(resultText(result)).toMatch(/sum, mean, variance, std of these values overflow/);
    expect(resultText(result)).toMatch(/BigNumber/);
    expect(structured(await conn.callTool('statistics', { values: [1e308, 3], measures: ['max', 'min'] }))).toEqual({
      min: 3,
      max: 1e308,
    });
  });
});
