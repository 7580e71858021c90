import { type EntrySummary, summarizeEntry } from '../fs/change-preview.js';
import { fromSystemError } from '../fs/errors.js';
import type { ResolvedPath } from '../fs/guard.js';

/**
 * What is at a resolved path, counted for a question (see `summarizeEntry`), with failures named the way the model
 * wrote the path. With `missing: 'ok'`, nothing there is `undefined` rather than `not_found`.
 */
export async function summarize(resolved: ResolvedPath): Promise<EntrySummary>;
export async function summarize(resolved: ResolvedPath, options: { missing: 'ok' }): Promise<EntrySummary | undefined>;
export async function summarize(
  resolved: ResolvedPath,
  options?: { missing: 'ok' },
): Promise<EntrySummary | undefined> {
  try {
    return await summarizeEntry(resolved.real, undefined, resolved.display);
  } catch (error) {
    const notThere = (error as { code?: unknown }).code === 'ENOENT';
    if (notThere && options?.missing === 'ok') return undefined;
    throw fromSystemError(error, resolved.display);
  }
}
