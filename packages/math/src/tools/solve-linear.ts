import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import type { NumberType } from '../engine/options.js';
import type { MathServices } from '../services.js';
import { callEngine } from './engine-call.js';
import { numberTypeSchema, precisionSchema, scalarSchema } from './schemas.js';

/**
 * `solve_linear`: solve A x = b for a square system.
 *
 * @example
 * await conn.callTool('solve_linear', { A: [[2, 1], [1, 3]], b: [3, 5] }); // x = [0.8, 1.4]
 */
export const solveLinear = defineTool({
  title: 'Solve a linear system',
  description: `Solve the linear system A x = b for a square A (LU decomposition). Use it for simultaneous linear equations: 2x + y = 3, x + 3y = 5 is A = [[2, 1], [1, 3]], b = [3, 5] → x = [0.8, 1.4].
Entries are numbers or strings ("1/3", "2.5e-3"); b may be a matrix, one column per right-hand side. A singular A fails with singular_matrix, a non-square A fails too: for least squares use evaluate with pinv(A) * b.
Returns x (numbers for numberType number, else text), its text and LaTeX, for numberType number the residual max|A x − b|, and a warning when A is nearly singular.`,
  inputSchema: z.lazy(() =>
    z.object({
      A: z.array(z.array(scalarSchema).min(1)).min(1).describe('The coefficient matrix, as rows: [[2, 1], [1, 3]].'),
      b: z
        .union([z.array(scalarSchema).min(1), z.array(z.array(scalarSchema).min(1)).min(1)])
        .describe('One value per row of A ([3, 5]), or rows of a matrix for several systems.'),
      numberType: numberTypeSchema.default('number'),
      precision: precisionSchema.optional(),
    }),
  ),
  outputSchema: z.lazy(() =>
    z.object({
      /** The solution: a vector when b is a vector, else a matrix (one column per column of b). */
      x: z.array(z.unknown()),
      value: z.string(),
      latex: z.string().optional(),
      /** max |A x - b| (numberType number): how well x solves the system. */
      residual: z.number().optional(),
      /** Present when A is nearly singular and x may be inaccurate. */
      warning: z.string().optional(),
    }),
  ),
  annotations: {
    title: 'Solve a linear system',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  execute: (input, call: ToolCall<MathServices>) =>
    callEngine(call, 'solveLinear', {
      A: input.A,
      b: input.b,
      numberType: input.numberType as NumberType,
      ...(input.precision === undefined ? {} : { precision: input.precision }),
    }),
  toText: (output) => `x = ${output.value}${output.warning ? `\nWarning: ${output.warning}` : ''}`,
});
