import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import { requireExisting } from '../fs/access.js';
import { fromSystemError } from '../fs/errors.js';
import { fileInfo } from '../fs/info.js';
import type { FilesystemServices } from '../services.js';
import { fsExecute } from './fs-errors.js';

const input = z.object({
  path: z.string().describe('File, directory or link: relative to a root, or absolute inside one.'),
});

const kind = z.enum(['file', 'directory', 'symlink', 'other']);
const output = z.object({
  path: z.string(),
  kind,
  size: z.number().int().describe('Bytes.'),
  created: z.string().nullable().describe('ISO time, where the file system records it.'),
  modified: z.string(),
  accessed: z.string(),
  mode: z.string().describe('Octal permission bits, e.g. "644".'),
  permissions: z.string().describe('e.g. "rw-r--r--".'),
  readable: z.boolean(),
  writable: z.boolean(),
  link: z
    .object({
      targetInsideRoots: z.boolean(),
      targetKind: z.enum(['file', 'directory', 'symlink', 'other', 'missing']),
    })
    .nullable()
    .describe("For a symbolic link: whether its target is inside the roots and what it is (never the target's path)."),
  mimeType: z.string().nullable().describe('Guessed from the name and first bytes, for files.'),
});

/** Facts about a file or directory: size, times, kind, permissions, MIME type. */
export const getFileInfo = defineTool({
  title: 'Get file info',
  description:
    'Get facts about a file, directory or symbolic link without reading it: kind, size, created/modified/accessed times, permissions, whether the server can read/write it, and a MIME type guess. A link is described as a link (and whether its target is inside the roots). Use before reading a possibly huge or binary file. Example: { "path": "data/export.csv" }.',
  inputSchema: input,
  outputSchema: output,
  annotations: { title: 'Get file info', readOnlyHint: true, openWorldHint: false },
  execute: fsExecute(async (args: z.output<typeof input>, call: ToolCall<FilesystemServices>) => {
    const guard = await call.services.guard(call);
    const resolved = await guard.resolve(args.path, { mode: 'entry' });
    requireExisting(resolved);
    try {
      const info = await fileInfo(resolved.real, (real) => guard.allows(real));
      return {
        path: resolved.display,
        ...info,
        created: info.created ?? null,
        link: info.link ?? null,
        mimeType: info.mimeType ?? null,
      };
    } catch (error) {
      throw fromSystemError(error, resolved.display);
    }
  }),
});
