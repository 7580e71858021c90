import { z } from 'zod';
import { defineTool } from '../define.js';
import { checkExpressions } from '../engine/input-limits.js';
import { scopeSchema } from '../schemas.js';

/**
 * `simplify`: algebraic simplification (or expansion with `rationalize`) of one expression.
 *
 * @example
 * await conn.callTool('simplify', { expression: '2x + 3x' }); // { expression: '5 * x', ... }
 */
export const simplify = defineTool({
  title: 'Simplify',
  description: `Simplify algebra symbolically: "(x^2 - 1) / (x - 1)" → "x + 1". No trig identities. For a number use evaluate.`,
  inputSchema: () =>
    z.object({
      expression: z.string().min(1),
      rationalize: z.boolean().default(false).describe('To a polynomial fraction.'),
      rules: z.array(z.string().min(1)).max(50).optional().describe('"n1 * n2 + n1 * n3 -> n1 * (n2 + n3)"'),
      useDefaultRules: z.boolean().default(true),
      exactFractions: z.boolean().default(true),
      scope: scopeSchema.optional(),
    }),
  outputSchema: () =>
    z.object({
      expression: z.string(),
      latex: z.string(),
      /** The free variables left in the result. */
      variables: z.array(z.string()),
    }),
  annotations: {
    title: 'Simplify',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  execute: (input, call) => {
    checkExpressions([input.expression], { ...call.services.config, maxBatchSize: 1 });
    if (input.rules) checkExpressions(input.rules, { ...call.services.config, maxBatchSize: 50 }, 'rule');
    return call.services.pool.run(
      'simplify',
      {
        expression: input.expression,
        rationalize: input.rationalize,
        useDefaultRules: input.useDefaultRules,
        exactFractions: input.exactFractions,
        ...(input.rules === undefined ? {} : { rules: input.rules }),
        ...(input.scope === undefined ? {} : { scope: input.scope }),
      },
      call.signal,
    );
  },
  toText: (output) => output.expression,
});
