import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import type { NotesServices } from '../services.js';
import { expectedVersionInput, idInput, integer, noteSummaryOutput } from './schemas.js';
import { callStore } from './store-errors.js';

/** `notes_update`: change a note's title, tags or body. */
export const updateTool = defineTool({
  title: 'Update note',
  description:
    'Change a note: replace its title and/or tags, and make at most one body change: body, append or ' +
    'findReplace. Pass the version you read as expectedVersion (the server config may require it). Examples: ' +
    '{"id": "9mzeyjt3b8", "expectedVersion": 3, "append": "- eggs"}; {"id": "9mzeyjt3b8", "expectedVersion": 3, ' +
    '"findReplace": {"find": "Friday", "replace": "Monday"}}.',
  inputSchema: z.lazy(() =>
    z.object({
      id: idInput,
      expectedVersion: expectedVersionInput,
      title: z.string().optional().describe('New title'),
      tags: z.array(z.string()).max(50).optional().describe('New tags, replacing all current tags'),
      body: z.string().optional().describe('New body, replacing the whole body'),
      append: z.string().optional().describe('Text added at the end of the body, on a new line'),
      findReplace: z
        .object({
          find: z.string().min(1).describe('Exact text to find (case and whitespace matter)'),
          replace: z.string().describe('Replacement text'),
          expectedCount: integer().min(1).default(1).describe('How many occurrences there must be, else it fails'),
        })
        .optional()
        .describe('Replace exact text in the body'),
    }),
  ),
  outputSchema: z.lazy(() =>
    noteSummaryOutput.extend({
      changed: z.array(z.enum(['title', 'tags', 'body'])),
      replacements: integer().optional(),
    }),
  ),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  execute: (input, { services }: ToolCall<NotesServices>) =>
    callStore(async () => (await services.store()).update(input)),
  toText: (result) =>
    result.changed.length === 0
      ? `Nothing changed in note ${result.id}; it stays at version ${result.version}.`
      : `Updated ${result.changed.join(', ')} of note ${result.id} "${result.title}"; it is now at version ${result.version}.`,
});
