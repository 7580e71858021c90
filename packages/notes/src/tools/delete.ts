import { z } from 'zod';
import { defineTool } from '../define.js';
import { expectedVersionInput, idInput, noteSummaryOutput } from '../schemas.js';

/** `notes_delete`: move a note to the trash. */
export const deleteTool = defineTool({
  title: 'Delete note',
  description: 'Move a note to the trash (restore undoes it; list with trash: true shows it). Pass expectedVersion.',
  inputSchema: () => z.object({ id: idInput, expectedVersion: expectedVersionInput }),
  outputSchema: () => noteSummaryOutput.extend({ trashPath: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  execute: async (input, { services }) => (await services.store()).delete(input),
  toText: (note) =>
    `Moved note ${note.id} "${note.title}" to the trash (${note.trashPath}); restore can bring it back.`,
});
