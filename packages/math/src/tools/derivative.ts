import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import { checkExpressions } from '../engine/input-limits.js';
import type { MathServices } from '../services.js';
import { callEngine, checkInput } from './engine-call.js';
import { mathValueSchema, precisionSchema, scopeValuesSchema } from './schemas.js';

/**
 * `derivative`: the symbolic derivative of an expression, optionally evaluated at a point.
 *
 * @example
 * await conn.callTool('derivative', { expression: 'x^3', variable: 'x', at: 2 }); // 3 * x ^ 2, value 12
 */
export const derivative = defineTool({
  title: 'Differentiate an expression',
  description: `Differentiate an expression symbolically with mathjs, optionally evaluating the result at a point. Use it for slopes, rates, critical points and Taylor terms. No integration: mathjs does not integrate symbolically.
Syntax: ^ for powers, exp(x), log(x) (natural), sin/cos/tan, sqrt, abs; e.g. "x^3 + sin(x)" by "x" → "3 * x ^ 2 + cos(x)".
Returns the derivative, its LaTeX and, with at, its value.`,
  inputSchema: z.lazy(() =>
    z.object({
      expression: z.string().min(1).describe('The expression, e.g. "x^2 * exp(-x)".'),
      variable: z.string().min(1).max(100).describe('The variable to differentiate by, e.g. "x".'),
      order: z.number().int().min(1).max(10).default(1).describe('2 for the second derivative, and so on.'),
      at: z
        .union([z.number(), z.string().max(200), scopeValuesSchema])
        .optional()
        .describe('Evaluate the derivative here: a value of the variable (2, "1/3"), or {"x": 1, "y": 2} for several.'),
      simplify: z.boolean().default(true).describe('Simplify the derivative.'),
      precision: precisionSchema.optional(),
    }),
  ),
  outputSchema: z.lazy(() =>
    z.object({
      derivative: z.string(),
      latex: z.string(),
      /** The derivative evaluated at `at`. */
      value: mathValueSchema.optional(),
    }),
  ),
  annotations: {
    title: 'Differentiate an expression',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  execute: (input, call: ToolCall<MathServices>) => {
    checkInput(() => checkExpressions([input.expression], { ...call.services.config, maxBatchSize: 1 }));
    return callEngine(call, 'derivative', {
      expression: input.expression,
      variable: input.variable,
      order: input.order,
      simplify: input.simplify,
      ...(input.at === undefined ? {} : { at: input.at }),
      ...(input.precision === undefined ? {} : { precision: input.precision }),
    });
  },
  toText: (output) =>
    output.value ? `${output.derivative} (= ${output.value.value} at the given point)` : output.derivative,
});
