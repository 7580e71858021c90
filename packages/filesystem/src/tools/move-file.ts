import { z } from 'zod';
import { defineTool } from '../define.js';
import { requireExisting } from '../fs/access.js';
import { moveQuestion } from '../fs/change-preview.js';
import { FsError, fromSystemError } from '../fs/errors.js';
import { moveEntry } from '../fs/tree-ops.js';
import { alreadyExists } from '../fs/write.js';
import { approveChange } from '../writes/approval.js';
import { summarize } from '../writes/summarize.js';
import { requireWrites } from '../writes/write-gate.js';

const input = () =>
  z.object({
    source: z.string().describe('File or directory to move or rename.'),
    destination: z.string().describe('New path, including the name. Its directory must exist.'),
    overwrite: z.boolean().default(false).describe('Replace an existing destination.'),
  });

const output = () =>
  z.object({
    source: z.string(),
    destination: z.string(),
    kind: z.enum(['file', 'directory', 'symlink', 'other']),
  });

/** Move or rename a file or directory. */
export const moveFile = defineTool({
  title: 'Move file',
  description:
    'Move or rename a file or directory (a symbolic link moves as a link). Refuses to replace an existing destination unless overwrite is true. If the server asks before writes, the user approves the move first. Example: { "source": "draft.md", "destination": "docs/final.md" }.',
  inputSchema: input,
  outputSchema: output,
  annotations: {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: false,
    openWorldHint: false,
  },
  execute: async (args, call) => {
    requireWrites(call.services, 'move_file');
    const guard = await call.services.guard(call);
    const from = await guard.resolve(args.source, { mode: 'entry' });
    const to = await guard.resolve(args.destination, { mode: 'entry' });
    requireExisting(from);
    if (from.rel === '') {
      throw new FsError('is_root', `${JSON.stringify(from.display)} is a root; roots cannot be moved.`);
    }
    if (to.rel === '')
      throw new FsError('is_root', `${JSON.stringify(to.display)} is a root; choose a path inside it.`);
    await approveChange(call, async () => {
      if (to.kind !== undefined && !args.overwrite) throw alreadyExists(to.display);
      const question = async () =>
        moveQuestion(
          from.display,
          to.display,
          await summarize(from),
          args.overwrite ? await summarize(to, { missing: 'ok' }) : undefined,
        );
      const message = await question();
      return {
        what: `move ${JSON.stringify(from.display)} to ${JSON.stringify(to.display)}`,
        message,
        stillCurrent: async () => (await question().catch(() => undefined)) === message,
      };
    });
    try {
      const { kind } = await moveEntry(
        { real: from.real, display: from.display },
        { real: to.real, display: to.display },
        { overwrite: args.overwrite },
      );
      return { source: from.display, destination: to.display, kind };
    } catch (error) {
      throw fromSystemError(error, error instanceof FsError ? from.display : `${from.display} -> ${to.display}`);
    }
  },
  toText: (out) => `Moved ${out.source} to ${out.destination}`,
});
