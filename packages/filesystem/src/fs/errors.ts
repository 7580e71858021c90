/**
 * The failures the file domain reports. Plain TypeScript: the tool layer turns them into `ToolError`s. Messages
 * name paths the way the model wrote them or relative to a root, never the absolute target of a symlink.
 */

/** Stable codes of {@link FsError}; they become the `code` of tool errors. */
export type FsErrorCode =
  | 'access_denied'
  | 'no_roots'
  | 'invalid_path'
  | 'not_found'
  | 'not_a_file'
  | 'not_a_directory'
  | 'already_exists'
  | 'directory_not_empty'
  | 'is_root'
  | 'binary_file'
  | 'file_too_large'
  | 'unsupported_media'
  | 'hash_mismatch'
  | 'edit_not_found'
  | 'edit_count_mismatch'
  | 'invalid_cursor'
  | 'expired_cursor'
  | 'invalid_pattern'
  | 'writes_disabled'
  | 'deletes_disabled'
  | 'search_timeout'
  | 'io_error';

/** An expected failure of a file operation, with what to do next. */
export class FsError extends Error {
  readonly code: FsErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: FsErrorCode,
    message: string,
    options: { hint?: string; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FsError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }
}

/** True for an {@link FsError}. */
export function isFsError(value: unknown): value is FsError {
  return value instanceof FsError;
}

/** The errno code of a Node system error (`ENOENT`, `EACCES`, …), if it is one. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Turn a Node system error about `display` into an {@link FsError} whose message names `display` only: Node's own
 * messages carry absolute paths, which may be outside targets.
 */
export function fromSystemError(error: unknown, display: string): FsError {
  if (isFsError(error)) return error;
  const code = errnoCode(error);
  const shown = JSON.stringify(display);
  switch (code) {
    case 'ENOENT':
      return new FsError('not_found', `${shown} does not exist.`, {
        hint: 'Check the spelling, or call list_directory or search_files to find the right path.',
      });
    case 'EEXIST':
      return new FsError('already_exists', `${shown} already exists.`);
    case 'ENOTDIR':
      return new FsError('not_a_directory', `A part of ${shown} is not a directory.`);
    case 'EISDIR':
      return new FsError('not_a_file', `${shown} is a directory, not a file.`, {
        hint: 'Call list_directory or directory_tree to see what it holds.',
      });
    case 'ENOTEMPTY':
      return new FsError('directory_not_empty', `${shown} is not empty.`, {
        hint: 'Pass recursive: true to delete it with everything in it.',
      });
    case 'EACCES':
    case 'EPERM':
      return new FsError('access_denied', `The operating system refused access to ${shown} (${code}).`, {
        hint: 'The server process lacks the file permission; this is not a root restriction.',
      });
    case 'ELOOP':
      return new FsError('access_denied', `${shown} changed into a symbolic link while it was being accessed.`, {
        hint: 'Try again; if it keeps failing, the path is being changed by something else.',
      });
    case 'ENAMETOOLONG':
      return new FsError('invalid_path', `${shown} is too long for the file system.`);
    case 'EMFILE':
    case 'ENFILE':
    case 'EBUSY':
    case 'EAGAIN':
      return new FsError('io_error', `${shown} is busy (${code}).`, { hint: 'Try again in a moment.' });
    default:
      return new FsError('io_error', `Could not access ${shown}${code ? ` (${code})` : ''}.`, { cause: error });
  }
}
