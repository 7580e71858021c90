import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import type { NotesServices } from '../services.js';
import { idInput, noteSummaryOutput } from './schemas.js';
import { callStore } from './store-errors.js';

/** `notes_restore`: bring a note back from the trash. */
export const restoreTool = defineTool({
  title: 'Restore note',
  description:
    'Bring a deleted note back from the trash to where it was (beside it, as "Title 2.md", if that name is now ' +
    'taken). Find the ids of deleted notes with list and trash: true. Example: {"id": "9mzeyjt3b8"}.',
  inputSchema: z.lazy(() => z.object({ id: idInput })),
  outputSchema: noteSummaryOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  execute: ({ id }, { services }: ToolCall<NotesServices>) =>
    callStore(async () => (await services.store()).restore({ id })),
  toText: (note) => `Restored note ${note.id} "${note.title}" to ${note.path} (version ${note.version}).`,
});
