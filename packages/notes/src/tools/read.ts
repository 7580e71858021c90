import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import type { NotesServices } from '../services.js';
import { integer, noteSummaryOutput } from './schemas.js';
import { callStore } from './store-errors.js';

/** `notes_read`: one note with its body. */
export const readTool = defineTool({
  title: 'Read note',
  description:
    'Read one note: its title, tags, dates, version and Markdown body. Give its id, or its exact title when only ' +
    'one note has it (else the error lists the ids). Use search to find a note by content. Long bodies come in ' +
    'pages: when truncated is true, call again with offset = nextOffset. Example: {"id": "9mzeyjt3b8"}.',
  inputSchema: z.lazy(() =>
    z.object({
      id: z.string().min(1).max(200).optional().describe('The note id'),
      title: z.string().min(1).max(400).optional().describe('The exact title, when you do not have the id'),
      offset: integer().min(0).default(0).describe('Body character to start at (for long notes)'),
    }),
  ),
  outputSchema: z.lazy(() =>
    noteSummaryOutput.extend({
      body: z.string(),
      bodyLength: integer(),
      offset: integer(),
      truncated: z.boolean(),
      nextOffset: integer().optional(),
    }),
  ),
  annotations: { readOnlyHint: true, openWorldHint: false },
  execute: ({ id, title, offset }, { services }: ToolCall<NotesServices>) =>
    callStore(async () => {
      const by = id !== undefined ? { id } : title !== undefined ? { title } : {};
      return (await services.store()).read({ ...by, offset, maxChars: services.config.readMaxChars });
    }),
  toText: (note) => {
    const head = `# ${note.title}\n\nid: ${note.id} · version: ${note.version} · tags: ${note.tags.join(', ') || '(none)'} · updated: ${note.updated}\n\n`;
    const tail = note.truncated
      ? `\n\n[body continues: ${note.bodyLength - (note.nextOffset ?? 0)} more characters; read again with offset ${note.nextOffset}]`
      : '';
    return head + note.body + tail;
  },
});
