/**
 * What a held directory is (see `dirfd.ts` for how one is held) and the pieces both ways of holding one share: the
 * open flags, the error for something that changed since it was checked, and the check that a name is one name.
 */
import { constants, type Dirent, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { errnoCode, FsError } from './errors.js';

/** Never follow a final symbolic link (0 where the platform has no such flag). */
export const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
/** Fail unless it is a directory (0 where the platform has no such flag). */
export const O_DIRECTORY = constants.O_DIRECTORY ?? 0;
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;

/** Flags for reading a file: never through a final link, never blocking on a FIFO. */
export const READ_FLAGS = constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK;

/** The error for something that is no longer what the check found (typically swapped for a link). */
export function changed(display: string): FsError {
  return new FsError('access_denied', `${JSON.stringify(display)} changed while it was being opened.`, {
    hint: 'Something replaced it (possibly with a link out of the roots); try again once it is stable.',
  });
}

/** `name` when it is one name (not empty, `.`, `..`, nor with a `/` or NUL); `invalid_path` otherwise. */
export function checkName(name: string): string {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    throw new FsError('invalid_path', `${JSON.stringify(name)} is not a single name.`);
  }
  return name;
}

/** `undefined` for an error that means nothing is there (`ENOENT`, `ENOTDIR`); any other error is thrown. */
export function missing(error: unknown): undefined {
  const code = errnoCode(error);
  if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
  throw error;
}

/** Where a link held in a directory leads, checked by the descriptor of what it leads to. */
export interface LinkTarget {
  /** The target's real path (only meaningful when `inside`). */
  readonly real: string;
  readonly inside: boolean;
  /** The target's own stats (also for a target outside: only its kind may be told). */
  readonly stats: Stats;
}

/**
 * A claim on a held directory's descriptor for work done elsewhere (a search worker opening names in it): the
 * descriptor stays open until every lease is released, even past {@link HeldDir.close}, so its number is never
 * reused for something else while the work may still use it.
 */
export interface DirLease {
  /** The held descriptor (`/proc/self/fd/<fd>/<name>` reaches a name in it); absent where there is none (no /proc). */
  readonly fd?: number;
  /** Give the claim back (once; later calls do nothing). */
  release(): void;
}

/** A directory held open and verified; names inside it are reached through it. Close it when done. */
export interface HeldDir extends AsyncDisposable {
  /** Its real path when it was verified. */
  readonly real: string;
  /** How to name it to the model. */
  readonly display: string;
  /** A path for `name` inside it that any path-taking call can use: through the descriptor on Linux. */
  at(name: string): string;
  /**
   * Its entries, read through the descriptor. A small directory is read at once on the calling thread unless
   * `background` asks for the thread pool (a walk reading ahead, while it works on what it read before).
   */
  list(options?: { readonly background?: boolean }): Promise<Dirent[]>;
  /** The stats of `name` itself (a link is not followed); `undefined` when nothing is there. */
  lstat(name: string): Promise<Stats | undefined>;
  /**
   * The stats of many names at once, in order (`undefined` for one that is gone). On Linux they are taken
   * synchronously through the descriptor, a slice at a time with a turn of the event loop between slices: a
   * thread-pool round trip per entry costs several times the `lstat` itself.
   */
  lstatMany(names: readonly string[]): Promise<(Stats | undefined)[]>;
  /** Open `name` with `flags`, never through a final link (`ELOOP` for a link). */
  open(name: string, flags: number, mode?: number): Promise<FileHandle>;
  /** Where the link `name` leads; `undefined` when its target is missing. */
  follow(name: string, allows: (real: string) => boolean): Promise<LinkTarget | undefined>;
  /** Hold the directory `name` inside this one (never through a link). Throws `changed` for anything else. */
  child(name: string, display?: string): Promise<HeldDir>;
  mkdir(name: string): Promise<void>;
  unlink(name: string): Promise<void>;
  rmdir(name: string): Promise<void>;
  /** Throw `changed` when this is no longer the directory verified (a no-op where the descriptor is the proof). */
  check(): Promise<void>;
  /** A claim that keeps the descriptor open until released (see {@link DirLease}). */
  lease(): DirLease;
  /** Close it: at once, or when the last lease is released. */
  close(): void;
}
