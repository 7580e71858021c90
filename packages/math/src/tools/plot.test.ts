import { VIEW_MIME_TYPE } from '@mcp-packs/core';
import { type ConnectedPack, connectPack, errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlotOutput } from '../engine/plot.js';
import { mathPack } from '../pack.js';
import type { MathServices } from '../services.js';

let conn: ConnectedPack<MathServices>;
beforeAll(async () => {
  conn = await connectPack(mathPack, { logSink: () => {} });
});
afterAll(() => conn.close());

describe('math_plot', () => {
  it('samples evenly over the range, both ends included, with min and max', async () => {
    const result = await conn.callTool('plot', { expression: 'x^2 - 1', from: -2, to: 2, points: 5 });
    expect(result.isError).toBeFalsy();
    expect(structured<PlotOutput>(result)).toEqual({
      expression: 'x^2 - 1',
      variable: 'x',
      from: -2,
      to: 2,
      x: [-2, -1, 0, 1, 2],
      y: [3, 0, -1, 0, 3],
      min: { x: 0, y: -1 },
      max: { x: -2, y: 3 },
      gaps: [],
    });
    expect(resultText(result)).toBe('f(x) = x^2 - 1 for x from -2 to 2, 5 points.\nMin -1 at x = 0; max 3 at x = -2.');
  });

  it('defaults to 200 points from -10 to 10, and takes another variable and statements', async () => {
    const plain = structured<PlotOutput>(await conn.callTool('plot', { expression: 'sin(x)' }));
    expect(plain.x).toHaveLength(200);
    expect([plain.x[0], plain.x.at(-1)]).toEqual([-10, 10]);
    expect(plain.y[100]).toBeCloseTo(Math.sin(plain.x[100] as number), 10);
    const t = structured<PlotOutput>(
      await conn.callTool('plot', { expression: 'a = 3; a * t', variable: 't', from: 0, to: 1, points: 3 }),
    );
    expect(t).toMatchObject({ variable: 't', x: [0, 0.5, 1], y: [0, 1.5, 3] });
  });

  it('leaves gaps where the value is not a finite real number, and says where', async () => {
    const result = await conn.callTool('plot', { expression: 'sqrt(x)', from: -2, to: 2, points: 5 });
    const output = structured<PlotOutput>(result);
    expect(output.y).toEqual([null, null, 0, 1, Number(Math.SQRT2.toPrecision(12))]);
    expect(output.gaps).toEqual([{ from: -2, to: -1 }]);
    expect(resultText(result)).toContain('Undefined at -2 ≤ x ≤ -1.');
    const pole = structured<PlotOutput>(
      await conn.callTool('plot', { expression: '1 / x', from: -1, to: 1, points: 3 }),
    );
    expect(pole.y).toEqual([-1, null, 1]);
    expect(pole.gaps).toEqual([{ from: 0, to: 0 }]);
    const never = await conn.callTool('plot', { expression: 'log(-1 - x^2)', from: 0, to: 1, points: 4 });
    expect(structured<PlotOutput>(never)).not.toHaveProperty('min');
    expect(resultText(never)).toContain('Undefined (not a finite real number) at every sampled point.');
  });

  it('lists its view, and the view reads as a self-contained MCP Apps page', async () => {
    const { tools } = await conn.client.listTools();
    expect(tools.find((tool) => tool.name === 'math_plot')?._meta).toMatchObject({
      ui: { resourceUri: 'ui://math/plot' },
    });
    const read = await conn.client.readResource({ uri: 'ui://math/plot' });
    const [page] = read.contents as { mimeType: string; text: string }[];
    expect(page?.mimeType).toBe(VIEW_MIME_TYPE);
    expect(page?.text).toMatch(/^<!doctype html>/);
    expect(Buffer.byteLength(page?.text ?? '')).toBeLessThan(12_000);
    // Nothing from the network: no external scripts, styles or images.
    expect(page?.text).not.toMatch(/\b(src|href)\s*=|@import|url\(\s*['"]?(https?:)?\/\//);
  });

  it('refuses a bad range, too many points, a long expression, a forbidden call and a non-numeric value', async () => {
    const backwards = await conn.callTool('plot', { expression: 'x', from: 5, to: 1 });
    expect(errorCode(backwards)).toBe('invalid_input');
    expect(resultText(backwards)).toContain('Swap from and to.');
    expect(errorCode(await conn.callTool('plot', { expression: 'x', from: 1, to: 1 }))).toBe('invalid_input');
    expect(errorCode(await conn.callTool('plot', { expression: 'x', points: 5000 }))).toBe('invalid_input');
    expect(errorCode(await conn.callTool('plot', { expression: 'x'.repeat(2000) }))).toBe('expression_too_long');
    expect(errorCode(await conn.callTool('plot', { expression: 'evaluate("1")' }))).toBe('forbidden');
    const matrix = await conn.callTool('plot', { expression: '[x, 2 * x]', points: 3 });
    expect(errorCode(matrix)).toBe('invalid_input');
    expect(resultText(matrix)).toContain('at x = -10 it gives a');
    const unknown = await conn.callTool('plot', { expression: 'x * k' });
    expect(errorCode(unknown)).toBe('evaluation_error');
    expect(resultText(unknown)).toContain('At x = -10');
    const variable = await conn.callTool('plot', { expression: 'sin(x)', variable: 'sin' });
    expect(errorCode(variable)).toBe('invalid_input');
  });
});
