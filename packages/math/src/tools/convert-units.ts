import { z } from 'zod';
import { defineTool } from '../define.js';
import { checkExpressions } from '../engine/input-limits.js';
import { cappedString, mathValueShape, precisionSchema } from '../schemas.js';

/**
 * `convert_units`: convert a quantity to another unit, listing the compatible units when the target does not fit.
 *
 * @example
 * await conn.callTool('convert_units', { value: '5 inch', to: 'cm' }); // 12.7 cm
 */
export const convertUnits = defineTool({
  title: 'Convert units',
  description: `Convert a quantity to another unit (SI, imperial, US; b bit, B byte; mi/h not mph). Other unit math: evaluate.`,
  inputSchema: () =>
    z.object({
      value: z.string().min(1).describe('"3 ft + 2 inch".'),
      to: cappedString(100).min(1).describe('"cm", or "SI".'),
      precision: precisionSchema.optional(),
    }),
  outputSchema: () =>
    z.object({
      ...mathValueShape,
      /** The quantity that was converted. */
      from: z.string(),
    }),
  annotations: {
    title: 'Convert units',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  execute: (input, call) => {
    checkExpressions([input.value], { ...call.services.config, maxBatchSize: 1 });
    return call.services.pool.run(
      'convertUnits',
      {
        value: input.value,
        to: input.to,
        ...(input.precision === undefined ? {} : { precision: input.precision }),
      },
      call.signal,
    );
  },
  toText: (output) => `${output.from} = ${output.value}`,
});
