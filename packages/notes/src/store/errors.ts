/**
 * The note store's failures. Plain TypeScript (no MCP): the tool adapters turn them into `ToolError`s with the same
 * code, hint and details.
 */

/** Stable codes of the store's expected failures. */
export type NoteErrorCode =
  | 'not_found'
  | 'ambiguous_title'
  | 'invalid_id'
  | 'invalid_input'
  | 'invalid_title'
  | 'invalid_tag'
  | 'body_too_large'
  | 'version_required'
  | 'version_conflict'
  | 'match_count_mismatch'
  | 'id_conflict'
  | 'invalid_cursor'
  | 'busy'
  | 'closed'
  | 'unavailable';

/** An expected failure of the note store, with what to do about it. */
export class NoteStoreError extends Error {
  readonly code: NoteErrorCode;
  readonly hint: string | undefined;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: NoteErrorCode,
    message: string,
    options: { hint?: string; retryable?: boolean; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NoteStoreError';
    this.code = code;
    this.hint = options.hint;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }
}

/** True for a {@link NoteStoreError}. */
export function isNoteStoreError(value: unknown): value is NoteStoreError {
  return value instanceof NoteStoreError;
}
