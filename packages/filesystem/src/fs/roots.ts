/**
 * Roots: the directories every path must stay inside. Configured roots are fixed at mount; the client (MCP roots
 * capability) may narrow them to directories inside them, never widen them.
 */
import { realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One directory in force. `path` is real (no symlinks) and absolute. */
export interface Root {
  /** The real, absolute path. */
  readonly path: string;
  /** A short label: the directory's base name, made unique among the roots in force. */
  readonly label: string;
  /** Where it came from: the pack's config, or a client root that narrowed a configured one. */
  readonly source: 'config' | 'client';
  /** For a client root, the configured root it narrows. */
  readonly within?: string;
}

/** A client root that was not put in force, and why. */
export interface IgnoredRoot {
  readonly uri: string;
  readonly reason: string;
}

/** The roots in force for one request. */
export interface RootSet {
  readonly roots: readonly Root[];
  /** How they were chosen, for messages and `list_allowed_directories`. */
  readonly mode: 'config' | 'narrowed-by-client';
  /** Client roots that were dropped (outside every configured root, missing, or not `file:`). */
  readonly ignored: readonly IgnoredRoot[];
}

/** Expand a leading `~` to the home directory. */
export function expandHome(input: string): string {
  if (input === '~') return homedir();
  if (input.startsWith('~/') || input.startsWith(`~${path.sep}`)) return path.join(homedir(), input.slice(2));
  return input;
}

/** True when `candidate` is `root` or inside it. Both must be absolute and normalized. */
export function isInside(candidate: string, root: string): boolean {
  return candidate === root || candidate.startsWith(insidePrefix(root));
}

/** What every path strictly inside `dir` (absolute, normalised) starts with: `dir` with a trailing separator. */
export function insidePrefix(dir: string): string {
  return dir.endsWith(path.sep) ? dir : dir + path.sep;
}

/** A problem with one configured root, keyed by its index. */
export interface RootProblem {
  readonly index: number;
  readonly message: string;
}

/**
 * Resolve configured roots: `~` expanded, made absolute (against the process's working directory, once, at
 * mount), symlinks resolved. Returns the roots, or every problem found (missing, not a directory).
 */
export async function resolveConfiguredRoots(
  inputs: readonly string[],
): Promise<{ roots: Root[]; problems: RootProblem[] }> {
  const problems: RootProblem[] = [];
  const real: string[] = [];
  for (const [index, input] of inputs.entries()) {
    if (input.includes('\0')) {
      problems.push({ index, message: 'contains a NUL byte' });
      continue;
    }
    const absolute = path.resolve(expandHome(input));
    try {
      const resolved = await realpath(absolute);
      if (!(await stat(resolved)).isDirectory()) {
        problems.push({ index, message: `${JSON.stringify(input)} is not a directory` });
        continue;
      }
      real.push(resolved);
    } catch {
      problems.push({ index, message: `${JSON.stringify(input)} does not exist (resolved to ${absolute})` });
    }
  }
  return { roots: labelled(dedupe(real).map((p) => ({ path: p, source: 'config' as const }))), problems };
}

/** Drop duplicates and roots nested in another root (the outer one already allows them). */
function dedupe(paths: readonly string[]): string[] {
  const unique = [...new Set(paths)];
  return unique.filter((p) => !unique.some((other) => other !== p && isInside(p, other)));
}

function labelled(roots: readonly Omit<Root, 'label'>[]): Root[] {
  const used = new Map<string, number>();
  return roots.map((root) => {
    const base = path.basename(root.path) || root.path;
    const count = used.get(base) ?? 0;
    used.set(base, count + 1);
    return { ...root, label: count === 0 ? base : `${base}~${count + 1}` };
  });
}

/**
 * The roots in force given the client's roots: each client root inside a configured root narrows it; a client
 * root that contains a configured root leaves that root as it is; anything else is ignored. A client without roots
 * support, or one that shares none, leaves the configured roots in force.
 */
export async function narrowRoots(
  configured: readonly Root[],
  clientRoots: readonly { uri: string; name?: string }[] | undefined,
): Promise<RootSet> {
  if (clientRoots === undefined || clientRoots.length === 0) return { roots: configured, mode: 'config', ignored: [] };
  const ignored: IgnoredRoot[] = [];
  const kept: Omit<Root, 'label'>[] = [];
  for (const { uri } of clientRoots) {
    let absolute: string;
    try {
      if (!uri.startsWith('file:')) throw new Error('not a file URI');
      absolute = path.resolve(fileURLToPath(uri));
    } catch {
      ignored.push({ uri, reason: 'not a file:// URI' });
      continue;
    }
    let real: string;
    try {
      real = await realpath(absolute);
      if (!(await stat(real)).isDirectory()) {
        ignored.push({ uri, reason: 'not a directory' });
        continue;
      }
    } catch {
      ignored.push({ uri, reason: 'does not exist on the server' });
      continue;
    }
    const parent = configured.find((root) => isInside(real, root.path));
    if (parent) {
      kept.push(
        real === parent.path ? { path: real, source: 'config' } : { path: real, source: 'client', within: parent.path },
      );
      continue;
    }
    const contained = configured.filter((root) => isInside(root.path, real));
    if (contained.length > 0) {
      kept.push(...contained.map((root) => ({ path: root.path, source: 'config' as const })));
      continue;
    }
    ignored.push({ uri, reason: 'outside every configured root, so it cannot widen access' });
  }
  const unique = dedupe(kept.map((root) => root.path));
  const roots = unique.map((p) => kept.find((root) => root.path === p) as Omit<Root, 'label'>);
  return { roots: labelled(roots), mode: 'narrowed-by-client', ignored };
}

/** One line naming the roots in force, for error messages. */
export function describeRoots(set: RootSet): string {
  if (set.roots.length === 0) return 'no roots are in force';
  const list = set.roots.map((root) => root.path).join(', ');
  return set.mode === 'config' ? `allowed roots: ${list}` : `allowed roots (narrowed by the client): ${list}`;
}
