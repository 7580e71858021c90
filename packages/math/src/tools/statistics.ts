import { ToolError } from '@mcp-packs/core';
import { z } from 'zod';
import { defineTool } from '../define.js';
import { STATISTIC_MEASURES } from '../engine/options.js';

const measureSchema = z.enum(STATISTIC_MEASURES);

/**
 * Values near ±1.8e308 overflow a double on the way (a sum, a square), and JSON has no Infinity: say which measures
 * overflowed and how to get them, rather than fail the output schema (an internal error that blames the tool).
 */
function refuseNonFinite(output: object): void {
  const overflowed = Object.entries(output)
    .filter(([, value]) =>
      (Array.isArray(value) ? value : [value]).some((item) =>
        typeof item === 'number'
          ? !Number.isFinite(item)
          : typeof item === 'object' && item !== null && !Number.isFinite((item as { value?: unknown }).value),
      ),
    )
    .map(([key]) => key);
  if (overflowed.length === 0) return;
  throw new ToolError(
    `The ${overflowed.join(', ')} of these values overflow${overflowed.length === 1 ? 's' : ''} a double-precision number (beyond ±1.8e308).`,
    {
      code: 'not_finite',
      hint: 'Scale the values down (divide them all by a power of ten), compute, and scale the results back; or compute it with evaluate and numberType "BigNumber", e.g. variance([1e308, 3]).',
      details: { measures: overflowed },
    },
  );
}

/**
 * `statistics`: summary statistics of a list of numbers.
 *
 * @example
 * await conn.callTool('statistics', { values: [2, 4, 4, 5], measures: ['mean', 'std'] });
 */
export const statistics = defineTool({
  title: 'Statistics',
  description: `Summary statistics of a list of numbers (mad: median absolute deviation). Inside a larger calculation use evaluate.`,
  inputSchema: () =>
    z.object({
      values: z.array(z.number()).min(1),
      measures: z.array(measureSchema).min(1).optional().describe('Default: all but range and mad.'),
      quantiles: z.array(z.number().min(0).max(1)).max(100).optional().describe('0.25 for Q1.'),
      normalization: z
        .enum(['unbiased', 'uncorrected', 'biased'])
        .default('unbiased')
        .describe('Divisor n − 1, n, n + 1.'),
    }),
  outputSchema: () =>
    z.object({
      count: z.number().optional(),
      sum: z.number().optional(),
      mean: z.number().optional(),
      median: z.number().optional(),
      /** The most frequent values (several when tied). */
      mode: z.array(z.number()).optional(),
      min: z.number().optional(),
      max: z.number().optional(),
      range: z.number().optional(),
      variance: z.number().optional(),
      std: z.number().optional(),
      mad: z.number().optional(),
      quantiles: z.array(z.object({ p: z.number(), value: z.number() })).optional(),
    }),
  annotations: {
    title: 'Statistics',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  execute: async (input, call) => {
    const output = await call.services.pool.run(
      'statistics',
      {
        values: input.values,
        normalization: input.normalization,
        ...(input.measures === undefined ? {} : { measures: input.measures }),
        ...(input.quantiles === undefined ? {} : { quantiles: input.quantiles }),
      },
      call.signal,
    );
    refuseNonFinite(output);
    return output;
  },
  toText: (output) =>
    Object.entries(output)
      .map(([key, value]) =>
        key === 'quantiles'
          ? `quantiles: ${(value as { p: number; value: number }[]).map((q) => `p${q.p} = ${q.value}`).join(', ')}`
          : `${key}: ${Array.isArray(value) ? value.join(', ') : value}`,
      )
      .join('\n'),
});
