/**
 * Collects a response body up to a cap. When the final size is known in advance (an uncompressed response with
 * Content-Length), the bytes go straight into one buffer of that size, so a body at the cap is held once, not
 * twice (chunks plus their concatenation).
 */
export class BodyBuffer {
  readonly #cap: number;
  #chunks: Buffer[] = [];
  #fixed: Buffer | undefined;
  #length = 0;
  #truncated = false;

  /** `expected`: the body's size when known exactly (no content encoding), else undefined. */
  constructor(cap: number, expected: number | undefined) {
    this.#cap = cap;
    if (expected !== undefined && expected > 0) this.#fixed = Buffer.allocUnsafe(Math.min(expected, cap));
  }

  /** Bytes held. */
  get length(): number {
    return this.#length;
  }

  /** True once a chunk went past the cap (and was cut). */
  get truncated(): boolean {
    return this.#truncated;
  }

  /** Add a chunk; returns false when the cap is reached and reading should stop. */
  push(chunk: Buffer): boolean {
    const room = this.#cap - this.#length;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (part.length < chunk.length) this.#truncated = true;
    if (this.#fixed && this.#length + part.length <= this.#fixed.length) {
      part.copy(this.#fixed, this.#length);
    } else {
      if (this.#fixed) {
        // The server sent more than it declared: fall back to chunks.
        this.#chunks.push(this.#fixed.subarray(0, this.#length));
        this.#fixed = undefined;
      }
      this.#chunks.push(part);
    }
    this.#length += part.length;
    return !this.#truncated && this.#length < this.#cap;
  }

  /** The bytes so far (a view, not a copy, when they sit in one buffer). */
  bytes(): Buffer {
    if (this.#fixed) return this.#fixed.subarray(0, this.#length);
    if (this.#chunks.length === 1) return this.#chunks[0] as Buffer;
    const joined = Buffer.concat(this.#chunks, this.#length);
    this.#chunks = [joined];
    return joined;
  }
}
