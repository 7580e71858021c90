/**
 * Paging of long content: windows of at most `maxLength` characters, cut at a paragraph, line or word boundary
 * near the end of the window when there is one, and opaque cursors that name the snapshot and the offset to go
 * on from.
 */

import { createHash } from 'node:crypto';

/** One window of content. */
export interface ContentWindow {
  text: string;
  /** Offset of the first character returned. */
  start: number;
  /** Offset just past the last character returned. */
  end: number;
  /** True when content remains after `end`. */
  more: boolean;
}

/**
 * Take the window starting at `start`. A cut is moved back to the nearest blank line, line end or space within
 * the last fifth of the window, so a window rarely ends mid-word; it never splits a surrogate pair.
 */
export function takeWindow(content: string, start: number, maxLength: number): ContentWindow {
  const from = Math.min(Math.max(0, start), content.length);
  let end = Math.min(content.length, from + maxLength);
  if (end < content.length) {
    const floor = from + Math.floor(maxLength * 0.8);
    const window = content.slice(floor, end);
    for (const boundary of ['\n\n', '\n', ' ']) {
      const at = window.lastIndexOf(boundary);
      if (at >= 0) {
        end = floor + at + boundary.length;
        break;
      }
    }
    const code = content.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) end--;
  }
  return { text: content.slice(from, end), start: from, end, more: end < content.length };
}

/** What a cursor carries: the snapshot, where to go on, and a fingerprint of the request it belongs to. */
export interface CursorState {
  snapshot: string;
  offset: number;
  fingerprint: string;
}

/** A short fingerprint of what identifies a document: URL, format and the other options that shape it. */
export function fingerprint(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 12);
}

/** Encode a cursor (opaque to the model). */
export function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify([state.snapshot, state.offset, state.fingerprint])).toString('base64url');
}

/** Decode a cursor; undefined when it is not one of ours. */
export function decodeCursor(cursor: string): CursorState | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 3) return undefined;
    const [snapshot, offset, print] = value as unknown[];
    if (typeof snapshot !== 'string' || typeof print !== 'string') return undefined;
    if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) return undefined;
    return { snapshot, offset, fingerprint: print };
  } catch {
    return undefined;
  }
}
