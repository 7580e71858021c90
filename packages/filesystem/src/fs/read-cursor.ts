/**
 * The cursors of read_text_file (and of read_multiple_files, whose cut files read_text_file goes on with): a
 * position in one file, sealed ({@link CursorSeal}) and bound to that file's real path. A cursor that was changed,
 * was made for another file or by another tool, or is older than its time to live is refused with `invalid_cursor`
 * (or `expired_cursor`), never read as a position.
 */
import { bindingOf, type CursorSeal, invalidCursor } from './signed-cursor.js';

/** The tool whose cursors these are: read_multiple_files hands out read_text_file cursors. */
const KIND = 'read_text_file';

/** Where a read goes on: the byte offset, and the 1-based line there when known. */
export interface ReadPosition {
  readonly byte: number;
  readonly line: number | undefined;
}

/** A cursor for going on reading the file at `real` (its real path) from `next`. */
export function sealReadCursor(seal: CursorSeal, real: string, next: ReadPosition): string {
  return seal.seal(KIND, bindingOf([real]), { b: next.byte, l: next.line ?? null });
}

/** The position in a cursor made by {@link sealReadCursor} for the file at `real`; else `invalid_cursor`. */
export function openReadCursor(seal: CursorSeal, real: string, cursor: string): ReadPosition {
  const { b, l } = seal.open(KIND, bindingOf([real]), cursor);
  if (typeof b !== 'number' || !Number.isSafeInteger(b) || b < 0) throw invalidCursor();
  if (l !== null && (typeof l !== 'number' || !Number.isSafeInteger(l) || l < 1)) throw invalidCursor();
  return { byte: b, line: l ?? undefined };
}
