import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import { checkExpressions } from '../engine/input-limits.js';
import type { MathServices } from '../services.js';
import { callEngine, checkInput } from './engine-call.js';
import { mathValueShape, precisionSchema } from './schemas.js';

/**
 * `convert_units`: convert a quantity to another unit, listing the compatible units when the target does not fit.
 *
 * @example
 * await conn.callTool('convert_units', { value: '5 inch', to: 'cm' }); // 12.7 cm
 */
export const convertUnits = defineTool({
  title: 'Convert units',
  description: `Convert a quantity to another unit with mathjs (SI, imperial, US customary; SI prefixes such as k, m, u for micro). If the units measure different things, the error lists the compatible ones. For other unit arithmetic (5 m * 3 s) use evaluate.
Examples: "5 inch" to "cm" → 12.7 cm; "60 mi/h" to "km/h"; "98.6 degF" to "degC"; "3 ft + 2 inch" to "m"; "1 kWh" to "J"; to "SI" gives SI base units.
Units: m, km, um, inch, ft, mi, lb, kg, oz, l, gal, degC, degF, K, s, min, h, day, J, kWh, W, hp, Pa, bar, psi, atm, Hz, rad, deg, b (bit), B (byte); no mph (write mi/h) and no cal (write 4.184 J).`,
  inputSchema: z.lazy(() =>
    z.object({
      value: z.string().min(1).describe('A quantity with a unit, e.g. "5 inch", "60 km/h", "3 ft + 2 inch".'),
      to: z.string().min(1).max(100).describe('The target unit, e.g. "cm", "km/h", "degC", or "SI".'),
      precision: precisionSchema.optional(),
    }),
  ),
  outputSchema: z.lazy(() =>
    z.object({
      ...mathValueShape,
      /** The quantity that was converted. */
      from: z.string(),
    }),
  ),
  annotations: {
    title: 'Convert units',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  execute: (input, call: ToolCall<MathServices>) => {
    checkInput(() => checkExpressions([input.value], { ...call.services.config, maxBatchSize: 1 }));
    return callEngine(call, 'convertUnits', {
      value: input.value,
      to: input.to,
      ...(input.precision === undefined ? {} : { precision: input.precision }),
    });
  },
  toText: (output) => `${output.from} = ${output.value}`,
});
