import { z } from 'zod';
import { defineTool } from '../define.js';
import { requireExisting } from '../fs/access.js';
import { copyQuestion } from '../fs/change-preview.js';
import { FsError, fromSystemError } from '../fs/errors.js';
import { copyEntry } from '../fs/tree-ops.js';
import { alreadyExists } from '../fs/write.js';
import { approveChange } from '../writes/approval.js';
import { summarize } from '../writes/summarize.js';
import { requireWrites } from '../writes/write-gate.js';

const input = () =>
  z.object({
    source: z.string().describe('File or directory to copy.'),
    destination: z.string().describe('Path of the copy, including its name. Its directory must exist.'),
    overwrite: z.boolean().default(false).describe('Replace an existing destination file.'),
  });

const output = () =>
  z.object({
    source: z.string(),
    destination: z.string(),
    files: z.number(),
    directories: z.number(),
    bytes: z.number(),
    skippedLinks: z.number(),
  });

/** Copy a file or a directory tree. */
export const copyFile = defineTool({
  title: 'Copy file',
  description:
    'Copy a file, or a directory with everything in it. Refuses an existing destination unless overwrite is true (files only; directories are never merged). Symbolic links inside a copied directory are skipped (skippedLinks). If the server asks before writes, the user approves the copy first. Example: { "source": "config.json", "destination": "config.backup.json" }.',
  inputSchema: input,
  outputSchema: output,
  annotations: {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: true,
    openWorldHint: false,
  },
  execute: async (args, call) => {
    requireWrites(call.services, 'copy_file');
    const guard = await call.services.guard(call);
    const from = await guard.resolve(args.source);
    const to = await guard.resolve(args.destination, { mode: 'entry' });
    requireExisting(from);
    if (to.rel === '')
      throw new FsError('is_root', `${JSON.stringify(to.display)} is a root; choose a path inside it.`);
    await approveChange(call, async () => {
      const question = async () => {
        const copied = await summarize(from);
        if (to.kind !== undefined && copied.kind === 'directory') {
          throw new FsError('already_exists', `${JSON.stringify(to.display)} already exists.`, {
            hint: 'Directories are never merged: delete the destination first or choose a new name.',
          });
        }
        if (to.kind !== undefined && !args.overwrite) throw alreadyExists(to.display);
        return copyQuestion(
          from.display,
          to.display,
          copied,
          args.overwrite ? await summarize(to, { missing: 'ok' }) : undefined,
        );
      };
      const message = await question();
      return {
        what: `copy ${JSON.stringify(from.display)} to ${JSON.stringify(to.display)}`,
        message,
        stillCurrent: async () => (await question().catch(() => undefined)) === message,
      };
    });
    try {
      const outcome = await copyEntry(
        { real: from.real, display: from.display },
        { real: to.real, display: to.display },
        { overwrite: args.overwrite, signal: call.signal },
      );
      return { source: from.display, destination: to.display, ...outcome };
    } catch (error) {
      throw fromSystemError(error, to.display);
    }
  },
  toText: (out) =>
    `Copied ${out.source} to ${out.destination} (${out.files} files, ${out.bytes} bytes${out.skippedLinks > 0 ? `, ${out.skippedLinks} links skipped` : ''})`,
});
