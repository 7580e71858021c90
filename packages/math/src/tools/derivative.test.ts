import { type ConnectedPack, connectPack, errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mathPack } from '../pack.js';
import type { MathServices } from '../services.js';

let conn: ConnectedPack<MathServices>;
beforeAll(async () => {
  conn = await connectPack(mathPack, { logSink: () => {} });
});
afterAll(() => conn.close());

describe('math_derivative', () => {
  it('differentiates symbolically', async () => {
    const result = await conn.callTool('derivative', { expression: 'x^2 * exp(-x)', variable: 'x' });
    expect(structured(result)).toEqual({
      derivative: 'exp(-x) * (2 * x - x ^ 2)',
      latex: '\\exp\\left(- x\\right)\\cdot\\left(2\\cdot x-{ x}^{2}\\right)',
    });
    expect(resultText(result)).toBe('exp(-x) * (2 * x - x ^ 2)');
  });

  it('evaluates at a point, for one or several variables, at any order', async () => {
    const at = await conn.callTool('derivative', { expression: 'x^3', variable: 'x', at: 2 });
    expect(structured(at)).toMatchObject({
      derivative: '3 * x ^ 2',
      value: { value: '12', number: 12, type: 'number' },
    });
    expect(resultText(at)).toBe('3 * x ^ 2 (= 12 at the given point)');
    expect(
      structured(await conn.callTool('derivative', { expression: 'x * y^2', variable: 'y', at: { x: 2, y: 3 } })),
    ).toMatchObject({
      value: { number: 12 },
    });
    expect(
      structured(await conn.callTool('derivative', { expression: 'sin(x)', variable: 'x', order: 2 })).derivative,
    ).toBe('-sin(x)');
    expect(
      structured(await conn.callTool('derivative', { expression: 'x^2', variable: 'x', at: '1/3', precision: 3 })),
    ).toMatchObject({
      value: { value: '0.667' },
    });
  });

  it('explains failures', async () => {
    expect(errorCode(await conn.callTool('derivative', { expression: 'x^2', variable: 'x', at: { y: 1 } }))).toBe(
      'evaluation_error',
    );
    expect(errorCode(await conn.callTool('derivative', { expression: 'x^2', variable: 'prototype' }))).toBe(
      'invalid_input',
    );
    expect(errorCode(await conn.callTool('derivative', { expression: 'x^2 +', variable: 'x' }))).toBe('syntax_error');
    expect((await conn.callTool('derivative', { expression: 'x', variable: 'x', order: 11 })).isError).toBe(true);
  });
});
