import { z } from 'zod';
import { defineTool } from '../define.js';
import { cappedString } from '../schemas/capped-string.js';
import { zonedTimeSchema } from '../schemas/zoned-time.js';
import { currentTime } from '../time/convert-time.js';
import { nextTransition } from '../time/zoned-time.js';
import { resolveZone } from '../time/zones.js';

/** `current_time`: the time now in a zone. */
export const currentTimeTool = defineTool({
  title: 'Current time',
  description:
    'The date and time now in a zone (ISO 8601, weekday, DST, next offset change): use it whenever an answer depends on today. For a given time: convert_time.',
  inputSchema: () =>
    z.object({
      timeZone: cappedString(100)
        .optional()
        .describe('IANA ("Europe/London"), "UTC", "+05:30"; default: the server\'s. Not PST etc.'),
    }),
  outputSchema: () =>
    zonedTimeSchema.extend({
      nextTransition: z
        .object({ at: z.string(), offsetBefore: z.string(), offsetAfter: z.string(), isDstAfter: z.boolean() })
        .nullable(),
    }),
  annotations: {
    title: 'Current time',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  },
  execute: ({ timeZone }, { services }) => {
    const zone = timeZone === undefined ? services.timeZone : resolveZone(timeZone);
    const now = Date.now();
    return { ...currentTime(zone, now), nextTransition: nextTransition(now, zone) };
  },
  toText: (out) =>
    `${out.iso} (${out.weekday}) in ${out.timeZone}, ${out.abbreviation}, UTC${out.utcOffset}` +
    `${out.isDst ? ', daylight saving time' : ''}.` +
    (out.nextTransition ? ` Next change: ${out.nextTransition.at} to UTC${out.nextTransition.offsetAfter}.` : ''),
});
