/**
 * Media type guesses: by file name (the `mime` package's table of IANA types), confirmed or corrected by the
 * first bytes for the image and audio formats clients can show.
 */
import path from 'node:path';

// The type table is loaded on the first guess by name, so importing the pack stays cheap.
const loadMime = () => import('mime');
let mimeModule: ReturnType<typeof loadMime> | undefined;

const SIGNATURES: readonly { type: string; test: (b: Uint8Array) => boolean }[] = [
  { type: 'image/png', test: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  { type: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/gif', test: (b) => ascii(b, 0, 'GIF8') },
  { type: 'image/webp', test: (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP') },
  { type: 'image/bmp', test: (b) => ascii(b, 0, 'BM') && b.length > 14 },
  { type: 'audio/wav', test: (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE') },
  { type: 'audio/ogg', test: (b) => ascii(b, 0, 'OggS') },
  { type: 'audio/flac', test: (b) => ascii(b, 0, 'fLaC') },
  { type: 'audio/mpeg', test: (b) => ascii(b, 0, 'ID3') || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0) },
  { type: 'application/pdf', test: (b) => ascii(b, 0, '%PDF-') },
];

function ascii(bytes: Uint8Array, at: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** The media type of a file by its name, or `undefined` when the extension is unknown. */
export async function mimeFromName(name: string): Promise<string | undefined> {
  mimeModule ??= loadMime();
  const { default: mime } = await mimeModule;
  return mime.getType(path.basename(name)) ?? undefined;
}

/** The media type of a file from its name and, when given, its first bytes (which win for known formats). */
export async function guessMime(name: string, head?: Uint8Array): Promise<string | undefined> {
  if (head) {
    const sniffed = SIGNATURES.find((signature) => signature.test(head));
    if (sniffed) return sniffed.type;
  }
  return mimeFromName(name);
}
