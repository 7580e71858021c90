/**
 * Turning body bytes into text with the right character encoding: byte order mark, then the Content-Type charset,
 * then (HTML and XML) the document's own declaration, per the WHATWG sniffing algorithm (html-encoding-sniffer);
 * UTF-8 when nothing says. A body declared UTF-8 that is not valid UTF-8 (a common server misconfiguration) is
 * decoded with what the document itself declares, or windows-1252, and the result says so.
 */
import { isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';
import type { BodyClass } from './media-type.js';

/** Decoded text and how it was decoded. */
export interface DecodedText {
  text: string;
  /** The encoding used (WHATWG name, lower case), e.g. `utf-8`, `windows-1252`, `shift_jis`. */
  charset: string;
  /** Set when the declared charset was wrong or unknown and another was used. */
  note: string | undefined;
}

type Sniffer = (bytes: Uint8Array, options?: Record<string, unknown>) => string;
// html-encoding-sniffer is CommonJS without typings; loading it with require keeps any consumer that type-checks
// these sources (through the workspace source condition) free of an ambient module declaration. It brings the
// WHATWG encoding tables, so it is required on the first sniff rather than when the pack loads.
const require = createRequire(import.meta.url);
let sniffer: Sniffer | undefined;
const sniff: Sniffer = (bytes, options) => {
  sniffer ??= require('html-encoding-sniffer') as Sniffer;
  return sniffer(bytes, options);
};

function supported(label: string | undefined): string | undefined {
  if (!label) return undefined;
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return undefined;
  }
}

// node:buffer's isUtf8 validates without building a string (a 5 MB body would otherwise cost 10 MB more).
const isValidUtf8 = (bytes: Uint8Array): boolean => isUtf8(bytes);

const SINGLE_BYTE = /^(windows-125\d|iso-8859-\d+|koi8-[ru]|macintosh|x-mac-cyrillic|ibm866)$/;

function hasNonAscii(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte >= 0x80) return true;
  return false;
}

function bomEncoding(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

function decode(bytes: Uint8Array, charset: string): string {
  // TextDecoder strips a BOM that matches the encoding; a body cut at maxBytes may end mid-character, which
  // becomes U+FFFD rather than an error.
  return new TextDecoder(charset).decode(bytes);
}

/**
 * Decode a body. `declared` is the charset label from Content-Type, if any.
 *
 * @example
 * decodeBody(bytes, 'iso-8859-1', 'html'); // { text, charset: 'windows-1252', note: undefined }
 */
export function decodeBody(bytes: Uint8Array, declared: string | undefined, bodyClass: BodyClass): DecodedText {
  const markup = bodyClass === 'html' || bodyClass === 'xml';
  const declaredEncoding = supported(declared);
  let note =
    declared && !declaredEncoding ? `the declared charset "${declared}" is unknown; it was ignored` : undefined;
  let charset: string;
  if (markup) {
    charset =
      supported(
        sniff(bytes, {
          xml: bodyClass === 'xml',
          defaultEncoding: 'UTF-8',
          ...(declaredEncoding ? { transportLayerEncodingLabel: declaredEncoding } : {}),
        }),
      ) ?? 'utf-8';
  } else {
    charset = bomEncoding(bytes) ?? declaredEncoding ?? 'utf-8';
  }

  // The opposite mistake: a page declared as a legacy single-byte encoding whose bytes are UTF-8 (the header or
  // meta tag outlived a move to UTF-8). Text with non-ASCII characters is almost never valid UTF-8 by accident.
  if (SINGLE_BYTE.test(charset) && hasNonAscii(bytes) && isValidUtf8(bytes)) {
    note = `the body was declared ${charset} but is valid UTF-8; decoded as utf-8`;
    charset = 'utf-8';
  }

  if (charset === 'utf-8' && !isValidUtf8(bytes)) {
    // Cut bodies can end mid-sequence; only call it wrong when the damage is not just at the very end.
    const head = bytes.subarray(0, Math.max(0, bytes.length - 4));
    if (!isValidUtf8(head)) {
      const documentDeclared = markup
        ? supported(sniff(bytes, { xml: bodyClass === 'xml', defaultEncoding: 'windows-1252' }))
        : undefined;
      const fallback = documentDeclared && documentDeclared !== 'utf-8' ? documentDeclared : 'windows-1252';
      note = `${declaredEncoding === 'utf-8' ? 'the body was declared UTF-8 but is not valid UTF-8' : 'the body is not valid UTF-8'}; decoded as ${fallback}`;
      charset = fallback;
    }
  }
  return { text: decode(bytes, charset), charset, note };
}
