/** Zod shapes shared by the notes tools' inputs and outputs. */
import { z } from 'zod';

/** A note id, as the tools accept it (checked in full by the store, which says what is wrong). */
export const idInput = z.string().min(1).max(200).describe('The note id, as returned by create, list or search');

/** The expectedVersion input. */
export const expectedVersionInput = z
  .number()
  .int()
  .min(0)
  .optional()
  .describe(
    'The version you last read. The change is refused with version_conflict if the note has changed since (nothing is lost; read it again and retry)',
  );

/** A note without its body. */
export const noteSummaryOutput = z.object({
  id: z.string(),
  title: z.string(),
  tags: z.array(z.string()),
  created: z.string().describe('ISO 8601'),
  updated: z.string().describe('ISO 8601'),
  version: z.number().int().describe('Pass as expectedVersion to update or delete'),
  path: z.string().describe('The file, relative to the notes folder'),
});
