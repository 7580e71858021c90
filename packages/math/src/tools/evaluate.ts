import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import type { EvaluateItem } from '../engine/engine.js';
import { checkExpressions } from '../engine/input-limits.js';
import type { NumberType } from '../engine/options.js';
import type { MathServices } from '../services.js';
import { callEngine, checkInput } from './engine-call.js';
import { mathValueShape, numberTypeSchema, precisionSchema, scopeSchema } from './schemas.js';

const optionalValueShape = Object.fromEntries(
  Object.entries(mathValueShape).map(([key, schema]) => [key, schema.optional()]),
) as { [K in keyof typeof mathValueShape]: z.ZodOptional<(typeof mathValueShape)[K]> };

const itemSchema = z.object({
  expression: z.string(),
  ...optionalValueShape,
  /** Why this expression failed (batch only; the others still ran), its code and how to fix it. */
  error: z.string().optional(),
  code: z.string().optional(),
  hint: z.string().optional(),
});

type Item = z.infer<typeof itemSchema>;

function valueText(item: Item): string {
  const value = item.type === 'function' ? `defined ${item.value}` : (item.value ?? '');
  return item.warning ? `${value} (warning: ${item.warning})` : value;
}

function batchLine(item: Item, index: number): string {
  if (item.error === undefined) return `${index + 1}. ${item.expression} = ${valueText(item)}`;
  return `${index + 1}. ${item.expression} → error [${item.code}]: ${item.error}${item.hint ? ` Hint: ${item.hint}` : ''}`;
}

/**
 * `evaluate`: one mathjs expression, or a batch sharing one scope, in a sandboxed worker.
 *
 * @example
 * await conn.callTool('evaluate', { expression: ['r = 3', 'pi * r^2'] });
 */
export const evaluate = defineTool({
  title: 'Evaluate math',
  description: `Evaluate math exactly with mathjs instead of computing in your head: arithmetic, units, matrices, complex numbers, combinatorics, trigonometry, probability. For algebra, derivatives, unit conversion, data summaries and A x = b prefer simplify, derivative, convert_units, statistics, solve_linear.
Syntax: ^ for powers (not **); log(x) is natural, log(x, 10); sin(30 deg), 3!, combinations(10, 3), 2 + 3i; 5 cm + 2 inch, 60 km/h to m/s; matrices [1, 2; 3, 4] with 1-based A[1, 2], inv(A), det(A), A'; f(x) = x^2 defines a function for later statements.
An array of expressions runs in order with shared variables and returns results, one per expression; one failing does not stop the others. Default limits: 1000 characters per expression, 100 per batch, 2 s per call. evaluate, parse, import, simplify and derivative are disabled inside expressions.`,
  inputSchema: z.lazy(() =>
    z.object({
      expression: z
        .union([z.string(), z.array(z.string()).min(1)])
        .describe('An expression, e.g. "sqrt(3^2 + 4^2)", or an array of them (["r = 3", "pi * r^2"]).'),
      scope: scopeSchema.optional(),
      precision: precisionSchema.optional(),
      numberType: numberTypeSchema.default('number'),
    }),
  ),
  outputSchema: z.lazy(() =>
    z.object({
      expression: z.string().optional(),
      ...optionalValueShape,
      /** Batch only: one entry per expression, in order. */
      results: z.array(itemSchema).optional(),
    }),
  ),
  annotations: {
    title: 'Evaluate math',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  execute: async (input, call: ToolCall<MathServices>) => {
    const batch = Array.isArray(input.expression);
    const expressions = batch ? (input.expression as string[]) : [input.expression as string];
    checkInput(() => checkExpressions(expressions, call.services.config));
    const { results } = await callEngine(call, 'evaluate', {
      expressions,
      batch,
      ...(input.scope === undefined ? {} : { scope: input.scope }),
      ...(input.precision === undefined ? {} : { precision: input.precision }),
      numberType: input.numberType as NumberType,
    });
    return batch ? { results } : (results[0] as Exclude<EvaluateItem, { error: string }>);
  },
  toText: (output) => (output.results ? output.results.map(batchLine).join('\n') : valueText(output as Item)),
});
