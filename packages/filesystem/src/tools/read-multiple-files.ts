import { z } from 'zod';
import { defineTool } from '../define.js';
import { asToolError } from '../error-map.js';
import { sealReadCursor } from '../fs/read-cursor.js';
import { assertText, readText } from '../fs/read-text.js';
import { openTextSource } from '../fs/text-source.js';

const input = () =>
  z.object({
    paths: z.array(z.string()).min(1).max(50),
    maxBytesPerFile: z.number().int().min(256).optional(),
  });

const fileResult = z.object({
  path: z.string(),
  ok: z.boolean(),
  content: z.string().optional(),
  size: z.number().optional(),
  truncated: z.boolean().optional(),
  nextCursor: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

const output = () => z.object({ files: z.array(fileResult), failed: z.number() });

/** Read several text files at once; a failing file is reported in its place without failing the others. */
export const readMultipleFiles = defineTool({
  title: 'Read files',
  description: 'Read up to 50 text files in one call, sharing the byte cap; each gets its content or error.',
  inputSchema: input,
  outputSchema: output,
  annotations: { readOnlyHint: true, openWorldHint: false },
  execute: async (args, call) => {
    const { services } = call;
    const guard = await services.guard(call);
    const cap = services.config.maxReadBytes;
    const perFile = Math.min(args.maxBytesPerFile ?? Math.max(4096, Math.floor(cap / args.paths.length)), cap);
    const files = await Promise.all(
      args.paths.map(async (requested) => {
        try {
          const file = await openTextSource(guard, requested);
          try {
            const { size, source } = file;
            await assertText(source, size, file.resolved.display);
            const read = await readText(source, size, { kind: 'lines', offset: 1, limit: undefined }, perFile);
            return {
              path: file.resolved.display,
              ok: true,
              content: read.content,
              size,
              truncated: read.hasMore,
              // For read_text_file to go on with: sealed for this file, as its own cursors are.
              ...(read.next ? { nextCursor: sealReadCursor(services.cursors, file.resolved.real, read.next) } : {}),
            };
          } finally {
            file.close();
          }
        } catch (error) {
          const mapped = asToolError(error) as { code?: string; message?: string };
          if (typeof mapped.code !== 'string') throw error;
          return { path: requested, ok: false, error: { code: mapped.code, message: mapped.message ?? '' } };
        }
      }),
    );
    return { files, failed: files.filter((file) => !file.ok).length };
  },
  toText: (out) =>
    out.files
      .map((file) =>
        file.ok
          ? `=== ${file.path}${file.truncated ? ' (cut; read on with read_text_file and its nextCursor)' : ''}\n${file.content}${file.truncated ? `\n[nextCursor: ${file.nextCursor}]` : ''}`
          : `=== ${file.path}\n[error ${file.error?.code}] ${file.error?.message}`,
      )
      .join('\n'),
});
