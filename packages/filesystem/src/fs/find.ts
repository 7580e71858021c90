/** Finding entries under one or more directories, by a predicate on their paths, with the ignore rules applied. */
import { IgnoreRules, rulesFor } from './ignores.js';
import { comparePaths } from './paths.js';
import { type WalkEntry, walk } from './walk.js';

/** Where a search starts. */
export interface FindStart {
  /** Real path of the directory. */
  readonly real: string;
  /** How the directory is named to the model (`.` for a root when it is the only one). */
  readonly display: string;
  /** Real path of its root (for `.gitignore` files above the start). */
  readonly rootPath: string;
}

/** One entry found. */
export interface Found {
  /** Display path: the start's display joined with the path below it. */
  readonly path: string;
  readonly abs: string;
  readonly entry: WalkEntry;
}

/** How to find. */
export interface FindOptions {
  readonly defaults: readonly string[];
  readonly exclude: readonly string[];
  readonly gitignore: boolean;
  readonly includeIgnored: boolean;
  readonly followSymlinks: boolean;
  readonly allows: (real: string) => boolean;
  readonly signal?: AbortSignal;
  /** Keep an entry? Called with its display path. */
  readonly keep: (entry: WalkEntry, path: string) => boolean;
  /** Stop after this many kept entries. */
  readonly cap: number;
}

/** Join a start's display path and a relative path. */
export function displayJoin(base: string, rel: string): string {
  return base === '.' || base === '' ? rel : `${base}/${rel}`;
}

/** The ignore rules in force at a start: the call's exclusions, plus the defaults and .gitignore files unless `includeIgnored`. */
export function startRules(
  start: FindStart,
  options: Pick<FindOptions, 'defaults' | 'exclude' | 'gitignore' | 'includeIgnored'>,
): Promise<IgnoreRules> {
  return options.includeIgnored
    ? IgnoreRules.of(start.real, options.exclude)
    : rulesFor(start.rootPath, start.real, {
        defaults: options.defaults,
        gitignore: options.gitignore,
        extra: options.exclude,
      });
}

/** Every kept entry under the starts, sorted by path; `capped` when the cap stopped the walk. */
export async function findEntries(
  starts: readonly FindStart[],
  options: FindOptions,
): Promise<{ found: Found[]; capped: boolean }> {
  const found: Found[] = [];
  let capped = false;
  for (const start of starts) {
    if (capped) break;
    const ignore = await startRules(start, options);
    await walk({
      start: start.real,
      display: start.display,
      ignore,
      gitignore: options.gitignore && !options.includeIgnored,
      followSymlinks: options.followSymlinks,
      allows: options.allows,
      ...(options.signal ? { signal: options.signal } : {}),
      onEntry: (entry) => {
        const path = displayJoin(start.display, entry.rel);
        if (!options.keep(entry, path)) return undefined;
        found.push({ path, abs: entry.abs, entry });
        if (found.length >= options.cap) {
          capped = true;
          return false;
        }
        return undefined;
      },
    });
  }
  found.sort((a, b) => comparePaths(a.path, b.path));
  return { found, capped };
}
