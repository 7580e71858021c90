import { z } from 'zod';
import { defineTool } from '../define.js';
import type { EvaluateItem } from '../engine/engine.js';
import { checkExpressions } from '../engine/input-limits.js';
import type { NumberType } from '../engine/options.js';
import { mathValueShape, numberTypeSchema, precisionSchema, scopeSchema } from '../schemas.js';

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
  description: `Compute with mathjs, not in your head: arithmetic, units, matrices, complex, trig. ^ not **; log(x) natural; sin(30 deg); [1, 2; 3, 4], A[1, 2] 1-based; f(x) = x^2. An array runs in order, sharing variables. Limits: 1000 chars, 100 per batch, 2 s. Algebra, derivatives, statistics, A x = b: their own tools.`,
  inputSchema: () =>
    z.object({
      expression: z.union([z.string(), z.array(z.string()).min(1)]).describe('Or an array: ["r = 3", "pi * r^2"].'),
      scope: scopeSchema.optional(),
      precision: precisionSchema.optional(),
      numberType: numberTypeSchema.default('number'),
    }),
  outputSchema: () =>
    z.object({
      expression: z.string().optional(),
      ...optionalValueShape,
      /** Batch only: one entry per expression, in order. */
      results: z.array(itemSchema).optional(),
    }),
  annotations: {
    title: 'Evaluate math',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  execute: async (input, call) => {
    const batch = Array.isArray(input.expression);
    const expressions = batch ? (input.expression as string[]) : [input.expression as string];
    checkExpressions(expressions, call.services.config);
    const { results } = await call.services.pool.run(
      'evaluate',
      {
        expressions,
        batch,
        ...(input.scope === undefined ? {} : { scope: input.scope }),
        ...(input.precision === undefined ? {} : { precision: input.precision }),
        numberType: input.numberType as NumberType,
      },
      call.signal,
    );
    return batch ? { results } : (results[0] as Exclude<EvaluateItem, { error: string }>);
  },
  toText: (output) => (output.results ? output.results.map(batchLine).join('\n') : valueText(output as Item)),
});
