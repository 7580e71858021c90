/** Zod shapes shared by the notes tools' inputs and outputs. */
import { z } from 'zod';

/**
 * An integer: the same check as `z.number().int()` (a safe integer), listed as plain `{"type": "integer"}` plus the
 * bounds given with `.min()`/`.max()`. `.int()` also lists zod's ±2^53 bounds, about 50 bytes of tools/list per
 * field that tell a model nothing.
 */
export const integer = () =>
  z.number().refine(Number.isSafeInteger, { error: 'expected an integer' }).meta({ type: 'integer' });

/** A note id, as the tools accept it (checked in full by the store, which says what is wrong). */
export const idInput = z.string().min(1).max(200).describe('The note id, as returned by create, list or search');

/** The expectedVersion input. */
export const expectedVersionInput = integer()
  .min(0)
  .optional()
  .describe(
    'The version you last read. If the note changed since, nothing is written (version_conflict, with the current ' +
      'version): read it again and retry',
  );

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
