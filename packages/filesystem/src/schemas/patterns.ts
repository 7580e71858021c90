import { z } from 'zod';

/**
 * The longest glob or gitignore pattern a call may give. Patterns compile to regular expressions: one of some 60,000
 * characters is too large for V8 to compile at all (an exception deep in the walk), and an invalid one is quoted back
 * in the error. No real pattern comes near 1,000 characters.
 */
export const MAX_PATTERN_LENGTH = 1000;

/** The most exclude patterns one call may give (each is its own regular expression, tested on every entry walked). */
export const MAX_EXCLUDES = 100;

/**
 * A string capped at `max` characters against hostile input: enforced on every call, but not listed (a `.refine`,
 * which JSON Schema does not show). No real argument comes near the cap, and a listed `maxLength` would cost bytes
 * of every tools/list.
 */
export function cappedString(max: number): z.ZodString {
  return z.string().refine((value) => value.length <= max, { error: `at most ${max} characters` });
}

/** The `exclude` argument of the walking tools: gitignore-style patterns, bounded in length and number. */
export function excludeInput(): z.ZodDefault<z.ZodArray<z.ZodString>> {
  return z
    .array(cappedString(MAX_PATTERN_LENGTH))
    .max(MAX_EXCLUDES)
    .default([])
    .describe('Gitignore patterns to skip.');
}
