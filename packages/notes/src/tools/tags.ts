import { z } from 'zod';
import { defineTool } from '../define.js';
import { integer } from '../schemas.js';

/** `notes_tags`: every tag with its note count. */
export const tagsTool = defineTool({
  title: 'List tags',
  description: 'The tags in use with note counts, most used first; use one to filter list or search.',
  inputSchema: () =>
    z.object({
      limit: z.number().int().min(1).max(5000).default(200),
    }),
  outputSchema: () =>
    z.object({
      tags: z.array(z.object({ tag: z.string(), count: integer() })),
      total: integer(),
    }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  execute: async ({ limit }, { services }) => {
    const tags = await (await services.store()).tags();
    return { tags: tags.slice(0, limit), total: tags.length };
  },
  toText: (result) =>
    result.total === 0
      ? 'No tags yet.'
      : `${result.total} tag(s): ${result.tags.map((item) => `#${item.tag} (${item.count})`).join(', ')}`,
});
