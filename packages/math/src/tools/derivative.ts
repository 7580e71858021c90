import { z } from 'zod';
import { defineTool } from '../define.js';
import { checkExpressions } from '../engine/input-limits.js';
import { cappedString, mathValueSchema, precisionSchema, scopeValuesSchema } from '../schemas.js';

/**
 * `derivative`: the symbolic derivative of an expression, optionally evaluated at a point.
 *
 * @example
 * await conn.callTool('derivative', { expression: 'x^3', variable: 'x', at: 2 }); // 3 * x ^ 2, value 12
 */
export const derivative = defineTool({
  title: 'Derivative',
  description: `Differentiate symbolically, optionally at a point: "x^3 + sin(x)" → "3 * x ^ 2 + cos(x)". No integration.`,
  inputSchema: () =>
    z.object({
      expression: z.string().min(1),
      variable: cappedString(100).min(1),
      order: z.number().int().min(1).max(10).default(1),
      at: z
        .union([z.number(), cappedString(200), scopeValuesSchema])
        .optional()
        .describe('2, "1/3" or {"x": 1, "y": 2}.'),
      simplify: z.boolean().default(true),
      precision: precisionSchema.optional(),
    }),
  outputSchema: () =>
    z.object({
      derivative: z.string(),
      latex: z.string(),
      /** The derivative evaluated at `at`. */
      value: mathValueSchema.optional(),
    }),
  annotations: {
    title: 'Derivative',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  execute: (input, call) => {
    checkExpressions([input.expression], { ...call.services.config, maxBatchSize: 1 });
    return call.services.pool.run(
      'derivative',
      {
        expression: input.expression,
        variable: input.variable,
        order: input.order,
        simplify: input.simplify,
        ...(input.at === undefined ? {} : { at: input.at }),
        ...(input.precision === undefined ? {} : { precision: input.precision }),
      },
      call.signal,
    );
  },
  toText: (output) =>
    output.value ? `${output.derivative} (= ${output.value.value} at the given point)` : output.derivative,
});
