import { z } from 'zod';
import { defineTool } from '../define.js';
import { cappedString, integer, noteSummaryOutput } from '../schemas.js';
import { NOTES_VIEW_URI } from '../views/notes-view.js';

/** `notes_search`: ranked full-text search. */
export const searchTool = defineTool({
  title: 'Search notes',
  description:
    'Search notes by words in title, body, tags; best first, with snippets. Case, accents ignored; all words must match, else any. No operators.',
  inputSchema: () =>
    z.object({
      query: cappedString(500).min(1),
      tag: z.string().optional().describe('Or nested under it.'),
      limit: z.number().int().min(1).max(50).default(10),
      cursor: z.string().optional(),
      prefix: z.boolean().default(true).describe('meet matches meeting (3+ letters).'),
      fuzzy: z.boolean().default(true).describe('1-2 typos (4+ letters).'),
    }),
  outputSchema: () =>
    z.object({
      results: z.array(
        noteSummaryOutput.extend({
          score: z.number(),
          snippet: z.string(),
        }),
      ),
      matched: z.enum(['all', 'any']),
      total: integer(),
      // True when so many notes match that only the 2,000 most recently changed were ranked (the text says so).
      windowed: z.boolean(),
      nextCursor: z.string().optional(),
      // Notes not yet searchable while a first build indexes a large folder (the text says so).
      pending: integer().optional(),
    }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  view: NOTES_VIEW_URI,
  execute: async (input, { services }) => {
    const { hits, matched, total, windowed, nextCursor, pending } = await (await services.store()).search(input);
    return {
      results: hits,
      matched,
      total,
      windowed,
      ...(nextCursor === undefined ? {} : { nextCursor }),
      ...(pending > 0 ? { pending } : {}),
    };
  },
  toText: (page, input) => {
    const indexing = page.pending
      ? `\n(The index is still being built: ${page.pending} notes are not searchable yet; try again shortly.)`
      : '';
    if (page.results.length === 0) return `No notes match "${input.query}".${indexing}`;
    const head =
      page.matched === 'any'
        ? `No note has all of "${input.query}"; ${page.total} note(s) have some of the words:`
        : `${page.total} note(s) match${page.windowed ? ' (so many that only the 2,000 most recently changed were ranked; add words to narrow)' : ''}:`;
    const lines = page.results.map(
      (hit) =>
        `- ${hit.id} · ${hit.title}${hit.tags.length ? ` · #${hit.tags.join(' #')}` : ''} · v${hit.version}\n  ${hit.snippet}`,
    );
    return `${head}\n${lines.join('\n')}${page.nextCursor ? `\nMore: call again with cursor "${page.nextCursor}".` : ''}${indexing}`;
  },
});
