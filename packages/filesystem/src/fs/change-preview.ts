/**
 * What a user is shown before a change to files is made (the filesystem pack's `writes: "ask"` mode): the question
 * for each kind of change, as plain text, and the facts it needs (what a directory holds).
 *
 * Every question is a pure function of what it shows, and shows everything the change depends on: a diff and the
 * current file's hash, a path and what is there. A host that asks again with the same question reuses the answer,
 * so anything that would make the change different must make the question different too. For the same reason
 * nothing here depends on time or on the order a directory lists its entries.
 */
import { isUtf8 } from 'node:buffer';
import type { Dirent } from 'node:fs';
import { type HeldDir, holdDir, lstatExact } from './dirfd.js';
import type { EntryKind } from './guard.js';
import { looksBinary, SNIFF_BYTES } from './read-text.js';
import { openExistingFile, sha256, type WriteTarget } from './write.js';

const hasher = () => process.getBuiltinModule('node:crypto').createHash('sha256');

/** Most lines of a diff (or of a new file's text) a question shows. */
export const SHOWN_LINES = 200;
/** Most characters of a diff (or text) a question shows. */
const SHOWN_CHARS = 16_000;
/** Largest file, before or after, that a write question shows as a diff; past it the question shows the new text. */
export const DIFF_LIMIT_BYTES = 1024 * 1024;
/** Lines of a new file's text shown when it is long. */
const HEAD_LINES = 40;
/** Longest line shown; longer ones are cut (minified files). */
const LINE_CHARS = 400;
/** How many entries of a directory are counted before the count says "more than". */
const COUNT_LIMIT = 100_000;
/** Names of a directory's own entries a question lists. */
const LISTED_NAMES = 10;

/** Bytes in the units people read. Deterministic: the same size always reads the same. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return bytes === 1 ? '1 byte' : `${bytes} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** The first 16 hex digits of a SHA-256, which is plenty to tell two versions of one file apart. */
const shortHash = (sha256: string) => `${sha256.slice(0, 16)}…`;

/** `text` cut to `maxLines` lines and `maxChars` characters, with a note of what was left out. */
export function clip(text: string, maxLines = SHOWN_LINES, maxChars = SHOWN_CHARS): string {
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  const shown: string[] = [];
  let chars = 0;
  for (const line of lines) {
    const cut = line.length > LINE_CHARS ? `${line.slice(0, LINE_CHARS)} … (line cut)` : line;
    if (shown.length >= maxLines || chars + cut.length > maxChars) break;
    shown.push(cut);
    chars += cut.length + 1;
  }
  const left = lines.length - shown.length;
  return left > 0 ? `${shown.join('\n')}\n… ${plural(left, 'more line')} not shown` : shown.join('\n');
}

/** Lines added and removed by a unified diff. */
export function diffStats(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+') && !line.startsWith('+++')) added++;
    else if (line.startsWith('-') && !line.startsWith('---')) removed++;
  }
  return { added, removed };
}

/** A unified diff as a question shows it: without the `====` banner line, clipped. */
function shownDiff(diff: string): string {
  return clip(diff.replace(/^=+\n/, ''));
}

const changeSize = ({ added, removed }: { added: number; removed: number }) =>
  `${plural(added, 'line')} added, ${removed} removed`;

/** The question for an edit: the diff, and the hash of the file it applies to. */
export function editQuestion(display: string, diff: string, currentSha256: string): string {
  return [
    `Edit ${display}? ${changeSize(diffStats(diff))}:`,
    '',
    shownDiff(diff),
    '',
    `(The file as it is now has sha256 ${shortHash(currentSha256)})`,
  ].join('\n');
}

/** A file's content as a write question knows it. */
export interface Content {
  readonly size: number;
  /** True when it is not text: NUL bytes, or (for data given as base64) not valid UTF-8. */
  readonly binary: boolean;
  readonly sha256: string;
  /** The text, when it is text and was read (a file too large to diff is only hashed). */
  readonly text?: string | undefined;
}

/** Describe bytes about to be written. */
export function contentOf(bytes: Uint8Array, sha256: string): Content {
  const binary = looksBinary(bytes) || !isUtf8(bytes);
  return { size: bytes.length, binary, sha256, ...(binary ? {} : { text: Buffer.from(bytes).toString('utf8') }) };
}

/**
 * The file at `target` as it is now, read through a verified descriptor: hashed, sniffed, and its text kept when
 * it is at most `maxBytes`; `undefined` when nothing is there.
 */
export async function currentContent(target: WriteTarget, maxBytes: number): Promise<Content | undefined> {
  const opened = await openExistingFile(target);
  if (!opened) return undefined;
  const { handle, stats } = opened;
  try {
    if (stats.size <= maxBytes) {
      const bytes = await handle.readFile();
      return contentOf(bytes, sha256(bytes));
    }
    // Too large to diff: sniff its start (a positional read leaves the file position at 0), then hash it whole.
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(SNIFF_BYTES), 0, SNIFF_BYTES, 0);
    const hash = hasher();
    for await (const chunk of handle.readableWebStream() as unknown as AsyncIterable<Uint8Array>) hash.update(chunk);
    return { size: stats.size, binary: looksBinary(buffer.subarray(0, bytesRead)), sha256: hash.digest('hex') };
  } finally {
    await handle.close().catch(() => {});
  }
}

/** What a write question describes. */
export interface WriteChange {
  readonly display: string;
  readonly mode: 'create' | 'overwrite' | 'append';
  /** The file now; `undefined` when it does not exist. */
  readonly before: Content | undefined;
  /** What the call writes (for append: what it adds). */
  readonly data: Content;
  /** For an overwrite of text by text: the unified diff, or `undefined` when it was too large to work out. */
  readonly diff?: string | undefined;
}

const lineCount = (text: string) => (text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0));

/** The start of a text, as a question shows it. */
function head(text: string): string {
  return lineCount(text) > SHOWN_LINES ? clip(text, HEAD_LINES) : clip(text);
}

/** The question for write_file: a new file's size and text, or the diff of an overwrite, or what an append adds. */
export function writeQuestion(change: WriteChange): string {
  const { display, before, data } = change;
  const size = formatBytes(data.size);
  const text = data.text ?? '';
  if (before === undefined) {
    if (data.binary) return `Create ${display}? ${size} of binary data (sha256 ${shortHash(data.sha256)}).`;
    if (text === '') return `Create ${display}? An empty file.`;
    return `Create ${display}? ${size}, ${plural(lineCount(text), 'line')}:\n\n${head(text)}`;
  }
  if (change.mode === 'append') {
    if (data.binary) return `Append ${size} of binary data to ${display} (sha256 ${shortHash(data.sha256)})?`;
    return `Append to ${display}? ${size}, ${plural(lineCount(text), 'line')}:\n\n${head(text)}`;
  }
  const footer = `\n\n(The file as it is now has sha256 ${shortHash(before.sha256)})`;
  const was = formatBytes(before.size);
  if (before.binary || data.binary) {
    return `Overwrite ${display} (${was}${before.binary ? ', binary' : ''}) with ${size} of ${data.binary ? 'binary data' : 'text'} (sha256 ${shortHash(data.sha256)})?${footer}`;
  }
  if (before.sha256 === data.sha256)
    return `Overwrite ${display} with the same content (nothing in it changes)?${footer}`;
  if (change.diff === undefined) {
    return `Overwrite ${display}? ${was} → ${size}. The change is too large to show as a diff; the new text begins:\n\n${head(text)}${footer}`;
  }
  return `Overwrite ${display}? ${changeSize(diffStats(change.diff))} (${was} → ${size}):\n\n${shownDiff(change.diff)}${footer}`;
}

/** The question for create_directory, naming the parents it creates too. */
export function createDirectoryQuestion(display: string, missingParents: readonly string[]): string {
  if (missingParents.length === 0) return `Create the directory ${display}?`;
  return `Create the directory ${display}, and the missing ${missingParents.length === 1 ? 'parent' : 'parents'} ${missingParents.join(', ')}?`;
}

/** What is at a path, counted: for a directory, everything under it (links are counted, not followed). */
export interface EntrySummary {
  readonly kind: EntryKind;
  /** A file's size, or the total size of the files under a directory. */
  readonly bytes: number;
  readonly files: number;
  readonly directories: number;
  readonly links: number;
  readonly other: number;
  /** False when counting stopped at {@link COUNT_LIMIT} entries. */
  readonly complete: boolean;
  /** A directory's own entries, sorted, directories with a trailing `/`, at most 10. */
  readonly names: readonly string[];
  /** How many entries the directory itself has. */
  readonly entries: number;
}

function direntKind(dirent: Dirent): EntryKind {
  if (dirent.isDirectory()) return 'directory';
  if (dirent.isFile()) return 'file';
  if (dirent.isSymbolicLink()) return 'symlink';
  return 'other';
}

/**
 * Count what is at `real` without following links, through descriptors: the entry is judged at its real path
 * (`lstatExact`) and a directory is read through itself held open, each subdirectory held through its parent, so a
 * directory swapped for a link meanwhile counts nothing of what the link leads to. A directory that cannot be read
 * counts as empty: the change itself will meet the same problem and report it.
 */
export async function summarizeEntry(real: string, limit = COUNT_LIMIT, display = real): Promise<EntrySummary> {
  const stats = await lstatExact(real, display);
  if (!stats) throw Object.assign(new Error(`${display} does not exist`), { code: 'ENOENT' });
  const kind: EntryKind = stats.isSymbolicLink()
    ? 'symlink'
    : stats.isDirectory()
      ? 'directory'
      : stats.isFile()
        ? 'file'
        : 'other';
  const summary = { kind, bytes: 0, files: 0, directories: 0, links: 0, other: 0, complete: true, entries: 0 };
  if (kind !== 'directory') return { ...summary, bytes: kind === 'file' ? stats.size : 0, names: [] };
  let names: string[] = [];
  let seen = 0;
  const visit = async (dir: HeldDir, top: boolean): Promise<boolean> => {
    let dirents: Dirent[];
    try {
      dirents = await dir.list();
    } catch {
      return true;
    }
    if (top) {
      summary.entries = dirents.length;
      names = dirents
        .map((dirent) => (dirent.isDirectory() ? `${dirent.name}/` : dirent.name))
        .sort()
        .slice(0, LISTED_NAMES);
    }
    for (const dirent of dirents) {
      if (++seen > limit) {
        summary.complete = false;
        return false;
      }
      switch (direntKind(dirent)) {
        case 'directory': {
          summary.directories++;
          const child = await dir.child(dirent.name).catch(() => undefined);
          if (!child) break;
          const more = await visit(child, false).finally(() => child.close());
          if (!more) return false;
          break;
        }
        case 'file':
          summary.files++;
          summary.bytes += (await dir.lstat(dirent.name).catch(() => undefined))?.size ?? 0;
          break;
        case 'symlink':
          summary.links++;
          break;
        default:
          summary.other++;
      }
    }
    return true;
  };
  const held = await holdDir(real, display);
  try {
    await visit(held, true);
  } finally {
    held.close();
  }
  return { ...summary, names };
}

/** "12 files, 3 directories and 1 symbolic link (4.2 KiB)", or "nothing" for an empty directory. */
function contents(summary: EntrySummary): string {
  const parts = [
    summary.files > 0 ? plural(summary.files, 'file') : '',
    summary.directories > 0 ? plural(summary.directories, 'directory', 'directories') : '',
    summary.links > 0 ? plural(summary.links, 'symbolic link') : '',
    summary.other > 0 ? plural(summary.other, 'other entry', 'other entries') : '',
  ].filter((part) => part !== '');
  if (parts.length === 0) return 'nothing';
  const listed = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
  return `${summary.complete ? '' : 'more than '}${listed} (${summary.complete ? '' : 'at least '}${formatBytes(summary.bytes)})`;
}

/** The directory's own entries, for a question: "It holds: a.txt, src/, … and 4 more." */
function holds(summary: EntrySummary): string {
  if (summary.entries === 0) return '';
  const more = summary.entries - summary.names.length;
  return `\nIt holds: ${summary.names.join(', ')}${more > 0 ? `, … and ${more} more` : ''}.`;
}

/** What an entry is, for a question: "the file a.txt (120 bytes)", "the directory src (3 files (1.0 KiB))". */
function describeEntry(display: string, summary: EntrySummary): string {
  switch (summary.kind) {
    case 'file':
      return `the file ${display} (${formatBytes(summary.bytes)})`;
    case 'symlink':
      return `the symbolic link ${display} (the link itself, not what it points to)`;
    case 'directory':
      return summary.entries === 0
        ? `the empty directory ${display}`
        : `the directory ${display}, with ${contents(summary)} in it`;
    default:
      return `${display} (not a regular file or directory)`;
  }
}

/** The question for delete: what goes, and for a directory how much is in it. */
export function deleteQuestion(display: string, summary: EntrySummary): string {
  return `Delete ${describeEntry(display, summary)}? There is no undo.${summary.kind === 'directory' ? holds(summary) : ''}`;
}

/** The question for move_file: from → to, what moves, and what it replaces. */
export function moveQuestion(
  from: string,
  to: string,
  moved: EntrySummary,
  replaced: EntrySummary | undefined,
): string {
  const replaces = replaced ? `\nThis replaces ${describeEntry(to, replaced)}.` : '';
  return `Move ${describeEntry(from, moved)}?\n${from} → ${to}${replaces}`;
}

/** The question for copy_file: from → to, how much is copied, and what it replaces. */
export function copyQuestion(
  from: string,
  to: string,
  copied: EntrySummary,
  replaced: EntrySummary | undefined,
): string {
  const skipped =
    copied.kind === 'directory' && copied.links > 0
      ? `\n${plural(copied.links, 'symbolic link')} inside will not be copied.`
      : '';
  const replaces = replaced ? `\nThis replaces ${describeEntry(to, replaced)}.` : '';
  return `Copy ${describeEntry(from, copied)}?\n${from} → ${to}${skipped}${replaces}`;
}
