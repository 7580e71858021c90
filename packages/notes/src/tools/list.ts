import { z } from 'zod';
import { defineTool } from '../define.js';
import { integer, noteSummaryOutput } from '../schemas.js';
import { NOTES_VIEW_URI } from '../views/notes-view.js';

/** `notes_list`: notes in pages, newest first. */
export const listTool = defineTool({
  title: 'List notes',
  description:
    'List notes without bodies (title, tags, dates, version, excerpt), newest first; next page: cursor = nextCursor, same arguments.',
  inputSchema: () =>
    z.object({
      tag: z.string().optional().describe('Or nested: project/alpha.'),
      sort: z.enum(['updated', 'created', 'title']).default('updated'),
      order: z.enum(['asc', 'desc']).optional().describe('Default: desc, asc for title.'),
      limit: z.number().int().min(1).max(200).default(20),
      cursor: z.string().optional(),
      trash: z.boolean().default(false),
    }),
  outputSchema: () =>
    z.object({
      notes: z.array(noteSummaryOutput.extend({ excerpt: z.string() })),
      total: integer(),
      nextCursor: z.string().optional(),
      // The first 20 files skipped as broken (left untouched for a person to fix), and how many there are.
      skippedFiles: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })),
      skippedCount: integer(),
    }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  view: NOTES_VIEW_URI,
  execute: async (input, { services }) => {
    const { notes, total, nextCursor, problems, problemCount } = await (await services.store()).list(input);
    return {
      notes,
      total,
      ...(nextCursor === undefined ? {} : { nextCursor }),
      skippedFiles: problems.map(({ path, code, message }) => ({ path, code, message })),
      skippedCount: problemCount,
    };
  },
  toText: (page) => {
    const lines = page.notes.map(
      (note) =>
        `- ${note.id} · ${note.title}${note.tags.length ? ` · #${note.tags.join(' #')}` : ''} · v${note.version} · ${note.updated}${note.excerpt ? `\n  ${note.excerpt}` : ''}`,
    );
    let text = `${page.total} note${page.total === 1 ? '' : 's'}${page.notes.length < page.total ? `, showing ${page.notes.length}` : ''}:\n${lines.join('\n')}`;
    if (page.nextCursor) text += `\nMore: call again with cursor "${page.nextCursor}".`;
    if (page.skippedCount > 0) {
      text += `\n${page.skippedCount} file(s) skipped as broken: ${page.skippedFiles.map((file) => `${file.path} (${file.message})`).join('; ')}`;
    }
    return text;
  },
});
