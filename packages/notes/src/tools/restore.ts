import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import type { NotesServices } from '../services.js';
import { idInput, noteSummaryOutput } from './schemas.js';
import { callStore } from './store-errors.js';

/** `notes_restore`: bring a note back from the trash. */
export const restoreTool = defineTool({
  title: 'Restore note',
  description:
    'Bring a note back from the trash (as "Title 2.md" if the name is taken). Deleted ids: list with trash: true.',
  inputSchema: z.lazy(() => z.object({ id: idInput })),
  outputSchema: noteSummaryOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  execute: ({ id }, { services }: ToolCall<NotesServices>) =>
    callStore(async () => (await services.store()).restore({ id })),
  toText: (note) => `Restored note ${note.id} "${note.title}" to ${note.path} (version ${note.version}).`,
});
