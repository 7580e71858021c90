import { z } from 'zod';
import { defineTool } from '../define.js';
import { idInput, noteSummaryOutput } from '../schemas.js';

/** `notes_restore`: bring a note back from the trash. */
export const restoreTool = defineTool({
  title: 'Restore note',
  description:
    'Bring a note back from the trash (as "Title 2.md" if the name is taken). Deleted ids: list with trash: true.',
  inputSchema: () => z.object({ id: idInput }),
  outputSchema: noteSummaryOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  execute: async ({ id }, { services }) => (await services.store()).restore({ id }),
  toText: (note) => `Restored note ${note.id} "${note.title}" to ${note.path} (version ${note.version}).`,
});
