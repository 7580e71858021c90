/**
 * Keys for what a pack hands to the client and reads back later (request state, cursors, tokens): each mount
 * derives one key per purpose from the host's one secret, so that any replica given the same secret accepts what
 * another sealed, and no key serves two purposes or two mounts.
 *
 * Derivation is HKDF-SHA256 (RFC 5869): the secret is the input key material, the salt names the mount (pack name
 * and prefix), the info names the purpose. Without a secret each purpose gets 32 random bytes, made on first use
 * and kept for the life of the instance: what one process sealed is then good in that process only.
 */

/** The host's secret for state that travels through clients: a string (UTF-8) or bytes, at least 32 of them. */
export type HostSecret = string | Uint8Array;

/** The shortest secret accepted, in bytes: a 256-bit HMAC key deserves 256 bits of secret. */
export const MIN_SECRET_BYTES = 32;

/** Derives a key for a purpose (`'input-state'`, `'search-cursor'`, ...): the same purpose, the same key. */
export type KeyDeriver = (purpose: string) => Uint8Array;

/** node:crypto on first use, not at start (see input.ts). */
function crypto(): typeof import('node:crypto') {
  return process.getBuiltinModule('node:crypto');
}

/**
 * The key deriver of one mount. `scope` names the mount (its pack and prefix); `secret` is the host's, or
 * `undefined` for random per-process keys. Throws a `TypeError` for a secret shorter than {@link MIN_SECRET_BYTES}.
 */
export function createKeyDeriver(secret: HostSecret | undefined, scope: string): KeyDeriver {
  const material = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  if (material !== undefined && material.length < MIN_SECRET_BYTES) {
    throw new TypeError(`the state secret must have at least ${MIN_SECRET_BYTES} bytes; it has ${material.length}.`);
  }
  const keys = new Map<string, Uint8Array>();
  return (purpose) => {
    let key = keys.get(purpose);
    if (!key) {
      key =
        material === undefined
          ? crypto().randomBytes(32)
          : new Uint8Array(crypto().hkdfSync('sha256', material, `mcp-packs:${scope}`, purpose, 32));
      keys.set(purpose, key);
    }
    return key;
  };
}
