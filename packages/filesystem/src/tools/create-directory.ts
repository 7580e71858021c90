import path from 'node:path';
import { z } from 'zod';
import { defineTool } from '../define.js';
import { createDirectoryQuestion } from '../fs/change-preview.js';
import { lstatExact } from '../fs/dirfd.js';
import { fromSystemError } from '../fs/errors.js';
import type { PathGuard } from '../fs/guard.js';
import { makeDirectory } from '../fs/tree-ops.js';
import { approveChange } from '../writes/approval.js';
import { requireWrites } from '../writes/write-gate.js';

const input = () =>
  z.object({
    path: z.string().describe('Directory to create, relative to a root or absolute.'),
  });

const output = () => z.object({ path: z.string(), created: z.boolean() });

/** Create a directory and its missing parents. */
export const createDirectory = defineTool({
  title: 'Create directory',
  description:
    'Create a directory and any missing parents (if the server asks before writes, the user approves it first). Succeeds with created: false if it already exists. Example: { "path": "src/components/forms" }.',
  inputSchema: input,
  outputSchema: output,
  annotations: {
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  execute: async (args, call) => {
    requireWrites(call.services, 'create_directory');
    const guard = await call.services.guard(call);
    const resolved = await guard.resolve(args.path);
    if (resolved.kind === undefined) {
      await approveChange(call, async () => {
        const question = async () =>
          createDirectoryQuestion(resolved.display, await missingParents(guard, resolved.real, resolved.root.path));
        const message = await question();
        return {
          what: `create the directory ${JSON.stringify(resolved.display)}`,
          message,
          stillCurrent: async () => (await question()) === message,
        };
      });
    }
    try {
      const created = await makeDirectory(resolved.real, resolved.root.path, resolved.display);
      return { path: resolved.display, created };
    } catch (error) {
      throw fromSystemError(error, resolved.display);
    }
  },
  toText: (out) => `${out.created ? 'Created' : 'Already exists:'} ${out.path}/`,
});

/** The directories above `real` that do not exist yet (up to the root), outermost first, as the model names them. */
async function missingParents(guard: PathGuard, real: string, root: string): Promise<string[]> {
  const missing: string[] = [];
  for (let dir = path.dirname(real); dir.length > root.length; dir = path.dirname(dir)) {
    let stats: Awaited<ReturnType<typeof lstatExact>>;
    try {
      stats = await lstatExact(dir, guard.display(dir));
    } catch (error) {
      throw fromSystemError(error, guard.display(dir));
    }
    if (stats) break;
    missing.unshift(guard.display(dir));
  }
  return missing;
}
