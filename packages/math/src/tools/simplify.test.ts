import { type ConnectedPack, connectPack, errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mathPack } from '../pack.js';
import type { MathServices } from '../services.js';

let conn: ConnectedPack<MathServices>;
beforeAll(async () => {
  conn = await connectPack(mathPack, { logSink: () => {} });
});
afterAll(() => conn.close());

describe('math_simplify', () => {
  it('simplifies, with LaTeX, the free variables and the expression as text', async () => {
    const result = await conn.callTool('simplify', { expression: '2x + 3x + y * y' });
    expect(structured(result)).toEqual({
      expression: '5 * x + y ^ 2',
      latex: '5\\cdot x+{ y}^{2}',
      variables: ['x', 'y'],
    });
    expect(resultText(result)).toBe('5 * x + y ^ 2');
  });

  it('substitutes scope values, expands with rationalize, and applies custom rules', async () => {
    expect(
      structured(await conn.callTool('simplify', { expression: 'a * x^2 + b', scope: { a: 2, b: '1/2' } })),
    ).toMatchObject({
      expression: '2 * x ^ 2 + 1 / 2',
      variables: ['x'],
    });
    expect(structured(await conn.callTool('simplify', { expression: '(x - 1)^3', rationalize: true })).expression).toBe(
      'x ^ 3 - 3 * x ^ 2 + 3 * x - 1',
    );
    expect(
      structured(
        await conn.callTool('simplify', { expression: 'sin(x)^2 + cos(x)^2 + 1', rules: ['sin(n)^2 + cos(n)^2 -> 1'] }),
      ).expression,
    ).toBe('2');
  });

  it('refuses malformed rules, forbidden input and over-long expressions', async () => {
    expect(errorCode(await conn.callTool('simplify', { expression: 'x', rules: ['x = 2'] }))).toBe('invalid_input');
    expect(errorCode(await conn.callTool('simplify', { expression: 'compile("x")' }))).toBe('forbidden');
    expect(errorCode(await conn.callTool('simplify', { expression: `x${' + x'.repeat(300)}` }))).toBe(
      'expression_too_long',
    );
    expect(
      errorCode(await conn.callTool('simplify', { expression: 'x', rules: [`x${' + x'.repeat(300)} -> x`] })),
    ).toBe('expression_too_long');
    expect(errorCode(await conn.callTool('simplify', { expression: '(x +' }))).toBe('syntax_error');
  });
});
