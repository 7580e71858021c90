import { z } from 'zod';

/** An instant in one zone, as the time tools return it (see `ZonedTime`). */
export const zonedTimeSchema = z.object({
  timeZone: z.string().describe('IANA zone name'),
  iso: z.string().describe('Local date and time with UTC offset, ISO 8601'),
  utc: z.string().describe('The same instant in UTC, ISO 8601'),
  unixSeconds: z.number().int(),
  date: z.string().describe('Local date, YYYY-MM-DD'),
  time: z.string().describe('Local time, HH:MM:SS, 24-hour'),
  weekday: z.string(),
  utcOffset: z.string().describe('+HH:MM'),
  utcOffsetMinutes: z.number().int(),
  isDst: z.boolean().describe('Daylight saving time in effect'),
  abbreviation: z.string().describe('Short zone name such as CET, or GMT+1 where there is none'),
});
