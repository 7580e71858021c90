import { z } from 'zod';
import { defineTool } from '../define.js';
import { cappedString } from '../schemas/capped-string.js';
import { integer } from '../schemas/integer.js';
import { zonedTimeSchema } from '../schemas/zoned-time.js';
import { convertTime } from '../time/convert-time.js';
import { resolveZone } from '../time/zones.js';

/** `convert_time`: a time in one zone, expressed in another. */
export const convertTimeTool = defineTool({
  title: 'Convert time zone',
  description:
    'Express a time from one zone in another, with offset difference and day shift; a local time a DST change skips or repeats is explained in note.',
  inputSchema: () =>
    z.object({
      time: cappedString(100).describe('"now", "2:30pm", "2024-03-10 14:30", or with an offset.'),
      fromTimeZone: cappedString(100).optional().describe('IANA, "UTC" or "+05:30"; default: the server\'s.'),
      toTimeZone: cappedString(100).describe('Same forms.'),
    }),
  outputSchema: () =>
    z.object({
      source: zonedTimeSchema,
      target: zonedTimeSchema,
      differenceHours: z.number(),
      difference: z.string(),
      dayShift: integer(),
      resolution: z.enum(['exact', 'skipped', 'repeated', 'instant']),
      note: z.string().optional(),
    }),
  annotations: {
    title: 'Convert time zone',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  },
  execute: ({ time, fromTimeZone, toTimeZone }, { services }) => {
    const from = fromTimeZone === undefined ? services.timeZone : resolveZone(fromTimeZone);
    return convertTime(time, from, resolveZone(toTimeZone));
  },
  toText: (out) => {
    const shift = out.dayShift === 0 ? '' : ` (${out.dayShift > 0 ? '+' : ''}${out.dayShift} day)`;
    return (
      `${out.source.iso} ${out.source.timeZone} = ${out.target.iso} ${out.target.timeZone}${shift}; ` +
      `${out.target.timeZone} is ${out.difference} from ${out.source.timeZone}.` +
      (out.note ? `\n${out.note}` : '')
    );
  },
});
