import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import type { SysinfoServices } from '../services.js';
import { convertTime } from '../time/convert-time.js';
import { resolveZone } from '../time/zones.js';
import { withToolErrors } from './tool-errors.js';
import { zonedTimeSchema } from './zoned-time-schema.js';

/** `convert_time`: a time in one zone, expressed in another. */
export const convertTimeTool = defineTool({
  title: 'Convert time between zones',
  description:
    'Express a time from one time zone in another, with the offset difference between them at that moment and ' +
    'the calendar day shift. Handles daylight saving time: a local time that a DST change skips or repeats is ' +
    'resolved and explained in `note`. For the time now in one zone, current_time is simpler.\n' +
    'time: "now", a time of day ("14:30", "2:30pm"; today in the source zone), a local date and time ' +
    '("2024-03-10 14:30"), or an instant with an offset ("2024-03-10T14:30:00Z"). fromTimeZone/toTimeZone: IANA ' +
    'zones ("Europe/Berlin"), "UTC" or offsets ("+05:30"); fromTimeZone defaults to the server\'s zone.\n' +
    'Example: {"time": "09:00", "fromTimeZone": "America/New_York", "toTimeZone": "Asia/Kolkata"}',
  inputSchema: z.object({
    time: z.string().max(100).describe('"now", "14:30", "2:30pm", "2024-03-10 14:30" or "2024-03-10T14:30:00Z"'),
    fromTimeZone: z
      .string()
      .max(100)
      .optional()
      .describe('Zone the time is in (IANA, "UTC" or "+05:30"); default the server\'s zone'),
    toTimeZone: z.string().max(100).describe('Zone to convert to (IANA, "UTC" or "+05:30")'),
  }),
  outputSchema: z.object({
    source: zonedTimeSchema,
    target: zonedTimeSchema,
    differenceHours: z.number().describe('Target offset minus source offset, in hours (5.5, -8)'),
    difference: z.string().describe('The same as +HH:MM'),
    dayShift: z.number().int().describe('Target date minus source date, in days'),
    resolution: z
      .enum(['exact', 'skipped', 'repeated', 'instant'])
      .describe('How the time mapped to an instant: a skipped or repeated local time is explained in note'),
    note: z.string().optional(),
  }),
  annotations: {
    title: 'Convert time between zones',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  },
  execute: ({ time, fromTimeZone, toTimeZone }, { services }: ToolCall<SysinfoServices>) =>
    withToolErrors(() => {
      const from = fromTimeZone === undefined ? services.timeZone : resolveZone(fromTimeZone);
      return convertTime(time, from, resolveZone(toTimeZone));
    }),
  toText: (out) => {
    const shift = out.dayShift === 0 ? '' : ` (${out.dayShift > 0 ? '+' : ''}${out.dayShift} day)`;
    return (
      `${out.source.iso} ${out.source.timeZone} = ${out.target.iso} ${out.target.timeZone}${shift}; ` +
      `${out.target.timeZone} is ${out.difference} from ${out.source.timeZone}.` +
      (out.note ? `\n${out.note}` : '')
    );
  },
});
