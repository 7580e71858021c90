import { z } from 'zod';
import { defineTool } from '../define.js';
import type { NumberType } from '../engine/options.js';
import { numberTypeSchema, precisionSchema, scalarSchema } from '../schemas.js';

/**
 * `solve_linear`: solve A x = b for a square system.
 *
 * @example
 * await conn.callTool('solve_linear', { A: [[2, 1], [1, 3]], b: [3, 5] }); // x = [0.8, 1.4]
 */
export const solveLinear = defineTool({
  title: 'Solve linear system',
  description: `Solve A x = b, A square: 2x + y = 3, x + 3y = 5 is A [[2, 1], [1, 3]], b [3, 5]. Least squares: evaluate pinv(A) * b.`,
  inputSchema: () =>
    z.object({
      A: z.array(z.array(scalarSchema).min(1)).min(1),
      b: z
        .union([z.array(scalarSchema).min(1), z.array(z.array(scalarSchema).min(1)).min(1)])
        .describe('Or a matrix, a column per system.'),
      numberType: numberTypeSchema.default('number'),
      precision: precisionSchema.optional(),
    }),
  outputSchema: () =>
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
  annotations: {
    title: 'Solve linear system',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  execute: (input, call) =>
    call.services.pool.run(
      'solveLinear',
      {
        A: input.A,
        b: input.b,
        numberType: input.numberType as NumberType,
        ...(input.precision === undefined ? {} : { precision: input.precision }),
      },
      call.signal,
    ),
  toText: (output) => `x = ${output.value}${output.warning ? `\nWarning: ${output.warning}` : ''}`,
});
