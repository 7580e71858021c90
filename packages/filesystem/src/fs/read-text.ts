/**
 * Reading text files in bounded memory: by line offset and count, from the end, or from a cursor, never holding
 * more than the byte cap plus one chunk. The tail of a 2 GB file costs a few reads from its end.
 */
import { FsError } from './errors.js';

const CHUNK = 256 * 1024;
/** The first block a tail reads from the end; each next one is twice as big, up to {@link CHUNK}. */
const TAIL_FIRST_BLOCK = 16 * 1024;
const NEWLINE = 0x0a;
/** Files up to this size get their total line count (it costs one extra pass at most). */
export const COUNT_LINES_UP_TO = 8 * 1024 * 1024;
/** How much of the start of a file is checked for NUL bytes to call it binary. */
export const SNIFF_BYTES = 8192;

/** Where to read. Lines are 1-based. */
export type ReadWindow =
  | { kind: 'lines'; offset: number; limit: number | undefined }
  | { kind: 'tail'; lines: number; limit: number | undefined }
  | { kind: 'cursor'; byte: number; line: number | undefined; limit: number | undefined };

/** What a read returns. */
export interface TextRead {
  content: string;
  /** Line number of the first line returned, when known. */
  startLine: number | undefined;
  /** Line number of the last line returned, when known. */
  endLine: number | undefined;
  /** Lines in the whole file, when known (files up to 8 MiB, or when the read reached the end). */
  totalLines: number | undefined;
  /** The byte cap cut the result. */
  truncated: boolean;
  /** More of the file follows what was returned. */
  hasMore: boolean;
  /** Continue from here (pass as `cursor`), when more follows. */
  next: { byte: number; line: number | undefined } | undefined;
  /** Bytes of the file that were returned. */
  bytes: number;
  /** Byte offset where the returned content starts. */
  startByte: number;
}

/** True when the buffer looks binary (a NUL byte in it). */
export function looksBinary(sample: Uint8Array): boolean {
  return sample.indexOf(0) !== -1;
}

/** What the readers here need of a file: positional reads, from a `FileHandle` or from {@link preload}. */
export interface ReadSource {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
}

/** Files up to this size are read whole, once, by {@link preload}. */
export const PRELOAD_BYTES = 256 * 1024;

/**
 * `handle` itself, or, for a file of at most {@link PRELOAD_BYTES}, its content read in one go and served from
 * memory: the sniff for binary, the read and the line count then cost one read instead of three.
 */
export async function preload(handle: ReadSource, size: number): Promise<ReadSource> {
  if (size > PRELOAD_BYTES) return handle;
  return memorySource(await readAt(handle, 0, size));
}

/** A {@link ReadSource} over bytes already in memory (a preloaded or synchronously read file). */
export function memorySource(data: Buffer): ReadSource {
  return {
    read: async (buffer, offset, length, position) => {
      const bytesRead = Math.max(0, Math.min(length, data.length - position));
      if (bytesRead > 0) data.copy(buffer, offset, position, position + bytesRead);
      return { bytesRead };
    },
  };
}

/** Read up to `length` bytes at `position`. */
async function readAt(handle: ReadSource, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === length ? buffer : buffer.subarray(0, filled);
}

/** Throw `binary_file` when the start of the file has a NUL byte. */
export async function assertText(handle: ReadSource, size: number, display: string): Promise<void> {
  const sample = await readAt(handle, 0, Math.min(size, SNIFF_BYTES));
  if (looksBinary(sample)) {
    throw new FsError('binary_file', `${JSON.stringify(display)} looks binary (it has NUL bytes).`, {
      hint: 'Use read_media_file for images and audio, or get_file_info for its size and type.',
    });
  }
}

/** The number of `\n` in a buffer. */
export function countNewlines(buffer: Uint8Array, from = 0, to = buffer.length): number {
  let count = 0;
  let at = buffer.indexOf(NEWLINE, from);
  while (at !== -1 && at < to) {
    count++;
    at = buffer.indexOf(NEWLINE, at + 1);
  }
  return count;
}

/** Lines in a whole file: newlines, plus one for a last line without one. */
async function countLines(handle: ReadSource, size: number): Promise<number> {
  let lines = 0;
  let last = NEWLINE;
  for (let position = 0; position < size; position += CHUNK) {
    const chunk = await readAt(handle, position, Math.min(CHUNK, size - position));
    if (chunk.length === 0) break;
    lines += countNewlines(chunk);
    last = chunk[chunk.length - 1] as number;
  }
  return size > 0 && last !== NEWLINE ? lines + 1 : lines;
}

/** Back off `end` so it does not split a UTF-8 sequence (bytes `10xxxxxx` continue one). */
function utf8End(buffer: Uint8Array, end: number): number {
  let cut = end;
  let steps = 0;
  while (cut > 0 && steps < 4 && ((buffer[cut] ?? 0) & 0xc0) === 0x80) {
    cut--;
    steps++;
  }
  return cut;
}

/** Move `start` forward past UTF-8 continuation bytes. */
function utf8Start(buffer: Uint8Array, start: number): number {
  let cut = start;
  let steps = 0;
  while (cut < buffer.length && steps < 4 && ((buffer[cut] ?? 0) & 0xc0) === 0x80) {
    cut++;
    steps++;
  }
  return cut;
}

function decode(buffer: Buffer, startByte: number): string {
  const text = buffer.toString('utf8');
  return startByte === 0 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Lines in `content` as returned (a final newline does not start another line). */
function linesIn(buffer: Uint8Array): number {
  if (buffer.length === 0) return 0;
  const n = countNewlines(buffer);
  return buffer[buffer.length - 1] === NEWLINE ? n : n + 1;
}

/**
 * Read forward from byte `startByte` (which begins line `startLine`, when known), skipping `skipLines` lines
 * first, then returning up to `limit` lines within `maxBytes`.
 */
async function readForward(
  handle: ReadSource,
  size: number,
  from: { byte: number; line: number | undefined; skipLines: number },
  limit: number | undefined,
  maxBytes: number,
): Promise<TextRead> {
  let position = from.byte;
  let line = from.line;
  // 1. Skip lines.
  let toSkip = from.skipLines;
  while (toSkip > 0 && position < size) {
    const chunk = await readAt(handle, position, Math.min(CHUNK, size - position));
    if (chunk.length === 0) break;
    let at = 0;
    while (toSkip > 0) {
      const nl = chunk.indexOf(NEWLINE, at);
      if (nl === -1) break;
      at = nl + 1;
      toSkip--;
      if (line !== undefined) line++;
    }
    position += toSkip > 0 ? chunk.length : at;
  }
  const startByte = position;
  const startLine = line;
  // 2. Collect up to `limit` lines within `maxBytes` (+1 byte to know whether the cap cut anything).
  const parts: Buffer[] = [];
  let collected = 0;
  let lines = 0;
  let done = false;
  while (!done && position < size && collected <= maxBytes) {
    const want = Math.min(CHUNK, size - position, maxBytes + 1 - collected);
    const chunk = await readAt(handle, position, want);
    if (chunk.length === 0) break;
    let take = chunk.length;
    if (limit !== undefined) {
      let at = 0;
      while (lines < limit) {
        const nl = chunk.indexOf(NEWLINE, at);
        if (nl === -1) break;
        at = nl + 1;
        lines++;
      }
      if (lines >= limit) {
        take = at;
        done = true;
      }
    }
    parts.push(take === chunk.length ? chunk : chunk.subarray(0, take));
    collected += take;
    position += take;
  }
  let body = Buffer.concat(parts, collected);
  let truncated = false;
  if (body.length > maxBytes) {
    truncated = true;
    const lastNl = body.lastIndexOf(NEWLINE, maxBytes - 1);
    const cut = lastNl >= 0 ? lastNl + 1 : utf8End(body, maxBytes);
    body = body.subarray(0, cut);
  }
  const endByte = startByte + body.length;
  const hasMore = endByte < size;
  const returnedLines = linesIn(body);
  const midLine = body.length > 0 && body[body.length - 1] !== NEWLINE;
  let nextLine: number | undefined;
  if (startLine !== undefined) nextLine = startLine + returnedLines - (midLine ? 1 : 0);
  const totalLines =
    size <= COUNT_LINES_UP_TO ? await countLines(handle, size) : !hasMore && line !== undefined ? nextLine : undefined;
  return {
    content: decode(body, startByte),
    startLine: returnedLines > 0 ? startLine : undefined,
    endLine: startLine !== undefined && returnedLines > 0 ? startLine + returnedLines - 1 : undefined,
    totalLines,
    truncated,
    hasMore,
    next: hasMore ? { byte: endByte, line: nextLine } : undefined,
    bytes: body.length,
    startByte,
  };
}

/** Read the last `count` lines (a final newline does not count as a line) within `maxBytes`. */
async function readTail(handle: ReadSource, size: number, count: number, maxBytes: number): Promise<TextRead> {
  // Walk back chunk by chunk until `count` line starts are found or the cap is reached.
  let end = size;
  if (size > 0) {
    const last = await readAt(handle, size - 1, 1);
    if (last[0] === NEWLINE) end = size - 1;
  }
  const parts: Buffer[] = [];
  let collected = 0;
  let newlines = 0;
  let position = end;
  let start = 0;
  let found = false;
  let block = TAIL_FIRST_BLOCK;
  while (position > 0 && collected <= maxBytes) {
    // Blocks grow from small: the last lines of a log are usually in its last few kilobytes.
    const length = Math.min(block, position, maxBytes + 1 - collected);
    block = Math.min(CHUNK, block * 2);
    position -= length;
    const chunk = await readAt(handle, position, length);
    parts.unshift(chunk);
    collected += chunk.length;
    let at = chunk.length;
    while (at > 0) {
      const nl = chunk.lastIndexOf(NEWLINE, at - 1);
      if (nl === -1) break;
      newlines++;
      if (newlines === count) {
        start = position + nl + 1;
        found = true;
        break;
      }
      at = nl;
    }
    if (found) break;
  }
  if (!found) start = position;
  let body = Buffer.concat(parts, collected).subarray(start - position);
  let truncated = false;
  if (body.length > maxBytes) {
    truncated = true;
    const from = body.length - maxBytes;
    const nl = body.indexOf(NEWLINE, from);
    const cut = nl !== -1 ? nl + 1 : utf8Start(body, from);
    body = body.subarray(cut);
  }
  const startByte = end - body.length;
  // Put back the final newline stepped over above, so the content is the file's own bytes.
  if (end < size) body = Buffer.concat([body, Buffer.from('\n')]);
  const totalLines = size <= COUNT_LINES_UP_TO ? await countLines(handle, size) : undefined;
  const returned = linesIn(body);
  const startsMidLine = startByte > 0 && (await readAt(handle, startByte - 1, 1))[0] !== NEWLINE;
  const startLine = totalLines !== undefined ? totalLines - returned + 1 : undefined;
  return {
    content: decode(body, startByte),
    startLine: startsMidLine ? undefined : startLine,
    endLine: totalLines,
    totalLines,
    truncated,
    hasMore: false,
    next: undefined,
    bytes: body.length,
    startByte,
  };
}

/** Cut a read to its first `limit` lines. */
function limitLines(read: TextRead, limit: number | undefined, size: number): TextRead {
  if (limit === undefined) return read;
  let at = -1;
  const content = read.content;
  for (let i = 0; i < limit; i++) {
    at = content.indexOf('\n', at + 1);
    if (at === -1) return read;
  }
  const kept = content.slice(0, at + 1);
  const bytes = Buffer.byteLength(kept);
  const hasMore = read.startByte + bytes < size;
  return {
    ...read,
    content: kept,
    bytes,
    endLine: read.startLine !== undefined ? read.startLine + limit - 1 : undefined,
    hasMore,
    next: hasMore
      ? { byte: read.startByte + bytes, line: read.startLine !== undefined ? read.startLine + limit : undefined }
      : undefined,
  };
}

/** Read part of an open text file. `size` is its size when opened. */
export async function readText(
  handle: ReadSource,
  size: number,
  window: ReadWindow,
  maxBytes: number,
): Promise<TextRead> {
  switch (window.kind) {
    case 'lines':
      return readForward(handle, size, { byte: 0, line: 1, skipLines: window.offset - 1 }, window.limit, maxBytes);
    case 'cursor':
      return readForward(handle, size, { byte: window.byte, line: window.line, skipLines: 0 }, window.limit, maxBytes);
    case 'tail':
      return limitLines(await readTail(handle, size, window.lines, maxBytes), window.limit, size);
  }
}
