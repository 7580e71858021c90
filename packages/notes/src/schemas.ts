/** Zod shapes shared by the notes tools' inputs and outputs. */
import { z } from 'zod';

/**
 * A string capped at `max` characters against hostile input: enforced on every call, but not listed (a `.refine`,
 * which JSON Schema does not show). No real argument comes near the cap, and a listed `maxLength` would cost bytes
 * of every tools/list.
 */
export function cappedString(max: number): z.ZodString {
  return z.string().refine((value) => value.length <= max, { error: `at most ${max} characters` });
}

/**
 * An integer: the same check as `z.number().int()` (a safe integer), listed as plain `{"type": "integer"}` plus the
 * bounds given with `.min()`/`.max()`. `.int()` also lists zod's ±2^53 bounds, about 50 bytes of tools/list per
 * field that tell a model nothing.
 */
export const integer = () =>
  z.number().refine(Number.isSafeInteger, { error: 'expected an integer' }).meta({ type: 'integer' });

/** A note id, as the tools accept it (checked in full by the store, which says what is wrong). */
export const idInput = cappedString(200).min(1);

/** The expectedVersion input. */
export const expectedVersionInput = integer()
  .min(0)
  .optional()
  .describe('As read; if changed since: version_conflict, no write.');

/** A note without its body. Dates are ISO 8601; `path` is relative to the notes folder. */
export const noteSummaryOutput = z.object({
  id: z.string(),
  title: z.string(),
  tags: z.array(z.string()),
  created: z.string(),
  updated: z.string(),
  version: integer(),
  path: z.string(),
});
