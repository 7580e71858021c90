import { z } from 'zod';
import { defineTool } from '../define.js';
import { expectedVersionInput, idInput, integer, noteSummaryOutput } from '../schemas.js';

/** `notes_update`: change a note's title, tags or body. */
export const updateTool = defineTool({
  title: 'Update note',
  description:
    "Change a note's title and/or tags, plus at most one of body (replace), append, findReplace. Pass expectedVersion.",
  inputSchema: () =>
    z.object({
      id: idInput,
      expectedVersion: expectedVersionInput,
      title: z.string().optional(),
      tags: z.array(z.string()).max(50).optional(),
      body: z.string().optional(),
      append: z.string().optional(),
      findReplace: z
        .object({
          find: z.string().min(1).describe('Exact text.'),
          replace: z.string(),
          expectedCount: integer().min(1).default(1).describe('Else no change.'),
        })
        .optional(),
    }),
  outputSchema: () =>
    noteSummaryOutput.extend({
      changed: z.array(z.enum(['title', 'tags', 'body'])),
      replacements: integer().optional(),
    }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  execute: async (input, { services }) => (await services.store()).update(input),
  toText: (result) =>
    result.changed.length === 0
      ? `Nothing changed in note ${result.id}; it stays at version ${result.version}.`
      : `Updated ${result.changed.join(', ')} of note ${result.id} "${result.title}"; it is now at version ${result.version}.`,
});
