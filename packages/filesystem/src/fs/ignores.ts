/**
 * What walks skip: the configured default patterns and, optionally, `.gitignore` files found on the way. Rules
 * use gitignore syntax (via the `ignore` package, the matcher ESLint and others rely on).
 */
import path from 'node:path';
import type { Ignore } from 'ignore';
import { type HeldDir, holdDir, READ_FLAGS } from './dirfd.js';
import { insidePrefix, isInside } from './roots.js';

// The matcher is loaded with the first rules, so importing the pack stays cheap.
const loadIgnore = () => import('ignore');
let ignoreModule: ReturnType<typeof loadIgnore> | undefined;

/**
 * Rules parsed lately, by their patterns: the same defaults and .gitignore files come back call after call. These
 * templates never match anything themselves (a matcher caches every path it is asked about); each walk gets a fresh
 * matcher that shares their parsed rules (`ignore().add(template)` copies the rule list, not the patterns' text).
 */
const templates = new Map<string, Ignore>();
const TEMPLATES_KEPT = 64;

/** A fresh matcher for `patterns`. */
async function matcherFor(patterns: string | readonly string[]): Promise<Ignore> {
  ignoreModule ??= loadIgnore();
  const { default: ignore } = await ignoreModule;
  // A string is a whole .gitignore file (the matcher splits its lines); an array holds one pattern each.
  const key = typeof patterns === 'string' ? `f${patterns}` : `p${patterns.join('\n')}`;
  let template = templates.get(key);
  if (!template) {
    template = ignore({ allowRelativePaths: true }).add(typeof patterns === 'string' ? patterns : [...patterns]);
    if (templates.size >= TEMPLATES_KEPT) templates.delete(templates.keys().next().value as string);
    templates.set(key, template);
  }
  return ignore({ allowRelativePaths: true }).add(template);
}

/**
 * Rules that are all plain names (`node_modules`, `.git`, `dist/`), the usual defaults and most `.gitignore` files:
 * matched by looking names up, which is what the matcher would conclude, at a fraction of its cost per entry (and
 * without the cache it keeps of every path it is asked about).
 */
interface NameRules {
  /** Lower-cased (the matcher ignores case): names that match any entry. */
  readonly any: ReadonlySet<string>;
  /** Lower-cased names that match directories only (written with a trailing `/`). */
  readonly dirs: ReadonlySet<string>;
}

/** {@link NameRules} for `patterns`, or `undefined` when any of them is more than a plain name. */
export function plainNames(patterns: string | readonly string[]): NameRules | undefined {
  const lines = typeof patterns === 'string' ? patterns.split(/\r?\n/) : patterns;
  const any = new Set<string>();
  const dirs = new Set<string>();
  for (const line of lines) {
    if (line === '' || line.startsWith('#')) continue;
    // Anything a gitignore line may give meaning to (globs, negation, escapes, spaces, anchoring) goes to the matcher.
    if (/[\s*?[\]!\\]/.test(line)) return undefined;
    const dirOnly = line.endsWith('/');
    const name = dirOnly ? line.slice(0, -1) : line;
    if (name === '' || name === '.' || name === '..' || name.includes('/')) return undefined;
    (dirOnly ? dirs : any).add(name.toLowerCase());
  }
  return { any, dirs };
}

/** Does a plain-name rule match `rel` or one of its parents (as the matcher checks parents too)? */
function matchesNames(names: NameRules, rel: string, isDir: boolean): boolean {
  let from = 0;
  for (;;) {
    const slash = rel.indexOf('/', from);
    const last = slash === -1;
    const name = (last ? rel.slice(from) : rel.slice(from, slash)).toLowerCase();
    if (names.any.has(name) || ((!last || isDir) && names.dirs.has(name))) return true;
    if (last) return false;
    from = slash + 1;
  }
}

interface Rules {
  /** The directory the rules are relative to (real, absolute), with a trailing separator. */
  readonly prefix: string;
  readonly matcher?: Ignore;
  readonly names?: NameRules;
}

/** A stack of ignore rules; immutable, so each directory of a walk can extend its parent's. */
export class IgnoreRules {
  readonly #rules: readonly Rules[];

  private constructor(rules: readonly Rules[]) {
    this.#rules = rules;
  }

  /** No rules: nothing is ignored. */
  static none(): IgnoreRules {
    return new IgnoreRules([]);
  }

  /** Rules from patterns, relative to `base` (patterns without `/` match at any depth below it). */
  static of(base: string, patterns: readonly string[]): Promise<IgnoreRules> {
    return IgnoreRules.none().with(base, patterns);
  }

  get empty(): boolean {
    return this.#rules.length === 0;
  }

  /** These rules plus `patterns` relative to `base`. */
  async with(base: string, patterns: string | readonly string[]): Promise<IgnoreRules> {
    if (patterns.length === 0) return this;
    const names = plainNames(patterns);
    const rules: Rules = names
      ? { prefix: insidePrefix(base), names }
      : { prefix: insidePrefix(base), matcher: await matcherFor(patterns) };
    return new IgnoreRules([...this.#rules, rules]);
  }

  /**
   * True when the entry at `abs` (an absolute, normalised path; a directory when `isDir`) is ignored by a rule.
   * Parents are not re-checked: walks never descend into an ignored directory.
   */
  ignores(abs: string, isDir: boolean): boolean {
    let ignored = false;
    for (const { prefix, matcher, names } of this.#rules) {
      // Strictly inside the base (both paths absolute and normalised, as walks make them), relative by slicing:
      // this runs for every entry a walk meets, and path.relative would resolve both paths each time.
      if (!abs.startsWith(prefix)) continue;
      const tail = abs.slice(prefix.length);
      const rel = path.sep === '/' ? tail : tail.split(path.sep).join('/');
      if (names) {
        if (matchesNames(names, rel, isDir)) ignored = true;
        continue;
      }
      const result = (matcher as Ignore).checkIgnore(isDir ? `${rel}/` : rel);
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  }
}

/** Largest `.gitignore` read; a bigger one is ignored (it is not a real one). */
const MAX_GITIGNORE_BYTES = 1024 * 1024;

/**
 * Read the `.gitignore` in `dir` (a held directory, or a real path to hold), if any, and add it to `rules`. Read
 * through the held directory and never through a link, as git itself does, so no outside file can steer a walk.
 */
export async function withGitignore(rules: IgnoreRules, dir: HeldDir | string): Promise<IgnoreRules> {
  let held: HeldDir | undefined;
  try {
    held = typeof dir === 'string' ? await holdDir(dir, dir) : dir;
    const handle = await held.open('.gitignore', READ_FLAGS);
    let text: string;
    try {
      const stats = await handle.stat();
      if (!stats.isFile() || stats.size > MAX_GITIGNORE_BYTES) return rules;
      text = await handle.readFile('utf8');
    } finally {
      await handle.close().catch(() => {});
    }
    return await rules.with(held.real, text);
  } catch {
    return rules;
  } finally {
    if (typeof dir === 'string') held?.close();
  }
}

/**
 * The rules in force at `start`, a directory inside `root`: the default patterns (relative to `start`) and, when
 * `gitignore` is on, every `.gitignore` from the root down to `start` (deeper ones are read by the walk).
 */
export async function rulesFor(
  root: string,
  start: string,
  options: { defaults: readonly string[]; gitignore: boolean; extra?: readonly string[] },
): Promise<IgnoreRules> {
  let rules = await IgnoreRules.of(start, [...options.defaults, ...(options.extra ?? [])]);
  if (!options.gitignore) return rules;
  const chain: string[] = [];
  for (let dir = path.dirname(start); isInside(dir, root); dir = path.dirname(dir)) {
    chain.unshift(dir);
    if (dir === root || path.dirname(dir) === dir) break;
  }
  for (const dir of chain) rules = await withGitignore(rules, dir);
  return rules;
}
