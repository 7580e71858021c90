import { defineTool, type ToolCall } from '@mcp-packs/core';
import { z } from 'zod';
import { fromSystemError } from '../fs/errors.js';
import { makeDirectory } from '../fs/write.js';
import type { FilesystemServices } from '../services.js';
import { fsExecute } from './fs-errors.js';
import { requireWrites } from './write-gate.js';

const input = z.lazy(() =>
  z.object({
    path: z.string().describe('Directory to create, relative to a root or absolute.'),
  }),
);

const output = z.lazy(() => z.object({ path: z.string(), created: z.boolean() }));

/** Create a directory and its missing parents. */
export const createDirectory = defineTool({
  title: 'Create directory',
  description:
    'Create a directory and any missing parents. Succeeds with created: false if it already exists. Example: { "path": "src/components/forms" }.',
  inputSchema: input,
  outputSchema: output,
  annotations: {
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  execute: fsExecute(async (args: z.output<typeof input>, call: ToolCall<FilesystemServices>) => {
    requireWrites(call.services, 'create_directory');
    const guard = await call.services.guard(call);
    const resolved = await guard.resolve(args.path);
    try {
      const created = await makeDirectory(resolved.real, (real) => guard.allows(real), resolved.display);
      return { path: resolved.display, created };
    } catch (error) {
      throw fromSystemError(error, resolved.display);
    }
  }),
  toText: (out) => `${out.created ? 'Created' : 'Already exists:'} ${out.path}/`,
});
