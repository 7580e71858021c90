import { z } from 'zod';

/**
 * A string capped at `max` characters against hostile input: enforced on every call, but not listed (a `.refine`,
 * which JSON Schema does not show). No real argument comes near the cap, and a listed `maxLength` would cost bytes
 * of every tools/list.
 */
export function cappedString(max: number): z.ZodString {
  return z.string().refine((value) => value.length <= max, { error: `at most ${max} characters` });
}
