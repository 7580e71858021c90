import { ToolError } from '@mcp-packs/core';
import { z } from 'zod';
import { defineTool } from '../define.js';
import { checkExpressions } from '../engine/input-limits.js';
import type { PlotOutput } from '../engine/plot.js';
import { cappedString } from '../schemas.js';
import { PLOT_VIEW_URI } from '../views/plot-view.js';

/** Most points one plot samples. */
export const MAX_PLOT_POINTS = 1000;

const pointSchema = z.object({ x: z.number(), y: z.number() });

/** `1.23456789` → `1.235`: numbers in the summary, short enough to read. */
function short(value: number): string {
  return Number(value.toPrecision(4)).toString();
}

/** The text a client without MCP Apps shows (and the model reads): the range, the extremes, where it is undefined. */
export function plotSummary(output: PlotOutput): string {
  const v = output.variable;
  const lines = [
    `f(${v}) = ${output.expression} for ${v} from ${short(output.from)} to ${short(output.to)}, ${output.x.length} points.`,
  ];
  if (output.min && output.max) {
    lines.push(
      `Min ${short(output.min.y)} at ${v} = ${short(output.min.x)}; max ${short(output.max.y)} at ${v} = ${short(output.max.x)}.`,
    );
  } else {
    lines.push('Undefined (not a finite real number) at every sampled point.');
  }
  if (output.gaps.length > 0 && output.min) {
    const runs = output.gaps
      .slice(0, 8)
      .map((gap) =>
        gap.from === gap.to ? `${v} = ${short(gap.from)}` : `${short(gap.from)} ≤ ${v} ≤ ${short(gap.to)}`,
      );
    const more = output.gaps.length > 8 ? ` and ${output.gaps.length - 8} more` : '';
    lines.push(`Undefined at ${runs.join(', ')}${more}.`);
  }
  return lines.join('\n');
}

/**
 * `plot`: sample a function of one variable over a range, for a chart (an MCP Apps view) and a text summary.
 *
 * @example
 * await conn.callTool('plot', { expression: 'sin(x) / x', from: -20, to: 20 });
 */
export const plot = defineTool({
  title: 'Plot',
  description: 'Plot f(x) over a range: samples, min, max, undefined gaps; MCP Apps clients draw it.',
  inputSchema: () =>
    z.object({
      expression: z.string().describe('mathjs: "sin(x) / x".'),
      variable: cappedString(100).default('x'),
      from: z.number().default(-10),
      to: z.number().default(10),
      points: z.number().int().min(2).max(MAX_PLOT_POINTS).default(200),
    }),
  outputSchema: () =>
    z.object({
      expression: z.string(),
      variable: z.string(),
      from: z.number(),
      to: z.number(),
      x: z.array(z.number()),
      y: z.array(z.number().nullable()),
      min: pointSchema.optional(),
      max: pointSchema.optional(),
      gaps: z.array(z.object({ from: z.number(), to: z.number() })),
    }),
  annotations: {
    title: 'Plot',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  view: PLOT_VIEW_URI,
  execute: async (input, call) => {
    if (!(input.from < input.to)) {
      throw new ToolError(`from (${input.from}) must be below to (${input.to}).`, {
        code: 'invalid_input',
        hint: input.from > input.to ? 'Swap from and to.' : 'Give a range of some width, e.g. from -10 to 10.',
      });
    }
    checkExpressions([input.expression], call.services.config);
    return call.services.pool.run('plot', input, call.signal);
  },
  toText: (output) => plotSummary(output as PlotOutput),
});
