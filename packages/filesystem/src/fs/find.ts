/** Where the searches start and what they skip there (the walking itself is `ordered-walk.ts`). */
import { IgnoreRules, rulesFor } from './ignores.js';
import type { WalkEntry } from './read-held.js';

/** Where a search starts. */
export interface FindStart {
  /** Real path of the directory. */
  readonly real: string;
  /** How the directory is named to the model (`.` for a root when it is the only one). */
  readonly display: string;
  /** Real path of its root (for `.gitignore` files above the start). */
  readonly rootPath: string;
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
