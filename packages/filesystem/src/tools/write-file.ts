import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import { FsError, fromSystemError } from '../fs/errors.js';
import { writeFile as writeToFile } from '../fs/write.js';
import type { FilesystemServices } from '../services.js';
import { fsExecute } from './fs-errors.js';
import { requireWrites } from './write-gate.js';

const input = z.object({
  path: z
    .string()
    .describe(
      'File to write: relative to a root, or absolute inside one. Its directory must exist (see create_directory).',
    ),
  content: z.string().describe('The content: text, or base64 when encoding is "base64".'),
  mode: z
    .enum(['create', 'overwrite', 'append'])
    .default('create')
    .describe(
      'create (default): fail if the file exists. overwrite: replace it atomically. append: add to its end (creating it if missing).',
    ),
  encoding: z.enum(['utf8', 'base64']).default('utf8').describe('How content is encoded; base64 for binary files.'),
  expectedSha256: z
    .string()
    .regex(/^([0-9a-fA-F]{64})?$/)
    .optional()
    .describe(
      'Write only if the current file has this SHA-256 (hex), as returned by an earlier write or edit; "" = only if the file does not exist. Protects against overwriting changes made meanwhile.',
    ),
});

const output = z.object({
  path: z.string(),
  created: z.boolean().describe('True when the file did not exist before.'),
  bytesWritten: z.number().int(),
  sha256: z.string().describe('SHA-256 of the file now; pass as expectedSha256 to the next write.'),
});

/** Write a file atomically (create, overwrite or append). */
export const writeFile = defineTool({
  title: 'Write file',
  description:
    'Write a whole file. mode "create" (default) refuses an existing file; "overwrite" replaces it atomically (readers never see half a file); "append" adds to its end. Pass expectedSha256 to write only if nobody changed the file since. To change part of a file prefer edit_file. Works only when the server enables writes. Example: { "path": "notes/todo.md", "content": "# TODO\\n", "mode": "create" }.',
  inputSchema: input,
  outputSchema: output,
  annotations: {
    title: 'Write file',
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
