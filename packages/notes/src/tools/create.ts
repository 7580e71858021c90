import { z } from 'zod';
import { defineTool } from '../define.js';
import { noteSummaryOutput } from '../schemas.js';

/** `notes_create`: a new note. */
export const createTool = defineTool({
  title: 'Create note',
  description:
    'Create a note (a Markdown file named after its title). To add to a note: update with append. Body ≤ 1 MiB by default.',
  inputSchema: () =>
    z.object({
      title: z.string().describe('One line, ≤ 300 characters.'),
      body: z.string().default(''),
      tags: z.array(z.string()).max(50).default([]).describe('Without "#"; "/" nests: project/alpha.'),
    }),
  outputSchema: noteSummaryOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  execute: async ({ title, body, tags }, { services }) => (await services.store()).create({ title, body, tags }),
  toText: (note) => `Created note ${note.id} "${note.title}" (version ${note.version}) at ${note.path}.`,
});
