import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import type { NotesServices } from '../services.js';
import { noteSummaryOutput } from './schemas.js';
import { callStore } from './store-errors.js';

/** `notes_create`: a new note. */
export const createTool = defineTool({
  title: 'Create note',
  description:
    'Create a new note (a Markdown file named after its title) and return its id and version. Use it for new ' +
    'information; to add to an existing note use update with append. The body may be up to the configured size ' +
    '(1 MiB by default). Example: {"title": "Meeting 2025-03-04", "body": "- decided X", "tags": ["work"]}.',
  inputSchema: z.lazy(() =>
    z.object({
      title: z.string().describe('One line, up to 300 characters, any language'),
      body: z.string().default('').describe('Markdown body'),
      tags: z.array(z.string()).max(50).default([]).describe('Tags without "#"; "/" nests them (project/alpha)'),
    }),
  ),
  outputSchema: noteSummaryOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  execute: ({ title, body, tags }, { services }: ToolCall<NotesServices>) =>
    callStore(async () => (await services.store()).create({ title, body, tags })),
  toText: (note) => `Created note ${note.id} "${note.title}" (version ${note.version}) at ${note.path}.`,
});
