import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import type { SysinfoServices } from '../services.js';
import { currentTime } from '../time/convert-time.js';
import { nextTransition } from '../time/zoned-time.js';
import { resolveZone } from '../time/zones.js';
import { withToolErrors } from './tool-errors.js';
import { zonedTimeSchema } from './zoned-time-schema.js';

/** `current_time`: the time now in a zone. */
export const currentTimeTool = defineTool({
  title: 'Current time',
  description:
    'The current date and time in a time zone: ISO 8601 with UTC offset, weekday, whether daylight saving time ' +
    "is in effect, and the next offset change within a year. Use it whenever an answer depends on today's date " +
    'or the time somewhere. To express a given time in another zone, use convert_time.\n' +
    'Example: {"timeZone": "Asia/Tokyo"}',
  inputSchema: z.lazy(() =>
    z.object({
      timeZone: z
        .string()
        .max(100)
        .optional()
        .describe(
          'IANA zone ("Europe/London", any case), "UTC" or "+05:30"; default the server\'s zone. Abbreviations ' +
            '(PST, IST) are ambiguous and refused with suggestions',
        ),
    }),
  ),
  outputSchema: z.lazy(() =>
    zonedTimeSchema.extend({
      nextTransition: z
        .object({ at: z.string(), offsetBefore: z.string(), offsetAfter: z.string(), isDstAfter: z.boolean() })
        .nullable(),
    }),
  ),
  annotations: {
    title: 'Current time',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  },
  execute: ({ timeZone }, { services }: ToolCall<SysinfoServices>) =>
    withToolErrors(() => {
      const zone = timeZone === undefined ? services.timeZone : resolveZone(timeZone);
      const now = Date.now();
      return { ...currentTime(zone, now), nextTransition: nextTransition(now, zone) };
    }),
  toText: (out) =>
    `${out.iso} (${out.weekday}) in ${out.timeZone}, ${out.abbreviation}, UTC${out.utcOffset}` +
    `${out.isDst ? ', daylight saving time' : ''}.` +
    (out.nextTransition ? ` Next change: ${out.nextTransition.at} to UTC${out.nextTransition.offsetAfter}.` : ''),
});
