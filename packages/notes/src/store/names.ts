/**
 * Note ids, titles, tags and file names: what is allowed, how new ones are made, and how a title becomes a file
 * name that every operating system (and Obsidian) accepts.
 */

/** node:crypto on first use: loading it costs ~3 ms of a server's start. */
const crypto = () => process.getBuiltinModule('node:crypto');

/** A note id: 1 to 64 letters, digits, `_` or `-`, starting with a letter or digit. No dots, no slashes. */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** The longest title accepted, in characters. */
const MAX_TITLE_LENGTH = 300;

/** The longest tag accepted, in characters. */
const MAX_TAG_LENGTH = 100;

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** True when `value` is a well-formed note id. */
export function isNoteId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/** A new random id: 10 characters of lower-case Crockford base32 (50 bits). */
export function newNoteId(): string {
  const bytes = crypto().randomBytes(10);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte & 31];
  return id;
}

function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '');
}

/**
 * The id of a note whose file carries none (a file written by hand or by another app): a slug of its path inside
 * the notes folder, so it is stable as long as the file is not renamed. `taken` says whether an id is in use; a
 * clash gets a short hash of the path appended.
 */
export function derivedNoteId(relativePath: string, taken: (id: string) => boolean): string {
  const stem = relativePath.replace(/\.(md|markdown)$/i, '');
  let slug = fold(stem)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  if (slug === '') slug = 'note';
  if (!taken(slug)) return slug;
  const hash = crypto().createHash('sha256').update(relativePath).digest('hex').slice(0, 8);
  return `${slug}-${hash}`;
}

/** Why a title or tag was refused, or `undefined` when it is fine. */
export function titleProblem(title: string): string | undefined {
  if (title.trim() === '') return 'the title is empty';
  if ([...title].length > MAX_TITLE_LENGTH) return `the title is longer than ${MAX_TITLE_LENGTH} characters`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what we refuse
  if (/[\u0000-\u001f\u007f\u2028\u2029]/.test(title)) return 'the title contains a line break or control character';
  return undefined;
}

/** Normalise a title: NFC, surrounding whitespace removed. */
export function normalizeTitle(title: string): string {
  return title.normalize('NFC').trim();
}

/** Normalise a tag the way Obsidian writes it: no leading `#`, NFC, trimmed. */
export function normalizeTag(tag: string): string {
  return tag.normalize('NFC').trim().replace(/^#+/, '');
}

/** Why a tag is refused, or `undefined`. Tags are letters, digits, `_`, `-` and `/` (for nesting), as in Obsidian. */
export function tagProblem(tag: string): string | undefined {
  if (tag === '') return 'a tag is empty';
  if ([...tag].length > MAX_TAG_LENGTH) return `the tag "${tag.slice(0, 20)}…" is longer than ${MAX_TAG_LENGTH}`;
  if (!/^[\p{L}\p{N}_/-]+$/u.test(tag)) {
    return `the tag "${tag}" may hold only letters, digits, "_", "-" and "/" (no spaces)`;
  }
  if (tag.startsWith('/') || tag.endsWith('/') || tag.includes('//')) return `the tag "${tag}" has an empty level`;
  return undefined;
}

/** The tag key used for matching: tags match case-insensitively, as in Obsidian. */
export function tagKey(tag: string): string {
  return tag.toLowerCase();
}

const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;
const MAX_NAME_BYTES = 180;

/**
 * A file name (without `.md`) for a title: characters that Windows, macOS or Obsidian links reject are replaced,
 * leading dots and trailing dots or spaces are removed, and the result is at most 180 bytes of UTF-8.
 */
export function fileStemForTitle(title: string): string {
  let stem = title
    .normalize('NFC')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters cannot appear in file names
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|#^[\]]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
    .replace(/[. ]+$/, '');
  while (Buffer.byteLength(stem) > MAX_NAME_BYTES) stem = [...stem].slice(0, -1).join('');
  stem = stem.replace(/[. ]+$/, '');
  if (stem === '') stem = 'Untitled';
  if (RESERVED.test(stem)) stem = `${stem}_`;
  return stem;
}
