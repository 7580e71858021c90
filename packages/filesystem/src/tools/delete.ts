import { z } from 'zod';
import { defineTool } from '../define.js';
import { requireExisting } from '../fs/access.js';
import { deleteQuestion } from '../fs/change-preview.js';
import { FsError, fromSystemError } from '../fs/errors.js';
import { removeEntry } from '../fs/tree-ops.js';
import { approveChange } from '../writes/approval.js';
import { summarize } from '../writes/summarize.js';
import { requireDeletes } from '../writes/write-gate.js';

const input = () =>
  z.object({
    path: z.string().describe('File, link or directory to delete.'),
    recursive: z.boolean().default(false).describe('Needed for a non-empty directory.'),
  });

const output = () => z.object({ path: z.string(), kind: z.enum(['file', 'directory', 'symlink', 'other']) });

/** Delete a file, link or directory. */
export const deleteEntry = defineTool({
  title: 'Delete',
  description:
    'Delete a file, a symbolic link (not its target) or a directory with everything in it (recursive: true). Roots cannot be deleted. There is no undo. If the server asks before writes, the user approves the delete first, seeing what it removes. Example: { "path": "build/tmp", "recursive": true }.',
  inputSchema: input,
  outputSchema: output,
  annotations: {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: true,
    openWorldHint: false,
  },
  execute: async (args, call) => {
    requireDeletes(call.services);
    const guard = await call.services.guard(call);
    const resolved = await guard.resolve(args.path, { mode: 'entry' });
    requireExisting(resolved);
    if (resolved.rel === '') {
      throw new FsError('is_root', `${JSON.stringify(resolved.display)} is a root and cannot be deleted.`, {
        hint: 'Delete entries inside it instead.',
      });
    }
    await approveChange(call, async () => {
      const question = async () => {
        const summary = await summarize(resolved);
        if (summary.kind === 'directory' && summary.entries > 0 && !args.recursive) {
          throw new FsError('directory_not_empty', `${JSON.stringify(resolved.display)} is not empty.`, {
            hint: 'Pass recursive: true to delete it with everything in it.',
          });
        }
        return deleteQuestion(resolved.display, summary);
      };
      const message = await question();
      return {
        what: `delete ${JSON.stringify(resolved.display)}`,
        message,
        stillCurrent: async () => (await question().catch(() => undefined)) === message,
      };
    });
    try {
      const { kind } = await removeEntry(resolved.real, { recursive: args.recursive, display: resolved.display });
      return { path: resolved.display, kind };
    } catch (error) {
      throw fromSystemError(error, resolved.display);
    }
  },
  toText: (out) => `Deleted ${out.kind} ${out.path}`,
});
