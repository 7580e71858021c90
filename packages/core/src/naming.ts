/**
 * Naming rules shared by definition and mount: what a pack name, a prefix, a key and a final name may be, and how
 * the prefix enters tool names and resource URIs.
 */

/** A pack name and a mount prefix: lower-case letters, digits and hyphens, starting with a letter. */
export const PACK_NAME_PATTERN = /^[a-z][a-z0-9-]*$/;

/** A tool or prompt key inside a pack (a wire name once prefixed): letters, digits, `_` and `-`. */
export const KEY_PATTERN = /^[a-zA-Z0-9_-]+$/;

/**
 * A final tool or prompt name as every major client accepts it (Claude, OpenAI, Copilot): 1 to 64 characters of
 * letters, digits, `_` and `-`.
 */
export const FINAL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

const URI_PATTERN = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(.*)$/s;

/** The final name of a tool or prompt: `${prefix}_${key}`, or the key itself when mounted without a prefix. */
export function finalName(prefix: string | null, key: string): string {
  return prefix === null ? key : `${prefix}_${key}`;
}

/** Split `scheme://rest` into its parts, or return undefined when the string has no `scheme://`. */
export function splitUri(uri: string): { scheme: string; rest: string } | undefined {
  const match = URI_PATTERN.exec(uri);
  if (!match) return undefined;
  return { scheme: match[1] as string, rest: match[2] as string };
}

/**
 * The mounted form of a resource URI or URI template: the prefix becomes the authority, the first segment after
 * `scheme://`, so `note://{id}` under prefix `work` is `note://work/{id}`.
 */
export function prefixUri(uri: string, authority: string): string {
  const parts = splitUri(uri);
  if (!parts) throw new TypeError(`Not a scheme://… URI: ${uri}`);
  const rest = parts.rest.startsWith('/') ? parts.rest.slice(1) : parts.rest;
  return `${parts.scheme}://${authority}/${rest}`;
}

/**
 * A resource URI or template as a mount serves it: under a prefix, with the prefix as its authority
 * ({@link prefixUri}); mounted without one (`prefix: null`), exactly as the pack wrote it, like its tool names.
 */
export function mountedUri(uri: string, prefix: string | null): string {
  return prefix === null ? uri : prefixUri(uri, prefix);
}
