import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import type { SysinfoServices } from '../services.js';
import { currentTime } from '../time/convert-time.js';
import { nextTransition } from '../time/zoned-time.js';
import { resolveZone } from '../time/zones.js';
import { cappedString } from './capped-string.js';
import { withToolErrors } from './tool-errors.js';
import { zonedTimeSchema } from './zoned-time-schema.js';

/** `current_time`: the time now in a zone. */
export const currentTimeTool = defineTool({
  title: 'Current time',
  description:
    'The date and time now in a zone (ISO 8601, weekday, DST, next offset change): use it whenever an answer depends on today. For a given time: convert_time.',
  inputSchema: z.lazy(() =>
    z.object({
      timeZone: cappedString(100)
        .optional()
        .describe('IANA ("Europe/London"), "UTC", "+05:30"; default: the server\'s. Not PST etc.'),
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
