import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import type { SysinfoServices } from '../services.js';
import { convertTime } from '../time/convert-time.js';
import { resolveZone } from '../time/zones.js';
import { integer } from './integer.js';
import { withToolErrors } from './tool-errors.js';
import { zonedTimeSchema } from './zoned-time-schema.js';

/** `convert_time`: a time in one zone, expressed in another. */
export const convertTimeTool = defineTool({
  title: 'Convert time between zones',
  description:
    'Express a time from one time zone in another, with the offset difference at that moment and the day shift. ' +
    'DST-aware: a local time that a DST change skips or repeats is resolved and explained in `note`. For the time ' +
    'now in one zone, current_time is simpler.\n' +
    'Example: {"time": "09:00", "fromTimeZone": "America/New_York", "toTimeZone": "Asia/Kolkata"}',
  inputSchema: z.lazy(() =>
    z.object({
      time: z
        .string()
        .max(100)
        .describe(
          '"now", a time of day ("14:30", "2:30pm"; today in the source zone), a local date and time ' +
            '("2024-03-10 14:30") or an instant with an offset ("2024-03-10T14:30:00Z")',
        ),
      fromTimeZone: z
        .string()
        .max(100)
        .optional()
        .describe('Zone the time is in: IANA ("Europe/Berlin"), "UTC" or "+05:30"; default the server\'s zone'),
      toTimeZone: z.string().max(100).describe('Zone to convert to, in the same forms'),
    }),
  ),
  outputSchema: z.lazy(() =>
    z.object({
      source: zonedTimeSchema,
      target: zonedTimeSchema,
      differenceHours: z.number(),
      difference: z.string(),
      dayShift: integer(),
      resolution: z.enum(['exact', 'skipped', 'repeated', 'instant']),
      note: z.string().optional(),
    }),
  ),
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
