import { type ConnectedPack, connectPack, errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mathPack } from '../pack.js';
import type { MathServices } from '../services.js';

let conn: ConnectedPack<MathServices>;
beforeAll(async () => {
  conn = await connectPack(mathPack, { logSink: () => {} });
});
afterAll(() => conn.close());

describe('math_solve_linear', () => {
  it('solves a system, with residual, LaTeX and text', async () => {
    const result = await conn.callTool('solve_linear', {
      A: [
        [2, 1, -1],
        [-3, -1, 2],
        [-2, 1, 2],
      ],
      b: [8, -11, -3],
    });
    const output = structured<{ x: number[]; residual: number; latex: string }>(result);
    expect(output.x.map((value) => Math.round(value * 1e12) / 1e12)).toEqual([2, 3, -1]);
    expect(output.residual).toBeLessThan(1e-12);
    expect(output.latex).toMatch(/^\\begin\{bmatrix\}/);
    expect(resultText(result)).toMatch(/^x = \[2, 3, -1\]$/);
  });

  it('solves exactly with fractions', async () => {
    const result = await conn.callTool('solve_linear', {
      A: [
        [1, 2],
        [3, 4],
      ],
      b: ['1/2', '1/3'],
      numberType: 'Fraction',
    });
    expect(structured(result)).toMatchObject({ x: ['-2/3', '7/12'], value: '[-2/3, 7/12]' });
  });

  it('fails clearly on singular and non-square systems', async () => {
    const singular = await conn.callTool('solve_linear', {
      A: [
        [1, 2],
        [2, 4],
      ],
      b: [1, 2],
    });
    expect(errorCode(singular)).toBe('singular_matrix');
    expect(resultText(singular)).toBe(
      '[singular_matrix] A is singular (det(A) = 0): the system has no solution or infinitely many, never exactly one.\nHint: Check the equations for one that is a multiple or sum of others. For a least-squares or minimum-norm answer, call the evaluate tool with pinv(A) * b.',
    );
    const wide = await conn.callTool('solve_linear', { A: [[1, 2, 3]], b: [1] });
    expect(errorCode(wide)).toBe('invalid_input');
    expect(resultText(wide)).toMatch(/pinv\(A\) \* b/);
  });

  it('warns about ill-conditioned systems', async () => {
    const result = await conn.callTool('solve_linear', {
      A: [
        [1, 1],
        [1, 1.0000000000001],
      ],
      b: [2, 2],
    });
    expect(structured(result)).toMatchObject({ warning: expect.stringMatching(/nearly singular/) });
    expect(resultText(result)).toMatch(/\nWarning: A is nearly singular/);
  });
});
