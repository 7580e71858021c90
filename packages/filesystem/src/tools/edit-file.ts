import { z } from 'zod';
import { defineTool } from '../define.js';
import { openFile } from '../fs/access.js';
import { editQuestion } from '../fs/change-preview.js';
import { FsError } from '../fs/errors.js';
import { assertText } from '../fs/read-text.js';
import { sha256, sha256Of, writeFile } from '../fs/write.js';
import { approveChange } from '../writes/approval.js';
import { requireWrites } from '../writes/write-gate.js';

// The matcher and differ (diff, fastest-levenshtein) load on the first edit, so importing the pack stays cheap.
const loadEdit = () => import('../fs/edit.js');
let editModule: ReturnType<typeof loadEdit> | undefined;

/** Largest file edit_file loads. */
export const MAX_EDIT_BYTES = 16 * 1024 * 1024;

const input = () =>
  z.object({
    path: z.string().describe('Text file to edit, relative to a root or absolute.'),
    edits: z
      .array(
        z.object({
          oldText: z.string().min(1).describe('Exact text from the file, with enough lines to be unique.'),
          newText: z.string().describe('Replacement ("" deletes).'),
          expectedReplacements: z.number().int().min(1).optional().describe('Occurrences to replace.'),
        }),
      )
      .min(1)
      .max(100)
      .describe('Applied in order, each to the result of the previous one.'),
    dryRun: z.boolean().default(false).describe('Only return the diff.'),
    expectedSha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/)
      .optional()
      .describe('Edit only if the file still has this SHA-256.'),
  });

const output = () =>
  z.object({
    path: z.string(),
    diff: z.string(),
    applied: z.array(z.object({ replacements: z.number(), match: z.enum(['exact', 'whitespace']), line: z.number() })),
    dryRun: z.boolean(),
    sha256: z.string(),
  });

/** Characters of diff a result shows (it goes out twice, as text and structured): a 5 MB newText is not echoed. */
const DIFF_RESULT_CHARS = 100_000;

/** `diff` cut at a line end to {@link DIFF_RESULT_CHARS}, saying how many lines were left out. */
function capped(diff: string): string {
  if (diff.length <= DIFF_RESULT_CHARS) return diff;
  const end = diff.lastIndexOf('\n', DIFF_RESULT_CHARS);
  const kept = diff.slice(0, end > 0 ? end : DIFF_RESULT_CHARS);
  let left = 0;
  for (let i = kept.length; i < diff.length; i++) if (diff.charCodeAt(i) === 10) left++;
  return `${kept}\n… the diff goes on for ${left} more lines (${diff.length - kept.length} characters); read the file to see them.`;
}

/** Replace text in a file: exact match, then whitespace-tolerant; returns a unified diff. */
export const editFile = defineTool({
  title: 'Edit file',
  description:
    'Change part of a text file: each edit replaces oldText (exact, or else ignoring indentation and spacing) with newText; it must occur expectedReplacements times (default 1). All edits apply or none. If the server asks before writes, the user approves the diff first. Returns a unified diff (dryRun previews it; cut after 100,000 characters) and the new sha256; if oldText is not found, the error shows the closest lines. Example: { "path": "a.ts", "edits": [{ "oldText": "port = 3000", "newText": "port = 8080" }] }.',
  inputSchema: input,
  outputSchema: output,
  annotations: {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: false,
    openWorldHint: false,
  },
  execute: async (args, call) => {
    requireWrites(call.services, 'edit_file');
    const guard = await call.services.guard(call);
    const file = await openFile(guard, args.path);
    let bytes: Buffer;
    try {
      if (file.stats.size > MAX_EDIT_BYTES) {
        throw new FsError(
          'file_too_large',
          `${JSON.stringify(file.resolved.display)} is too large to edit (${file.stats.size} bytes).`,
          {
            hint: `edit_file loads files up to ${MAX_EDIT_BYTES} bytes; use write_file with mode append, or split the file.`,
          },
        );
      }
      await assertText(file.handle, file.stats.size, file.resolved.display);
      bytes = await file.handle.readFile();
    } finally {
      await file.handle.close().catch(() => {});
    }
    const before = bytes.toString('utf8');
    const currentSha = sha256(bytes);
    if (args.expectedSha256 !== undefined && args.expectedSha256.toLowerCase() !== currentSha) {
      throw new FsError('hash_mismatch', `${JSON.stringify(file.resolved.display)} changed since you read it.`, {
        hint: 'Read it again and redo the edit on the current content.',
        details: { currentSha256: currentSha },
      });
    }
    editModule ??= loadEdit();
    const { applyEdits, unifiedDiff } = await editModule;
    const { text: after, applied } = applyEdits(before, args.edits);
    const diff = unifiedDiff(file.resolved.display, before, after);
    const data = Buffer.from(after, 'utf8');
    if (!args.dryRun && after !== before) {
      const target = {
        real: file.resolved.real,
        display: file.resolved.display,
        allows: (real: string) => guard.allows(real),
      };
      await approveChange(call, async () => ({
        what: `edit ${JSON.stringify(target.display)}`,
        message: editQuestion(target.display, diff, currentSha),
        stillCurrent: async () => (await sha256Of(target).catch(() => undefined)) === currentSha,
      }));
      // The hash check makes the write apply to the very content the diff (and any question) was made from.
      await writeFile(target, data, { mode: 'overwrite', expectedSha256: currentSha });
    }
    return { path: file.resolved.display, diff: capped(diff), applied, dryRun: args.dryRun, sha256: sha256(data) };
  },
  toText: (out) =>
    `${out.dryRun ? 'Dry run, nothing written' : 'Edited'} ${out.path} (${out.applied
      .map((a) => `${a.replacements}× ${a.match} at line ${a.line}`)
      .join('; ')}). sha256: ${out.sha256}\n${out.diff}`,
});
