import { z } from 'zod';
import { defineTool } from '../define.js';
import { cappedString, integer, noteSummaryOutput } from '../schemas.js';

/** `notes_read`: one note with its body. */
export const readTool = defineTool({
  title: 'Read note',
  description: 'Read a note by id or exact title. While truncated, repeat with offset = nextOffset.',
  inputSchema: () =>
    z.object({
      id: cappedString(200).min(1).optional(),
      title: cappedString(400).min(1).optional().describe('Exact title.'),
      offset: integer().min(0).default(0),
    }),
  outputSchema: () =>
    noteSummaryOutput.extend({
      body: z.string(),
      bodyLength: integer(),
      offset: integer(),
      truncated: z.boolean(),
      nextOffset: integer().optional(),
    }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  execute: async ({ id, title, offset }, { services }) => {
    const by = id !== undefined ? { id } : title !== undefined ? { title } : {};
    return (await services.store()).read({ ...by, offset, maxChars: services.config.readMaxChars });
  },
  toText: (note) => {
    const head = `# ${note.title}\n\nid: ${note.id} · version: ${note.version} · tags: ${note.tags.join(', ') || '(none)'} · updated: ${note.updated}\n\n`;
    const tail = note.truncated
      ? `\n\n[body continues: ${note.bodyLength - (note.nextOffset ?? 0)} more characters; read again with offset ${note.nextOffset}]`
      : '';
    return head + note.body + tail;
  },
});
