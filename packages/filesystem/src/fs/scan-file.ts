/**
 * Scanning one file in a search worker: opening it safely (through its held directory, or by real path checked
 * against the roots), skipping what is not worth reading (not a file, too large, binary), reading it into a reused
 * buffer, and matching it (`search-query.ts`).
 *
 * Loaded in the search workers: it imports only Node built-ins and its sibling `search-query.ts` (see
 * `search-worker.ts`).
 */
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  lstatSync,
  openSync,
  readlinkSync,
  readSync,
  realpathSync,
} from 'node:fs';
import { sep } from 'node:path';
import { compileQuery, needleOf, type ScanFileResult, type ScanQuery, scanBuffer } from './search-query.js';

/**
 * A file to scan. With `dir`, the name `name` in the directory held by that descriptor (a lease keeps it open until
 * the batch is answered): opened through it, never through a link, so nothing on the way can be swapped. Without
 * (a followed link, a single file, a platform without /proc), the real path `abs`, checked as {@link openChecked} says.
 */
export interface ScanFile {
  readonly abs: string;
  readonly dir?: number;
  readonly name?: string;
}

/** A batch of files for a worker. */
export interface ScanBatch {
  readonly id: number;
  readonly query: ScanQuery;
  readonly files: readonly ScanFile[];
  /** Real root paths; a descriptor that resolves elsewhere is skipped. */
  readonly roots: readonly string[];
  readonly maxFileBytes: number;
  /** Most matches kept per file. */
  readonly maxPerFile: number;
}

const SNIFF = 8192;
/** Files larger than this are sniffed for binary content before the rest is read. */
const SNIFF_FIRST = 64 * 1024;
/** The read buffer a worker keeps and reuses: files up to this size are read into it, not into a new one. */
const SHARED_BYTES = 1024 * 1024;
let shared: Buffer | undefined;
const HAS_PROC_FD = process.platform === 'linux' && existsSync('/proc/self/fd');
/** `O_PATH` (Linux; see `dirfd.ts`, which this file may not import: it loads as a worker on its own). */
const O_PATH = HAS_PROC_FD ? 0o10000000 : 0;
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const OPEN_FLAGS = constants.O_RDONLY | O_NOFOLLOW | (constants.O_NONBLOCK ?? 0);
/** Opening a name through a held directory: never a final link, never waiting on a FIFO, never taking a terminal. */
const DIR_OPEN_FLAGS = OPEN_FLAGS | (constants.O_NOCTTY ?? 0);

function inside(real: string, roots: readonly string[]): boolean {
  return roots.some((root) => real === root || real.startsWith(root.endsWith(sep) ? root : root + sep));
}

/** Read `size` bytes from `fd` from offset `from` on, into the worker's buffer when they fit (it is reused). */
function readWhole(fd: number, size: number, start?: Buffer): Buffer {
  let buffer: Buffer;
  if (size <= SHARED_BYTES) {
    shared ??= Buffer.allocUnsafe(SHARED_BYTES);
    buffer = shared.subarray(0, size);
  } else buffer = Buffer.allocUnsafe(size);
  let filled = 0;
  if (start) {
    start.copy(buffer);
    filled = start.length;
  }
  while (filled < size) {
    const n = readSync(fd, buffer, filled, size - filled, filled);
    if (n === 0) break;
    filled += n;
  }
  return filled === size ? buffer : buffer.subarray(0, filled);
}

/**
 * Open the file at `file` (a real path) for reading, or say why not. On Linux it is first named with `O_PATH`
 * (nothing is opened: no device, no FIFO), the kernel's record of that descriptor must be `file` itself, and its
 * stats decide whether it is worth reading; only then is it opened, through that descriptor. Elsewhere it is opened
 * without following a final link and its real path checked against the roots.
 */
function openChecked(
  file: string,
  batch: Pick<ScanBatch, 'roots' | 'maxFileBytes'>,
): { fd: number; size: number } | { skipped: NonNullable<ScanFileResult['skipped']> } {
  if (HAS_PROC_FD) {
    let named: number;
    try {
      named = openSync(file, O_PATH | O_NOFOLLOW);
    } catch {
      return { skipped: 'unreadable' };
    }
    try {
      if (readlinkSync(`/proc/self/fd/${named}`) !== file || !inside(file, batch.roots)) return { skipped: 'changed' };
      const stats = fstatSync(named);
      if (stats.isSymbolicLink()) return { skipped: 'changed' };
      if (!stats.isFile()) return { skipped: 'not_a_file' };
      if (stats.size > batch.maxFileBytes) return { skipped: 'too_large' };
      return { fd: openSync(`/proc/self/fd/${named}`, OPEN_FLAGS & ~O_NOFOLLOW), size: stats.size };
    } catch {
      return { skipped: 'unreadable' };
    } finally {
      closeSync(named);
    }
  }
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (error) {
    return { skipped: (error as { code?: string }).code === 'ELOOP' ? 'changed' : 'unreadable' };
  }
  try {
    const stats = fstatSync(fd);
    const now = lstatSync(file);
    if (stats.dev !== now.dev || stats.ino !== now.ino || !inside(realpathSync(file), batch.roots)) {
      closeSync(fd);
      return { skipped: 'changed' };
    }
    if (!stats.isFile()) {
      closeSync(fd);
      return { skipped: 'not_a_file' };
    }
    return { fd, size: stats.size };
  } catch {
    closeSync(fd);
    return { skipped: 'unreadable' };
  }
}

/** Open `name` in the held directory `dir` (a descriptor), or say why not. */
function openInDir(dir: number, name: string, maxFileBytes: number): ReturnType<typeof openChecked> {
  if (name === '' || name === '.' || name === '..' || name.includes('/')) return { skipped: 'unreadable' };
  let fd: number;
  try {
    fd = openSync(`/proc/self/fd/${dir}/${name}`, DIR_OPEN_FLAGS);
  } catch (error) {
    return { skipped: (error as { code?: string }).code === 'ELOOP' ? 'changed' : 'unreadable' };
  }
  try {
    const stats = fstatSync(fd);
    const skipped = !stats.isFile() ? 'not_a_file' : stats.size > maxFileBytes ? 'too_large' : undefined;
    if (skipped === undefined) return { fd, size: stats.size };
    closeSync(fd);
    return { skipped };
  } catch {
    closeSync(fd);
    return { skipped: 'unreadable' };
  }
}

/** Open, verify and scan one file. */
export function scanFile(
  file: ScanFile | string,
  batch: Pick<ScanBatch, 'query' | 'roots' | 'maxFileBytes'>,
  regexp: RegExp,
  maxMatches: number,
  needle: Buffer | undefined = needleOf(batch.query),
): ScanFileResult {
  const target = typeof file === 'string' ? { abs: file } : file;
  const opened =
    target.dir !== undefined && target.name !== undefined && HAS_PROC_FD
      ? openInDir(target.dir, target.name, batch.maxFileBytes)
      : openChecked(target.abs, batch);
  if ('skipped' in opened) return { matches: [], matchingLines: 0, skipped: opened.skipped };
  const { fd, size } = opened;
  try {
    if (size > batch.maxFileBytes) return { matches: [], matchingLines: 0, skipped: 'too_large' };
    let head: Buffer | undefined;
    if (size > SNIFF_FIRST) {
      // A large file: its first bytes tell a binary before the rest is read.
      head = readWhole(fd, SNIFF);
      if (head.indexOf(0) !== -1) return { matches: [], matchingLines: 0, skipped: 'binary' };
      head = Buffer.from(head);
    }
    const buffer = readWhole(fd, size, head);
    if (buffer.subarray(0, SNIFF).indexOf(0) !== -1) return { matches: [], matchingLines: 0, skipped: 'binary' };
    return scanBuffer(buffer, batch.query, regexp, maxMatches, needle);
  } catch {
    return { matches: [], matchingLines: 0, skipped: 'unreadable' };
  } finally {
    closeSync(fd);
  }
}

/** Scan a batch: one result per file, in order. */
export function scanBatch(batch: ScanBatch): ScanFileResult[] {
  const regexp = compileQuery(batch.query);
  const needle = needleOf(batch.query);
  return batch.files.map((file) => scanFile(file, batch, regexp, batch.maxPerFile, needle));
}
