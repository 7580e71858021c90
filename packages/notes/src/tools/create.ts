import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import type { NotesServices } from '../services.js';
import { noteSummaryOutput } from './schemas.js';
import { callStore } from './store-errors.js';

/** `notes_create`: a new note. */
export const createTool = defineTool({
  title: 'Create note',
  description:
    'Create a note (a Markdown file named after its title). To add to a note: update with append. Body ≤ 1 MiB by default.',
  inputSchema: z.lazy(() =>
    z.object({
      title: z.string().describe('One line, ≤ 300 characters.'),
      body: z.string().default(''),
      tags: z.array(z.string()).max(50).default([]).describe('Without "#"; "/" nests: project/alpha.'),
    }),
  ),
  outputSchema: noteSummaryOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  execute: ({ title, body, tags }, { services }: ToolCall<NotesServices>) =>
    callStore(async () => (await services.store()).create({ title, body, tags })),
  toText: (note) => `Created note ${note.id} "${note.title}" (version ${note.version}) at ${note.path}.`,
});
