/**
 * The path guard: turns a path the model wrote into a real path inside the roots in force, or refuses it.
 *
 * Every path is resolved with the operating system's `realpath`, so `..`, symbolic links (at any depth) and
 * aliases of a root are judged by where they really lead, not by how the string looks. Relative paths resolve
 * against the roots, never the process's working directory. What is there is judged through a descriptor the kernel
 * says is at the real path (`lstatExact`). The check on the string is not the last word: everything done with the
 * result goes through descriptors verified again (`open.ts`, `dirfd.ts`), so a path swapped after the check cannot
 * redirect it.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lstatExact } from './dirfd.js';
import { errnoCode, FsError } from './errors.js';
import { describeRoots, expandHome, insidePrefix, isInside, type Root, type RootSet } from './roots.js';
import { windowsStyleProblem } from './windows-paths.js';

/** Longest path we accept, in bytes (Linux's PATH_MAX). */
export const MAX_PATH_BYTES = 4096;
/** Longest single name we accept, in bytes (NAME_MAX on common file systems). */
export const MAX_NAME_BYTES = 255;

/** What a path is once resolved. */
export type EntryKind = 'file' | 'directory' | 'symlink' | 'other';

/** A path resolved inside a root. */
export interface ResolvedPath {
  /** The path as the caller gave it. */
  readonly input: string;
  /** The real absolute path (for `entry` resolution: the real parent joined with the final name). */
  readonly real: string;
  /** The root it lies in. */
  readonly root: Root;
  /** Relative to the root, with `/` separators; `''` for the root itself. */
  readonly rel: string;
  /** How to name it to the model: relative to its root (prefixed by the root's label when several are in force). */
  readonly display: string;
  /** What is there now, or `undefined` when nothing is. */
  readonly kind: EntryKind | undefined;
}

/** How to resolve a path. */
export interface ResolveOptions {
  /**
   * `target` (default): follow a final symbolic link to what it points at (reads, writes through links).
   * `entry`: resolve the parent only and keep the final name, so the operation acts on a link itself (delete,
   * move, the destination of a copy).
   */
  mode?: 'target' | 'entry';
}

function kindOf(stats: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): EntryKind {
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'directory';
  return 'other';
}

/** What is at the real path `p`, judged through a descriptor verified to be at `p` (see `lstatExact`). */
async function lstatKind(p: string, display: string): Promise<EntryKind | undefined> {
  const stats = await lstatExact(p, display);
  return stats === undefined ? undefined : kindOf(stats);
}

/** The real path of `abs`: its longest existing prefix resolved by the OS, with the missing rest appended. */
async function realOf(abs: string): Promise<{ real: string; ancestor: string; missing: string[] }> {
  const missing: string[] = [];
  let current = abs;
  for (;;) {
    try {
      const ancestor = await realpath(current);
      return { real: missing.length === 0 ? ancestor : path.join(ancestor, ...missing), ancestor, missing };
    } catch (error) {
      const code = errnoCode(error);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      const parent = path.dirname(current);
      if (parent === current) throw error;
      missing.unshift(path.basename(current));
      current = parent;
    }
  }
}

/** Resolves and checks paths against one set of roots. Create one per request (roots can change). */
export class PathGuard {
  readonly set: RootSet;
  readonly followSymlinks: boolean;

  constructor(set: RootSet, options: { followSymlinks: boolean }) {
    this.set = set;
    this.followSymlinks = options.followSymlinks;
  }

  get roots(): readonly Root[] {
    return this.set.roots;
  }

  /** The root holding a real path, if any. */
  rootOf(real: string): Root | undefined {
    return this.set.roots.find((root) => isInside(real, root.path));
  }

  /** True when a real path lies inside a root in force. */
  allows(real: string): boolean {
    return this.rootOf(real) !== undefined;
  }

  /** How to name a real path inside `root` to the model. */
  display(real: string, root: Root | undefined = this.rootOf(real)): string {
    if (!root) return '(outside the roots)';
    return this.#displayRel(relativeTo(root, real), root);
  }

  #displayRel(rel: string, root: Root): string {
    if (this.set.roots.length === 1) return rel === '' ? '.' : rel;
    return rel === '' ? root.label : `${root.label}/${rel}`;
  }

  /** A one-line statement of the roots in force, for hints. */
  describe(): string {
    return describeRoots(this.set);
  }

  /** Resolve `input` to a real path inside a root, or throw an {@link FsError}. */
  async resolve(input: string, options: ResolveOptions = {}): Promise<ResolvedPath> {
    const mode = options.mode ?? 'target';
    if (this.set.roots.length === 0) {
      throw new FsError('no_roots', 'No directory is accessible: the client narrowed the roots to none of ours.', {
        hint: 'Ask the user to share (as an MCP root) a directory inside the configured roots.',
      });
    }
    const candidates = this.candidates(checkSyntax(input));
    type Located = Awaited<ReturnType<PathGuard['locate']>> & { abs: string };
    let chosen: Located | undefined;
    let fallback: Located | undefined;
    for (const abs of candidates) {
      const located = await this.locate(abs, mode);
      if (located.kind !== undefined) {
        chosen = { abs, ...located };
        break;
      }
      if (fallback === undefined || (!fallback.parentExists && located.parentExists)) fallback = { abs, ...located };
    }
    const picked = chosen ?? (fallback as NonNullable<typeof fallback>);
    const root = this.rootOf(picked.real);
    if (!root) {
      throw new FsError(
        'access_denied',
        picked.lexicalInside
          ? `${JSON.stringify(input)} leads through a symbolic link to a place outside the allowed roots.`
          : `${JSON.stringify(input)} is outside the allowed roots.`,
        { hint: `Use a path inside the roots; ${this.describe()}. Call list_allowed_directories to see them.` },
      );
    }
    if (!this.followSymlinks) {
      const expected = mode === 'entry' ? path.join(path.dirname(picked.abs), path.basename(picked.abs)) : picked.abs;
      const lexicalRoot = this.set.roots.find((r) => isInside(picked.abs, r.path));
      if (!lexicalRoot || picked.real !== expected) {
        throw new FsError(
          'access_denied',
          `${JSON.stringify(input)} goes through a symbolic link, and following links is turned off.`,
          { hint: 'Use the real path (list_directory shows which entries are links).' },
        );
      }
    }
    return this.inside(input, picked.real, root, picked.kind);
  }

  /**
   * The first absolute path `resolve` would try for `input` (syntax checked, `~` and `file://` resolved), or
   * `undefined` when no roots are in force.
   */
  firstCandidate(input: string): string | undefined {
    if (this.set.roots.length === 0) return undefined;
    return this.candidates(checkSyntax(input))[0];
  }

  /** The resolved form of a real path already known to lie in `root` (e.g. verified by a descriptor). */
  inside(input: string, real: string, root: Root, kind: EntryKind | undefined): ResolvedPath {
    const rel = relativeTo(root, real);
    return { input, real, root, rel, display: this.#displayRel(rel, root), kind };
  }

  /** Absolute candidates for an input, in the order they are tried. */
  private candidates(input: string): string[] {
    if (path.isAbsolute(input)) return [path.resolve(input)];
    const roots = this.set.roots;
    const out: string[] = [];
    if (roots.length > 1) {
      const [first, ...rest] = input.split(/[\\/]/);
      const labelled = roots.find((root) => root.label === first);
      if (labelled) out.push(path.resolve(labelled.path, ...rest));
    }
    for (const root of roots) out.push(path.resolve(root.path, input));
    return [...new Set(out)];
  }

  /** Where an absolute candidate really leads. */
  async locate(
    abs: string,
    mode: 'target' | 'entry',
  ): Promise<{ real: string; kind: EntryKind | undefined; lexicalInside: boolean; parentExists: boolean }> {
    const lexicalInside = this.set.roots.some((root) => isInside(abs, root.path));
    const isRoot = this.set.roots.some((root) => root.path === abs);
    if (mode === 'entry' && !isRoot && path.dirname(abs) !== abs) {
      const parent = await realOf(path.dirname(abs));
      const real = path.join(parent.real, path.basename(abs));
      const kind = parent.missing.length === 0 ? await lstatKind(real, this.display(real)) : undefined;
      return { real, kind, lexicalInside, parentExists: parent.missing.length === 0 };
    }
    const { real, ancestor, missing } = await realOf(abs);
    if (missing.length === 0) {
      // Undefined when it went away since realpath: then it is not there.
      return { real, kind: await lstatKind(real, this.display(real)), lexicalInside, parentExists: true };
    }
    // Something on the way is missing. If the first missing name exists as a link, it is a dangling link: never
    // create anything through it (its target could be anywhere).
    const first = path.join(ancestor, missing[0] as string);
    if ((await lstatKind(first, this.display(first))) === 'symlink') {
      // Named as the model knows it (relative to its root): `abs` is this machine's absolute path.
      throw new FsError(
        'not_found',
        `${JSON.stringify(this.display(abs))} leads through a symbolic link (${JSON.stringify(this.display(first))}) whose target is missing.`,
        { hint: 'Use a path without the broken link.' },
      );
    }
    return { real, kind: undefined, lexicalInside, parentExists: missing.length === 1 };
  }
}

/** `real` relative to its root, with `/` separators (`''` for the root); sliced, as this runs on every call. */
function relativeTo(root: Root, real: string): string {
  if (real === root.path) return '';
  const prefix = insidePrefix(root.path);
  const tail = real.startsWith(prefix) ? real.slice(prefix.length) : path.relative(root.path, real);
  return path.sep === '/' ? tail : tail.split(path.sep).join('/');
}

/** A UTF-16 surrogate without its pair (what `String.prototype.isWellFormed` finds; our lib target predates it). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Reject what no path may contain; return the input with `~` and `file://` resolved. */
function checkSyntax(input: string): string {
  if (input.includes('\0')) {
    throw new FsError('invalid_path', 'The path contains a NUL byte.', { hint: 'Remove the \\0 character.' });
  }
  if (LONE_SURROGATE.test(input)) {
    // A lone surrogate has no UTF-8 form: the OS would get U+FFFD instead, so two different inputs (\ud800x, \udbffx)
    // would name one file.
    throw new FsError('invalid_path', 'The path contains an unpaired UTF-16 surrogate, which is not valid Unicode.', {
      hint: 'Use the exact name as list_directory shows it.',
    });
  }
  let value = input.trim() === '' ? '.' : input;
  if (value.startsWith('file:')) {
    try {
      value = fileURLToPath(value);
    } catch {
      throw new FsError('invalid_path', `${JSON.stringify(input)} is not a valid file:// URL.`, {
        hint: 'Pass a plain path instead.',
      });
    }
  }
  const windowsy = windowsStyleProblem(value);
  if (windowsy) throw new FsError('invalid_path', windowsy.message, { hint: windowsy.hint });
  value = expandHome(value);
  if (Buffer.byteLength(value) > MAX_PATH_BYTES) {
    throw new FsError('invalid_path', `The path is longer than ${MAX_PATH_BYTES} bytes.`, {
      hint: 'Use a shorter path.',
    });
  }
  for (const name of value.split(/[\\/]/)) {
    if (Buffer.byteLength(name) > MAX_NAME_BYTES) {
      throw new FsError('invalid_path', `A name in the path is longer than ${MAX_NAME_BYTES} bytes.`, {
        hint: 'Use shorter names.',
      });
    }
  }
  return value;
}
