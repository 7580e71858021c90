/**
 * Cursors that carry a position and cannot be forged: the position (any JSON object) travels in the cursor, sealed
 * with an HMAC-SHA256 under the mount's key (derived from the host's secret, else made when the process starts), and bound to the arguments of the call that made it.
 * A cursor that was changed, belongs to other arguments, comes from before a restart or from a replica without the shared secret (another key) or is older than
 * its time to live is refused with an error that tells the model to start again without it.
 *
 * A cursor read back is only a position to seek to; it never names anything to open (see `ordered-walk.ts`), so
 * even a cursor forged with the key could not reach outside the roots. The seal is what makes a bad cursor a clear
 * error rather than a silent wrong page.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { FsError } from './errors.js';

/** How long a cursor stays valid by default: one hour. */
export const CURSOR_TTL_MS = 60 * 60 * 1000;

/** Bytes of the MAC kept in a cursor (128 bits). */
const MAC_BYTES = 16;

/** Options of a {@link CursorSeal}. */
export interface CursorSealOptions {
  /** The key (the mount's `search-cursor` key); default 32 random bytes. */
  readonly key?: Uint8Array;
  /** How long a cursor stays valid, in ms. Default {@link CURSOR_TTL_MS}. */
  readonly ttlMs?: number;
  /** The clock, in ms since the epoch. Default `Date.now`. */
  readonly now?: () => number;
}

/** A digest of the arguments a cursor is bound to (any JSON value), short enough to go into a MAC input. */
export function bindingOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url');
}

/** Seals positions into cursors and opens them again; see the module comment. */
export class CursorSeal {
  readonly #key: Uint8Array;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: CursorSealOptions = {}) {
    this.#key = options.key ?? randomBytes(32);
    this.#ttlMs = options.ttlMs ?? CURSOR_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  #mac(kind: string, binding: string, payload: string): Buffer {
    return createHmac('sha256', this.#key).update(`${kind}\0${binding}\0${payload}`).digest().subarray(0, MAC_BYTES);
  }

  /** A cursor for `position`, for the tool `kind` called with arguments whose {@link bindingOf} is `binding`. */
  seal(kind: string, binding: string, position: Record<string, unknown>): string {
    const payload = Buffer.from(JSON.stringify({ t: this.#now(), p: position })).toString('base64url');
    return `${payload}.${this.#mac(kind, binding, payload).toString('base64url')}`;
  }

  /**
   * The position in `cursor`, if this process sealed it for `kind` and `binding` within the time to live; otherwise
   * throws `invalid_cursor` (forged, changed, other arguments, another process) or `expired_cursor`.
   */
  open(kind: string, binding: string, cursor: string): Record<string, unknown> {
    const dot = cursor.indexOf('.');
    const payload = dot === -1 ? '' : cursor.slice(0, dot);
    // Compared as text, not as decoded bytes: base64url decoding ignores the spare bits of the last character, so
    // two spellings would decode alike; only the one this seal wrote is accepted.
    const given = Buffer.from(dot === -1 ? '' : cursor.slice(dot + 1));
    const expected = Buffer.from(this.#mac(kind, binding, payload).toString('base64url'));
    if (payload === '' || given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidCursor();
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw invalidCursor();
    }
    const { t, p } = (value ?? {}) as { t?: unknown; p?: unknown };
    if (typeof t !== 'number' || typeof p !== 'object' || p === null || Array.isArray(p)) throw invalidCursor();
    const age = this.#now() - t;
    if (age > this.#ttlMs || age < -60_000) {
      throw new FsError('expired_cursor', 'The cursor has expired.', {
        hint: 'Start again: call the tool without cursor (same arguments) and page on from the new nextCursor.',
      });
    }
    return p as Record<string, unknown>;
  }
}

/** The error for a cursor that this process did not make for this call. */
export function invalidCursor(): FsError {
  return new FsError(
    'invalid_cursor',
    'The cursor is not valid for this call: it was changed, belongs to a call with other arguments, was made before the server restarted, or by a server replica without the same state secret.',
    {
      hint: 'Start again: call the tool without cursor, then pass each nextCursor back unchanged with the same arguments.',
    },
  );
}
