/**
 * What a response body is, from its Content-Type and, when that says nothing useful, from its first bytes.
 */

/** How a body is treated: decoded as text, or described and never dumped. */
export type BodyClass = 'html' | 'json' | 'xml' | 'text' | 'binary' | 'unknown';

/** A parsed Content-Type: the lower-case essence (`text/html`) and its charset label, if any. */
export interface MediaType {
  essence: string;
  charset: string | undefined;
}

/** Parse a Content-Type header; undefined when absent or malformed. */
export function parseMediaType(header: string | undefined): MediaType | undefined {
  if (!header) return undefined;
  const [type, ...params] = header.split(';');
  const essence = type?.trim().toLowerCase() ?? '';
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(essence)) return undefined;
  let charset: string | undefined;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0) continue;
    if (param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    charset = param
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim();
  }
  return { essence, charset: charset || undefined };
}

const TEXT_APPLICATION_TYPES = new Set([
  'application/javascript',
  'application/ecmascript',
  'application/x-javascript',
  'application/x-www-form-urlencoded',
  'application/x-yaml',
  'application/yaml',
  'application/toml',
  'application/x-sh',
  'application/sql',
  'application/graphql',
  'application/x-ndjson',
  'application/jsonl',
]);

/** Classify a body by its media type essence. */
export function classifyMediaType(essence: string | undefined): BodyClass {
  if (!essence) return 'unknown';
  if (essence === 'text/html' || essence === 'application/xhtml+xml') return 'html';
  if (essence === 'application/json' || essence.endsWith('+json') || essence === 'text/json') return 'json';
  if (essence === 'application/xml' || essence === 'text/xml' || essence.endsWith('+xml')) return 'xml';
  if (essence.startsWith('text/')) return 'text';
  if (TEXT_APPLICATION_TYPES.has(essence)) return 'text';
  if (essence === 'application/octet-stream' || essence === 'binary/octet-stream') return 'unknown';
  return 'binary';
}

const SIGNATURES: readonly [string, readonly number[]][] = [
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['image/png', [0x89, 0x50, 0x4e, 0x47]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/gif', [0x47, 0x49, 0x46, 0x38]],
  ['application/zip', [0x50, 0x4b, 0x03, 0x04]],
  ['application/gzip', [0x1f, 0x8b]],
  ['application/wasm', [0x00, 0x61, 0x73, 0x6d]],
];

/**
 * Sniff the first bytes of a body whose type is unknown: a known binary signature, or control bytes that text does
 * not contain, mean binary. Returns the sniffed media type for binaries, `text` for text.
 */
export function sniffBody(bytes: Uint8Array): { kind: 'text' } | { kind: 'binary'; mediaType: string } {
  for (const [mediaType, signature] of SIGNATURES) {
    if (signature.every((byte, i) => bytes[i] === byte)) return { kind: 'binary', mediaType };
  }
  const sample = bytes.subarray(0, 1024);
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return { kind: 'binary', mediaType: 'application/octet-stream' };
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) control++;
  }
  return control > sample.length / 10 ? { kind: 'binary', mediaType: 'application/octet-stream' } : { kind: 'text' };
}

/** A friendly name for a binary media type, for descriptions. */
export function describeMediaType(essence: string): string {
  if (essence === 'application/pdf') return 'a PDF document';
  if (essence.startsWith('image/')) return `an image (${essence})`;
  if (essence.startsWith('audio/')) return `audio (${essence})`;
  if (essence.startsWith('video/')) return `a video (${essence})`;
  if (essence.startsWith('font/')) return `a font (${essence})`;
  if (/zip|gzip|x-tar|x-7z|x-rar|compressed/.test(essence)) return `an archive (${essence})`;
  if (/msword|officedocument|opendocument|ms-excel|ms-powerpoint/.test(essence))
    return `an office document (${essence})`;
  return `binary data (${essence})`;
}
