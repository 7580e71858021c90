import { ToolError } from '@mcp-packs/core';
import { z } from 'zod';
import { defineTool } from '../define.js';
import { openReadCursor, sealReadCursor } from '../fs/read-cursor.js';
import { assertText, type ReadWindow, readText } from '../fs/read-text.js';
import { openTextSource } from '../fs/text-source.js';

const input = () =>
  z.object({
    path: z.string(),
    offset: z.number().int().optional().describe('1-based; < 0 from the end.'),
    limit: z.number().int().min(1).optional(),
    head: z.number().int().min(1).optional(),
    tail: z.number().int().min(1).optional(),
    cursor: z.string().optional(),
    maxBytes: z.number().int().min(256).optional(),
  });

const output = () =>
  z.object({
    path: z.string(),
    content: z.string(),
    startLine: z.number().nullable(),
    endLine: z.number().nullable(),
    totalLines: z.number().nullable(),
    size: z.number(),
    truncated: z.boolean(),
    hasMore: z.boolean(),
    nextCursor: z.string().optional(),
  });

/** Read a text file, or part of it, in bounded memory. */
export const readTextFile = defineTool({
  title: 'Read text file',
  description:
    'Read a UTF-8 text file, whole up to the byte cap, or head, tail, offset/limit, cursor (nextCursor while hasMore). Paths: relative to a root, or absolute.',
  inputSchema: input,
  outputSchema: output,
  annotations: { readOnlyHint: true, openWorldHint: false },
  execute: async (args, call) => {
    const { services } = call;
    const chosen = [args.head, args.tail, args.cursor, args.offset].filter((v) => v !== undefined).length;
    if (chosen > 1) {
      throw new ToolError('Use only one of head, tail, offset and cursor.', {
        code: 'invalid_arguments',
        hint: 'head = first lines, tail = last lines, offset = from a line, cursor = continue an earlier read.',
      });
    }
    const maxBytes = Math.min(args.maxBytes ?? services.config.maxReadBytes, services.config.maxReadBytes);
    const guard = await services.guard(call);
    const file = await openTextSource(guard, args.path);
    try {
      const { size, source } = file;
      let window: ReadWindow;
      // A cursor is sealed for one file (its real path): only for that file is it a position.
      if (args.cursor !== undefined) {
        const at = openReadCursor(services.cursors, file.resolved.real, args.cursor);
        window = { kind: 'cursor', ...at, limit: args.limit };
      } else if (args.tail !== undefined) window = { kind: 'tail', lines: args.tail, limit: args.limit };
      else if (args.head !== undefined) window = { kind: 'lines', offset: 1, limit: args.head };
      else if (args.offset !== undefined && args.offset < 0)
        window = { kind: 'tail', lines: -args.offset, limit: args.limit };
      else window = { kind: 'lines', offset: Math.max(1, args.offset ?? 1), limit: args.limit };
      await assertText(source, size, file.resolved.display);
      if (window.kind === 'cursor' && window.byte > size) {
        throw new ToolError('The cursor points past the end of the file (it changed since).', {
          code: 'invalid_cursor',
          hint: 'Read the file again without a cursor.',
        });
      }
      const read = await readText(source, size, window, maxBytes);
      return {
        path: file.resolved.display,
        content: read.content,
        startLine: read.startLine ?? null,
        endLine: read.endLine ?? null,
        totalLines: read.totalLines ?? null,
        size,
        truncated: read.truncated,
        hasMore: read.hasMore,
        ...(read.next ? { nextCursor: sealReadCursor(services.cursors, file.resolved.real, read.next) } : {}),
      };
    } finally {
      file.close();
    }
  },
  toText: (out) => {
    const range =
      out.startLine !== null && out.endLine !== null
        ? `lines ${out.startLine}-${out.endLine}${out.totalLines !== null ? ` of ${out.totalLines}` : ''}`
        : `${Buffer.byteLength(out.content)} of ${out.size} bytes`;
    const notes: string[] = [];
    if (out.truncated) {
      notes.push(
        out.hasMore
          ? '[cut by the byte cap]'
          : '[cut by the byte cap: this is the end of one long line whose start is earlier in the file]',
      );
    }
    if (out.hasMore) notes.push(`[more follows: call again with cursor "${out.nextCursor}"]`);
    return `${out.path} (${range})\n${out.content}${notes.length > 0 ? `\n${notes.join('\n')}` : ''}`;
  },
});
