import { z } from 'zod';
import { defineTool, type FilesystemCall } from '../define.js';
import { type Content, contentOf, currentContent, DIFF_LIMIT_BYTES, writeQuestion } from '../fs/change-preview.js';
import { FsError, fromSystemError } from '../fs/errors.js';
import {
  assertExpectedSha256,
  sha256,
  sha256Of,
  type WriteMode,
  type WriteTarget,
  writeFile as writeToFile,
} from '../fs/write.js';
import { approveChange, asksFirst } from '../writes/approval.js';
import { requireWrites } from '../writes/write-gate.js';

// The differ loads with the first question that needs it, as edit_file's does.
const loadEdit = () => import('../fs/edit.js');

const input = () =>
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
  });

const output = () =>
  z.object({
    path: z.string(),
    created: z.boolean(),
    bytesWritten: z.number(),
    sha256: z.string(),
  });

/** Write a file atomically (create, overwrite or append). */
export const writeFile = defineTool({
  title: 'Write file',
  description:
    'Write a whole file (mode create, overwrite or append). If the server asks before writes, the user approves the new file or the diff first. Returns its sha256: pass it as expectedSha256 next time to write only if nobody changed the file meanwhile. To change part of a file prefer edit_file. Example: { "path": "notes/todo.md", "content": "# TODO\\n" }.',
  inputSchema: input,
  outputSchema: output,
  annotations: {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: false,
    openWorldHint: false,
  },
  execute: async (args, call) => {
    requireWrites(call.services, 'write_file');
    const guard = await call.services.guard(call);
    const resolved = await guard.resolve(args.path);
    if (resolved.kind === 'directory') {
      throw new FsError('not_a_file', `${JSON.stringify(resolved.display)} is a directory.`, {
        hint: 'Give a file name inside it.',
      });
    }
    const data = args.encoding === 'base64' ? Buffer.from(args.content, 'base64') : Buffer.from(args.content, 'utf8');
    const target: WriteTarget = {
      real: resolved.real,
      display: resolved.display,
      allows: (real) => guard.allows(real),
    };
    let expectedSha256 = args.expectedSha256;
    if (asksFirst(call.services)) {
      const before = await read(target);
      expectedSha256 = await approveWrite(call, target, args.mode, before, data, args.expectedSha256);
    }
    try {
      const outcome = await writeToFile(target, data, { mode: args.mode, expectedSha256 });
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
  },
  toText: (out) =>
    `${out.created ? 'Created' : 'Wrote'} ${out.path} (${out.bytesWritten} bytes). sha256: ${out.sha256}`,
});

/** The file at `target` now, for a question: its text kept when it is small enough to diff. */
async function read(target: WriteTarget): Promise<Content | undefined> {
  try {
    return await currentContent(target, DIFF_LIMIT_BYTES);
  } catch (error) {
    throw fromSystemError(error, target.display);
  }
}

/**
 * Put the write to the user, after the checks that would make it fail anyway (so nobody approves a change that
 * cannot happen). Returns the `expectedSha256` to write with: the hash of the file the question showed, so what
 * is written is what was approved. An append is approved as "add this text", so it holds while the file exists.
 */
async function approveWrite(
  call: FilesystemCall,
  target: WriteTarget,
  mode: WriteMode,
  before: Content | undefined,
  data: Buffer,
  expectedSha256: string | undefined,
): Promise<string | undefined> {
  if (expectedSha256 !== undefined) assertExpectedSha256(target.display, before?.sha256, expectedSha256);
  if (mode === 'create' && before !== undefined) {
    throw new FsError('already_exists', `${JSON.stringify(target.display)} already exists.`, {
      hint: 'Use mode "overwrite" to replace it (or edit_file to change part of it), or pick another name.',
    });
  }
  const written = contentOf(data, sha256(data));
  let diff: string | undefined;
  if (
    mode === 'overwrite' &&
    before?.text !== undefined &&
    written.text !== undefined &&
    written.size <= DIFF_LIMIT_BYTES
  ) {
    diff = (await loadEdit()).boundedDiff(target.display, before.text, written.text);
  }
  await approveChange(call, async () => ({
    what: `${before === undefined ? 'create' : mode === 'append' ? 'append to' : 'overwrite'} ${JSON.stringify(target.display)}`,
    message: writeQuestion({ display: target.display, mode, before, data: written, diff }),
    stillCurrent: async () => {
      const now = await sha256Of(target).catch(() => null);
      return mode === 'append' && before !== undefined ? typeof now === 'string' : now === before?.sha256;
    },
  }));
  return mode === 'append' && before !== undefined ? expectedSha256 : (before?.sha256 ?? '');
}
