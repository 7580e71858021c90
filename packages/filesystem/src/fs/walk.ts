/**
 * A concurrent directory walk that stays inside the roots: it descends real directories, follows a symbolic
 * link only when that is enabled and the link's real target is inside the roots (and not already walked, so
 * link loops end), skips what the ignore rules exclude, and stops when asked.
 */
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { EntryKind } from './guard.js';
import { type IgnoreRules, withGitignore } from './ignores.js';

/** One entry found by a walk. */
export interface WalkEntry {
  /** Absolute path, real for every directory walked (children of a followed link use the link's target). */
  readonly abs: string;
  /** Relative to the walk's start, with `/` separators. */
  readonly rel: string;
  readonly name: string;
  /** What it is; for a followed link, what its target is. A link not followed stays `symlink`. */
  readonly kind: EntryKind;
  /** True when the entry is a symbolic link (followed or not). */
  readonly link: boolean;
  /** 1 for the start's direct children. */
  readonly depth: number;
}

/** How to walk. */
export interface WalkOptions {
  /** The real, absolute directory to start from (not itself reported). */
  readonly start: string;
  /** Deepest level reported (1 = direct children only). Default: no limit. */
  readonly maxDepth?: number;
  /** Rules in force at `start`. */
  readonly ignore: IgnoreRules;
  /** Read `.gitignore` files met on the way. */
  readonly gitignore: boolean;
  /** Follow symbolic links whose real target `allows`. */
  readonly followSymlinks: boolean;
  readonly allows: (real: string) => boolean;
  readonly signal?: AbortSignal;
  /** Directories read at once. Default 16. */
  readonly concurrency?: number;
  /** Called for each entry; return `false` to stop the whole walk, `'skip'` to not descend into a directory. */
  readonly onEntry: (entry: WalkEntry) => undefined | boolean | 'skip';
}

/** How a walk ended. */
export interface WalkSummary {
  /** True when `onEntry` stopped it or the signal fired. */
  readonly stopped: boolean;
  /** Directories that could not be read (permissions, vanished). */
  readonly unreadable: number;
}

interface Pending {
  abs: string;
  rel: string;
  depth: number;
  rules: IgnoreRules;
}

function direntKind(dirent: Dirent): EntryKind {
  if (dirent.isFile()) return 'file';
  if (dirent.isDirectory()) return 'directory';
  if (dirent.isSymbolicLink()) return 'symlink';
  return 'other';
}

type Shared = Pick<WalkOptions, 'gitignore' | 'followSymlinks' | 'allows'> & { visited: Set<string> };

/** Read one directory: its entries (links resolved, ignored ones dropped) and the rules for its children. */
async function readLevel(
  dir: Pending,
  options: Shared,
): Promise<{ entries: WalkEntry[]; rules: IgnoreRules } | undefined> {
  let dirents: Dirent[];
  try {
    dirents = await readdir(dir.abs, { withFileTypes: true });
  } catch {
    return undefined;
  }
  let rules = dir.rules;
  if (options.gitignore && dirents.some((e) => e.name === '.gitignore' && !e.isDirectory())) {
    rules = await withGitignore(rules, dir.abs);
  }
  const depth = dir.depth + 1;
  const entries: WalkEntry[] = [];
  for (const dirent of dirents) {
    const name = dirent.name;
    const at = path.join(dir.abs, name);
    let abs = at;
    let kind = direntKind(dirent);
    const link = kind === 'symlink';
    if (link && options.followSymlinks) {
      try {
        const real = await realpath(at);
        if (options.allows(real)) {
          const target = await stat(real);
          kind = target.isDirectory() ? 'directory' : target.isFile() ? 'file' : 'other';
          if (kind === 'directory') {
            if (options.visited.has(real)) kind = 'symlink';
            else abs = real;
          }
        }
      } catch {
        // A dangling link stays a link.
      }
    }
    if (!rules.empty && rules.ignores(at, kind === 'directory')) continue;
    entries.push({ abs, rel: dir.rel === '' ? name : `${dir.rel}/${name}`, name, kind, link, depth });
  }
  return { entries, rules };
}

/** Walk the tree under `options.start`, directories read concurrently; entries come in no fixed order. */
export async function walk(options: WalkOptions): Promise<WalkSummary> {
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  const concurrency = options.concurrency ?? 16;
  const shared: Shared = { ...options, visited: new Set([options.start]) };
  const queue: Pending[] = [{ abs: options.start, rel: '', depth: 0, rules: options.ignore }];
  let stopped = false;
  let unreadable = 0;
  let active = 0;
  let head = 0;

  const visit = async (dir: Pending): Promise<void> => {
    const level = await readLevel(dir, shared);
    if (!level) {
      unreadable++;
      return;
    }
    for (const entry of level.entries) {
      if (stopped) return;
      const verdict = options.onEntry(entry);
      if (verdict === false) {
        stopped = true;
        return;
      }
      if (entry.kind === 'directory' && verdict !== 'skip' && entry.depth < maxDepth) {
        shared.visited.add(entry.abs);
        queue.push({ abs: entry.abs, rel: entry.rel, depth: entry.depth, rules: level.rules });
      }
    }
  };

  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      if (options.signal?.aborted) stopped = true;
      if (stopped && active === 0) return resolve();
      while (!stopped && active < concurrency && head < queue.length) {
        const next = queue[head] as Pending;
        queue[head++] = undefined as never;
        active++;
        visit(next).then(
          () => {
            active--;
            pump();
          },
          (error: unknown) => {
            stopped = true;
            reject(error);
          },
        );
      }
      if (active === 0 && head >= queue.length) resolve();
    };
    pump();
  });
  return { stopped, unreadable };
}

const byName = (a: WalkEntry, b: WalkEntry): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Walk level by level, in a fixed order: every entry at depth 1 (sorted by name), then every entry at depth 2
 * (by parent, then name), and so on. When `onEntry` stops the walk, the shallow levels are complete and the cut
 * falls in the deepest level reached, the same on every run.
 */
export async function walkLevels(options: WalkOptions): Promise<WalkSummary> {
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  const concurrency = options.concurrency ?? 16;
  const shared: Shared = { ...options, visited: new Set([options.start]) };
  let level: Pending[] = [{ abs: options.start, rel: '', depth: 0, rules: options.ignore }];
  let unreadable = 0;
  while (level.length > 0) {
    const read: (Awaited<ReturnType<typeof readLevel>> | undefined)[] = new Array(level.length);
    for (let i = 0; i < level.length; i += concurrency) {
      if (options.signal?.aborted) return { stopped: true, unreadable };
      const slice = level.slice(i, i + concurrency);
      const results = await Promise.all(slice.map((dir) => readLevel(dir, shared)));
      results.forEach((result, j) => {
        read[i + j] = result;
      });
    }
    const next: Pending[] = [];
    for (const result of read) {
      if (!result) {
        unreadable++;
        continue;
      }
      for (const entry of result.entries.sort(byName)) {
        const verdict = options.onEntry(entry);
        if (verdict === false) return { stopped: true, unreadable };
        if (entry.kind === 'directory' && verdict !== 'skip' && entry.depth < maxDepth) {
          shared.visited.add(entry.abs);
          next.push({ abs: entry.abs, rel: entry.rel, depth: entry.depth, rules: result.rules });
        }
      }
    }
    level = next;
  }
  return { stopped: false, unreadable };
}
