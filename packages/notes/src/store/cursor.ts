/**
 * Opaque paging cursors: base64url JSON, tagged with what they page over, so a cursor handed to another query is
 * refused instead of silently paging something else.
 */
import { NoteStoreError } from './errors.js';

/** Encode a cursor for `kind`. */
export function encodeCursor(kind: string, value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ k: kind, ...value })).toString('base64url');
}

/** Decode a cursor made for `kind` with {@link encodeCursor}; throws `invalid_cursor` otherwise. */
export function decodeCursor<T extends Record<string, unknown>>(
  kind: string,
  cursor: string,
  check: (value: T) => boolean,
): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || (value as { k?: unknown }).k !== kind || !check(value as T)) {
    throw new NoteStoreError('invalid_cursor', 'That cursor is not one this call returned for these arguments.', {
      hint: 'Pass the nextCursor from the previous page unchanged, with the same arguments; or omit it to start over.',
    });
  }
  return value as T;
}
