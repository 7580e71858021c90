import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import { FsError, fromSystemError } from '../fs/errors.js';
import { writeFile as writeToFile } from '../fs/write.js';
import type { FilesystemServices } from '../services.js';
import { fsExecute } from './fs-errors.js';
import { requireWrites } from './write-gate.js';

const input = z.lazy(() =>
  z.object({
    path: z.string().describe('File, relative to a root or absolute. Its directory must exist (create_directory).'),
    content: z.string().describe('Text, or base64 when encoding is "base64".'),
    mode: z
      .enum(['create', 'overwrite', 'append'])
      .default('create')
      .describe('create fails if the file exists; overwrite replaces it atomically; append adds to its end.'),
    encoding: z.enum(['utf8', 'base64']).default('utf8').describe('base64 for binary content.'),
    expectedSha256: z
      .string()
      .regex(/^([0-9a-fA-F]{64})?$/)
      .optional()
      .describe('Write only if the file still has this SHA-256; "" = only if it does not exist.'),
  }),
);

const output = z.lazy(() =>
  z.object({
    path: z.string(),
    created: z.boolean(),
    bytesWritten: z.number(),
    sha256: z.string(),
  }),
);

/** Write a file atomically (create, overwrite or append). */
export const writeFile = defineTool({
  title: 'Write file',
  description:
    'Write a whole file (mode create, overwrite or append). Returns its sha256: pass it as expectedSha256 next time to write only if nobody changed the file meanwhile. To change part of a file prefer edit_file. Example: { "path": "notes/todo.md", "content": "# TODO\\n" }.',
  inputSchema: input,
  outputSchema: output,
  annotations: {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: false,
    openWorldHint: false,
  },
  execute: fsExecute(async (args: z.output<typeof input>, call: ToolCall<FilesystemServices>) => {
    requireWrites(call.services, 'write_file');
    const guard = await call.services.guard(call);
    const resolved = await guard.resolve(args.path);
    if (resolved.kind === 'directory') {
      throw new FsError('not_a_file', `${JSON.stringify(resolved.display)} is a directory.`, {
        hint: 'Give a file name inside it.',
      });
    }
    const data = args.encoding === 'base64' ? Buffer.from(args.content, 'base64') : Buffer.from(args.content, 'utf8');
    try {
      const outcome = await writeToFile(
        { real: resolved.real, display: resolved.display, allows: (real) => guard.allows(real) },
        data,
        { mode: args.mode, expectedSha256: args.expectedSha256 },
      );
      return { path: resolved.display, ...outcome };
    } catch (error) {
      if (error instanceof FsError) throw error;
      if ((error as { code?: string }).code === 'ENOENT') {
        throw new FsError('not_found', `The directory of ${JSON.stringify(resolved.display)} does not exist.`, {
          hint: 'Create it first with create_directory.',
        });
      }
      throw fromSystemError(error, resolved.display);
    }
  }),
  toText: (out) =>
    `${out.created ? 'Created' : 'Wrote'} ${out.path} (${out.bytesWritten} bytes). sha256: ${out.sha256}`,
});
