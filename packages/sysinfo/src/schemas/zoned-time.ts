import { z } from 'zod';
import { integer } from './integer.js';

/** An instant in one zone, as the time tools return it (see `ZonedTime`). Field names say what each one is. */
export const zonedTimeSchema = z.object({
  timeZone: z.string(),
  iso: z.string(),
  utc: z.string(),
  unixSeconds: integer(),
  date: z.string(),
  time: z.string(),
  weekday: z.string(),
  utcOffset: z.string(),
  utcOffsetMinutes: integer(),
  isDst: z.boolean(),
  abbreviation: z.string(),
});
