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
  description: `Convert a quantity to another unit with mathjs's unit system (SI, imperial, US customary; prefixes such as k, m, u (micro) work on SI units). If the units measure different things, the error lists the compatible units.

Examples: value "5 inch", to "cm" → 12.7 cm; "60 mph" is written "60 mi/h" → to "km/h"; "98.6 degF" → "degC"; "3 ft + 2 inch" → "m"; "1 kWh" → "J"; to "SI" gives SI base units. Unit names: m, km, um, inch, ft, mi, lb, kg, oz, l, gal, degC, degF, K, s, min, h, day, J, kWh, W, hp, Pa, bar, psi, atm, Hz, rad, deg, b (bit), B (byte); there is no mph (write mi/h) and no cal (write 4.184 J).
For unit arithmetic beyond one conversion (5 m * 3 s, 100 km / 2 h), use evaluate.`,
  inputSchema: z.object({
    value: z.string().min(1).describe('A quantity with a unit, e.g. "5 inch", "60 km/h", "3 ft + 2 inch".'),
    to: z.string().min(1).max(100).describe('The target unit, e.g. "cm", "km/h", "degC", or "SI".'),
    precision: precisionSchema.optional(),
  }),
  outputSchema: z.object({
    ...mathValueShape,
    from: z.string().describe('The quantity that was converted.'),
  }),
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
