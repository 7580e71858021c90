import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import { checkExpressions } from '../engine/input-limits.js';
import type { MathServices } from '../services.js';
import { callEngine, checkInput } from './engine-call.js';
import { scopeSchema } from './schemas.js';

/**
 * `simplify`: algebraic simplification (or expansion with `rationalize`) of one expression.
 *
 * @example
 * await conn.callTool('simplify', { expression: '2x + 3x' }); // { expression: '5 * x', ... }
 */
export const simplify = defineTool({
  title: 'Simplify an expression',
  description: `Simplify an algebraic expression symbolically with mathjs: combine like terms, cancel, fold constants. Use it to check or tidy algebra; for a number use evaluate.
Examples: "2x + 3x" → "5 * x", "(x^2 - 1) / (x - 1)" → "x + 1"; mathjs knows no trig identities (sin(x)^2 + cos(x)^2 stays). rationalize: true expands to a polynomial fraction: "(x + 1)^2" → "x ^ 2 + 2 * x + 1".
rules: rewrite rules tried before the defaults; in them n, n1, n2 match any subexpression, c a constant, v a variable, e.g. "n1 * n2 + n1 * n3 -> n1 * (n2 + n3)".
Returns the expression, its LaTeX and the variables left in it.`,
  inputSchema: z.lazy(() =>
    z.object({
      expression: z.string().min(1).describe('The expression, e.g. "2x + 3x + x^2 / x".'),
      rationalize: z.boolean().default(false).describe('Expand into a polynomial fraction instead of simplifying.'),
      rules: z.array(z.string().min(1)).max(50).optional().describe('Extra rewrite rules, "left -> right" each.'),
      useDefaultRules: z.boolean().default(true).describe("false: apply only your rules, not mathjs's defaults."),
      exactFractions: z.boolean().default(true).describe('Keep constants as exact fractions (1/3), not decimals.'),
      scope: scopeSchema.optional().describe('Values to substitute before simplifying, e.g. {"a": 2}.'),
    }),
  ),
  outputSchema: z.lazy(() =>
    z.object({
      expression: z.string(),
      latex: z.string(),
      /** The free variables left in the result. */
      variables: z.array(z.string()),
    }),
  ),
  annotations: {
    title: 'Simplify an expression',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  execute: (input, call: ToolCall<MathServices>) => {
    checkInput(() => {
      checkExpressions([input.expression], { ...call.services.config, maxBatchSize: 1 });
      if (input.rules) checkExpressions(input.rules, { ...call.services.config, maxBatchSize: 50 }, 'rule');
    });
    return callEngine(call, 'simplify', {
      expression: input.expression,
      rationalize: input.rationalize,
      useDefaultRules: input.useDefaultRules,
      exactFractions: input.exactFractions,
      ...(input.rules === undefined ? {} : { rules: input.rules }),
      ...(input.scope === undefined ? {} : { scope: input.scope }),
    });
  },
  toText: (output) => output.expression,
});
