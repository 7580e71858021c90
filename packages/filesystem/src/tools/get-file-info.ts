import { z } from 'zod';
import { defineTool } from '../define.js';
import { requireExisting } from '../fs/access.js';
import { fromSystemError } from '../fs/errors.js';
import { fileInfo } from '../fs/info.js';

const input = () =>
  z.object({
    path: z.string(),
  });

const kind = z.enum(['file', 'directory', 'symlink', 'other']);
const output = () =>
  z.object({
    path: z.string(),
    kind,
    size: z.number(),
    created: z.string().nullable(),
    modified: z.string(),
    accessed: z.string(),
    mode: z.string(),
    permissions: z.string(),
    readable: z.boolean(),
    writable: z.boolean(),
    link: z
      .object({
        targetInsideRoots: z.boolean(),
        targetKind: z.enum(['file', 'directory', 'symlink', 'other', 'missing']),
      })
      .nullable(),
    mimeType: z.string().nullable(),
  });

/** Facts about a file or directory: size, times, kind, permissions, MIME type. */
export const getFileInfo = defineTool({
  title: 'File info',
  description:
    'Kind, size, times, permissions, MIME type of a path without reading it: check before reading a possibly huge or binary file.',
  inputSchema: input,
  outputSchema: output,
  annotations: { readOnlyHint: true, openWorldHint: false },
  execute: async (args, call) => {
    const guard = await call.services.guard(call);
    const resolved = await guard.resolve(args.path, { mode: 'entry' });
    requireExisting(resolved);
    try {
      const info = await fileInfo(resolved.real, (real) => guard.allows(real), { display: resolved.display });
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
  },
});
