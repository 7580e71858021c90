/**
 * One directory of an ordered walk read into entries (`ordered-walk.ts` decides the order and what to read next):
 * its listing (given, or read through the held descriptor), the `.gitignore` there, followed links judged by what
 * they lead to, and stats taken through the held directory, never by path.
 */
import type { Dirent, Stats } from 'node:fs';
import path from 'node:path';
import type { HeldDir, LinkTarget } from './dirfd.js';
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
export interface HeldRead {
  readonly gitignore: boolean;
  readonly followSymlinks: boolean;
  readonly allows: (real: string) => boolean;
  /** Take every entry's stats (for sizes and times). */
  readonly stats?: boolean;
  /**
   * May a followed link to the directory at `real` (inside the roots) be walked into? When not, the entry stays a
   * `symlink`. Walks use it to end link loops.
   */
  readonly descend: (real: string) => boolean;
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
