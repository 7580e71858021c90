/** Opaque cursors for paged results. */
import { FsError } from './errors.js';

function invalid(): FsError {
  return new FsError('invalid_cursor', 'The cursor is not one this tool returned.', {
    hint: 'Pass nextCursor from the previous result unchanged, with the same other arguments.',
  });
}

/** Encode a cursor holding any JSON value. */
export function encodeCursorValue(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Decode a cursor made by {@link encodeCursorValue}, or throw `invalid_cursor`. */
export function decodeCursorValue(cursor: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw invalid();
}

/** A cursor for "continue from item N". */
export function encodeOffset(offset: number): string {
  return encodeCursorValue({ o: offset });
}

/** The offset in a cursor made by {@link encodeOffset}. */
export function decodeOffset(cursor: string): number {
  const { o } = decodeCursorValue(cursor);
  if (typeof o === 'number' && Number.isSafeInteger(o) && o >= 0) return o;
  throw invalid();
}
