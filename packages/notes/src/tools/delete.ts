import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import type { NotesServices } from '../services.js';
import { expectedVersionInput, idInput, noteSummaryOutput } from './schemas.js';
import { callStore } from './store-errors.js';

/** `notes_delete`: move a note to the trash. */
export const deleteTool = defineTool({
  title: 'Delete note',
  description: 'Move a note to the trash (restore undoes it; list with trash: true shows it). Pass expectedVersion.',
  inputSchema: z.lazy(() => z.object({ id: idInput, expectedVersion: expectedVersionInput })),
  outputSchema: z.lazy(() => noteSummaryOutput.extend({ trashPath: z.string() })),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  execute: (input, { services }: ToolCall<NotesServices>) =>
    callStore(async () => (await services.store()).delete(input)),
  toText: (note) =>
    `Moved note ${note.id} "${note.title}" to the trash (${note.trashPath}); restore can bring it back.`,
});
