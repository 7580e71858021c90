/**
 * A concurrent directory walk that stays inside the roots: it descends real directories, follows a symbolic
 * link only when that is enabled and the link's real target is inside the roots (and not already walked, so
 * link loops end), skips what the ignore rules exclude, and stops when asked.
 *
 * Every directory is read through a descriptor held and verified at its real path (`holdDir`), and every entry's
 * stats and every link's target are taken through that descriptor, so a directory swapped for a link to the outside
 * mid-walk shows nothing of the outside: it is skipped (counted in `unreadable`) or, met as an entry, shown as the
 * link it has become.
 */
import type { Dirent, Stats } from 'node:fs';
import path from 'node:path';
import { type HeldDir, holdDir, type LinkTarget } from './dirfd.js';
import { fromSystemError } from './errors.js';
import type { EntryKind } from './guard.js';
import { type IgnoreRules, withGitignore } from './ignores.js';

/** One entry found by a walk. */
export interface WalkEntry {
  /**
   * Absolute real path: of the entry itself, or for a followed link, of its target (inside the roots). Directories
   * are walked from it.
   */
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
  /** With `stats`: its stats (a followed link's target's), taken through the held parent; absent if it vanished. */
  readonly stats?: Stats;
}

/** How to walk. */
export interface WalkOptions {
  /** The real, absolute directory to start from (not itself reported). */
  readonly start: string;
  /** How to name the start in errors. Default `.`. */
  readonly display?: string;
  /** Deepest level reported (1 = direct children only). Default: no limit. */
  readonly maxDepth?: number;
  /** Rules in force at `start`. */
  readonly ignore: IgnoreRules;
  /** Read `.gitignore` files met on the way. */
  readonly gitignore: boolean;
  /** Follow symbolic links whose real target `allows`. */
  readonly followSymlinks: boolean;
  readonly allows: (real: string) => boolean;
  /** Take every entry's stats (for sizes and times). */
  readonly stats?: boolean;
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
  /** Directories that could not be read (permissions, vanished, or replaced meanwhile). */
  readonly unreadable: number;
}

interface Pending {
  abs: string;
  rel: string;
  depth: number;
  rules: IgnoreRules;
}

/** A directory entry as a listing gives it: a `Dirent`, or the same read elsewhere (a worker) and sent back. */
export type ListedEntry = Pick<Dirent, 'name' | 'isFile' | 'isDirectory' | 'isSymbolicLink'>;

function direntKind(dirent: ListedEntry): EntryKind {
  if (dirent.isFile()) return 'file';
  if (dirent.isDirectory()) return 'directory';
  if (dirent.isSymbolicLink()) return 'symlink';
  return 'other';
}

function statsKind(stats: Stats): EntryKind {
  return stats.isDirectory() ? 'directory' : stats.isFile() ? 'file' : 'other';
}

/** What {@link readHeld} needs to know: where the directory is, and how links are followed. */
export interface HeldRead extends Pick<WalkOptions, 'gitignore' | 'followSymlinks' | 'allows' | 'stats'> {
  /**
   * May a followed link to the directory at `real` (inside the roots) be walked into? When not, the entry stays a
   * `symlink`. Walks use it to end link loops.
   */
  readonly descend: (real: string) => boolean;
}

type Shared = HeldRead & {
  visited: Set<string>;
  display: string;
};

function shared(options: WalkOptions): Shared {
  const visited = new Set([options.start]);
  return { ...options, visited, descend: (real) => !visited.has(real), display: options.display ?? '.' };
}

/**
 * Read the held directory: its entries (links resolved, ignored ones dropped) and the rules for its children.
 * `dir.abs` is the directory's real path, `dir.rel` its path below the walk's start, `dir.rules` the rules in force;
 * `listed`, its entries when they were read already (ahead of time).
 */
export async function readHeld(
  held: HeldDir,
  dir: { readonly abs: string; readonly rel: string; readonly depth: number; readonly rules: IgnoreRules },
  options: HeldRead,
  listed?: Promise<readonly ListedEntry[]>,
): Promise<{ entries: WalkEntry[]; rules: IgnoreRules }> {
  const dirents = await (listed ?? held.list());
  let rules = dir.rules;
  if (options.gitignore && dirents.some((e) => e.name === '.gitignore' && e.isFile())) {
    rules = await withGitignore(rules, held);
  }
  const depth = dir.depth + 1;
  /** The entry for a dirent, given a followed link's target and its stats when they were asked for. */
  const build = (
    dirent: ListedEntry,
    target: LinkTarget | undefined,
    own: Stats | undefined,
  ): WalkEntry | undefined => {
    const name = dirent.name;
    const at = path.sep === '/' ? `${dir.abs === '/' ? '' : dir.abs}/${name}` : path.join(dir.abs, name);
    let abs = at;
    let kind = direntKind(dirent);
    let stats = own;
    if (target?.inside) {
      kind = statsKind(target.stats);
      stats = target.stats;
      if (kind === 'directory' && !options.descend(target.real)) kind = 'symlink';
      else abs = target.real;
    }
    if (!rules.empty && rules.ignores(at, kind === 'directory')) return undefined;
    const rel = dir.rel === '' ? name : `${dir.rel}/${name}`;
    return { abs, rel, name, kind, link: dirent.isSymbolicLink(), depth, ...(stats ? { stats } : {}) };
  };
  const entries: WalkEntry[] = [];
  const targets = new Map<string, LinkTarget | undefined>();
  if (options.followSymlinks) {
    // Only links need a call each: where each leads, judged by the descriptor of what it leads to.
    await Promise.all(
      dirents
        .filter((dirent) => dirent.isSymbolicLink())
        .map(async (dirent) => targets.set(dirent.name, await held.follow(dirent.name, options.allows))),
    );
  }
  // Stats (when asked) for every entry but links followed inside, whose target's stats are already there.
  const needStats = options.stats ? dirents.filter((dirent) => !targets.get(dirent.name)?.inside) : [];
  const stats = new Map<string, Stats | undefined>();
  if (needStats.length > 0) {
    const all = await held.lstatMany(needStats.map((dirent) => dirent.name));
    for (const [i, dirent] of needStats.entries()) stats.set(dirent.name, all[i]);
  }
  for (const dirent of dirents) {
    const item = build(dirent, targets.get(dirent.name), stats.get(dirent.name));
    if (item) entries.push(item);
  }
  return { entries, rules };
}

/**
 * Read one directory. The start must be there as it was resolved (else this throws: `changed`, or the system
 * error); a directory below it that cannot be held or read is `undefined` (the walk counts it as unreadable).
 */
async function readLevel(
  dir: Pending,
  options: Shared,
): Promise<{ entries: WalkEntry[]; rules: IgnoreRules } | undefined> {
  const isStart = dir.depth === 0;
  let held: HeldDir;
  try {
    held = await holdDir(dir.abs, isStart ? options.display : dir.rel);
  } catch (error) {
    if (isStart) throw fromSystemError(error, options.display);
    return undefined;
  }
  try {
    return await readHeld(held, dir, options);
  } catch (error) {
    if (isStart) throw fromSystemError(error, options.display);
    return undefined;
  } finally {
    held.close();
  }
}

/** Walk the tree under `options.start`, directories read concurrently; entries come in no fixed order. */
export async function walk(options: WalkOptions): Promise<WalkSummary> {
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  const concurrency = options.concurrency ?? 16;
  const walked = shared(options);
  const queue: Pending[] = [{ abs: options.start, rel: '', depth: 0, rules: options.ignore }];
  let stopped = false;
  let unreadable = 0;
  let active = 0;
  let head = 0;

  const visit = async (dir: Pending): Promise<void> => {
    const level = await readLevel(dir, walked);
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
        walked.visited.add(entry.abs);
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
  const walked = shared(options);
  let level: Pending[] = [{ abs: options.start, rel: '', depth: 0, rules: options.ignore }];
  let unreadable = 0;
  while (level.length > 0) {
    const read: (Awaited<ReturnType<typeof readLevel>> | undefined)[] = new Array(level.length);
    for (let i = 0; i < level.length; i += concurrency) {
      if (options.signal?.aborted) return { stopped: true, unreadable };
      const slice = level.slice(i, i + concurrency);
      const results = await Promise.all(slice.map((dir) => readLevel(dir, walked)));
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
          walked.visited.add(entry.abs);
          next.push({ abs: entry.abs, rel: entry.rel, depth: entry.depth, rules: result.rules });
        }
      }
    }
    level = next;
  }
  return { stopped: false, unreadable };
}
