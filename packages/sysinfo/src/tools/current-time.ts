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
    'The current date and time in a time zone: ISO 8601 time with UTC offset, weekday, whether daylight saving ' +
    "time is in effect, and the next offset change within a year. Use it whenever an answer depends on today's " +
    'date or the time somewhere. To express a given time in another zone, use convert_time instead.\n' +
    'timeZone: an IANA zone ("Europe/Paris", "America/New_York", any letter case), "UTC", or a fixed offset ' +
    '("+05:30"); omit it for the server\'s default zone. Abbreviations such as PST or IST are ambiguous and are ' +
    'refused with suggestions.\nExample: {"timeZone": "Asia/Tokyo"}',
  inputSchema: z.object({
    timeZone: z
      .string()
      .max(100)
      .optional()
      .describe('IANA zone such as "Europe/London", "UTC" or "+05:30"; default the server\'s zone'),
  }),
  outputSchema: zonedTimeSchema.extend({
    nextTransition: z
      .object({
        at: z.string().describe('First instant with the new offset, UTC ISO 8601'),
        offsetBefore: z.string(),
        offsetAfter: z.string(),
        isDstAfter: z.boolean(),
      })
      .nullable()
      .describe('The next change of UTC offset within a year, or null'),
  }),
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
