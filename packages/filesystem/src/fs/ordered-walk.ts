/**
 * A walk in one fixed order that can stop anywhere and later resume just after where it stopped, without walking
 * again what came before: depth first, each directory's entries sorted by name, a directory right before what is
 * in it. That is the order of {@link comparePaths} on the paths below the start, so a search that pages through it
 * returns its results sorted, page after page, and a page costs only the entries it covers (plus one listing per
 * level on the way back down to where the previous page stopped).
 *
 * The one walker of the pack (searches, trees, deep listings). The start is held and verified at its real path, every
 * directory below it is
 * held through its parent's descriptor and never through a link (`HeldDir.child`), and a followed link's target is
 * judged by the descriptor of what it leads to and held, verified, at its real path. A resume position is only ever
 * compared with names read from held directories; nothing is opened by it.
 *
 * Links to directories are followed (when enabled, and inside the roots) one hop from the start's own tree: a link
 * whose target is the start, inside it, or above it is listed as the link it is (what it leads to is walked at its
 * real path, or is a loop), and links met inside a followed link's target are not walked into. So the walk is the
 * same on every run and on every resume, ends, and shows each directory's contents at most once per link to it.
 */
import { type HeldDir, holdDir } from './dirfd.js';
import { fromSystemError } from './errors.js';
import type { IgnoreRules } from './ignores.js';
import { type HeldRead, type ListedEntry, readHeld, type WalkEntry } from './read-held.js';
import { isInside } from './roots.js';

/**
 * Lists many held directories at once elsewhere (a worker thread), by their descriptors: one promise per
 * directory, in order. The descriptors stay open until every promise has settled.
 */
export type ListMany = (fds: readonly number[]) => readonly Promise<readonly ListedEntry[]>[];

/** How to walk in order. */
export interface OrderedWalkOptions {
  /** The real, absolute directory to start from (not itself reported). */
  readonly start: string;
  /** How to name the start in errors. Default `.`. */
  readonly display?: string;
  /** Rules in force at `start`. */
  readonly ignore: IgnoreRules;
  /** Read `.gitignore` files met on the way. */
  readonly gitignore: boolean;
  /** Follow symbolic links whose real target `allows`. */
  readonly followSymlinks: boolean;
  readonly allows: (real: string) => boolean;
  /** Take every entry's stats (for sizes and times), through its held directory. */
  readonly stats?: boolean;
  /** Resume strictly after this path below the start (`/`-separated, as an entry's `rel`): it need not exist now. */
  readonly after?: string;
  /**
   * With `after`: resume at that path instead, visiting it again when it is still there (a search whose page ended
   * inside a file's results goes on in that file).
   */
  readonly inclusive?: boolean;
  /** Stop (with `timedOut`) once `performance.now()` passes this. */
  readonly deadline?: number;
  readonly signal?: AbortSignal;
  /**
   * Where directories read ahead are listed: default one by one on the thread pool, each a round trip between
   * threads. With this, a group at a time in one message (the main thread then does little more than hold them).
   */
  readonly listMany?: ListMany;
  /**
   * Called for each entry, in order, with the held directory it is in (valid during the call: take a lease to use it
   * later); return `false` to stop after it (the walk resumes after it), `'skip'` to not descend into a directory.
   * A promise of the verdict makes the walk wait for it (a consumer that is behind).
   */
  readonly onEntry: (entry: WalkEntry, dir: HeldDir) => Verdict | Promise<Verdict>;
}

/** What `onEntry` says about an entry. */
export type Verdict = undefined | boolean | 'skip';

/** How an ordered walk ended. */
export interface OrderedWalkSummary {
  /** True when `onEntry` stopped it, the deadline passed or the signal fired: more may follow `last`. */
  readonly stopped: boolean;
  readonly timedOut: boolean;
  /** The `rel` of the last entry visited, where a later walk resumes (`after`); absent when none was. */
  readonly last?: string;
  /** Directories that could not be read (permissions, vanished, or replaced meanwhile). */
  readonly unreadable: number;
}

interface Frame {
  readonly held: HeldDir;
  readonly entries: WalkEntry[];
  readonly rules: IgnoreRules;
  /** Inside a followed link's target: links to directories are not walked into. */
  readonly linked: boolean;
  index: number;
}

/** Directories read ahead at most at once (on the thread pool, while the walk works on what came before). */
const READ_AHEAD = 12;
/** Directories read ahead at most at once when they are listed a group at a time (`listMany`). */
const READ_AHEAD_GROUPED = 32;
/** The fewest directories listed in one group while others are still on the way. */
const GROUP_LEAST = 16;
/** How far past the next entry of a directory the walk looks for directories to read ahead. */
const LOOK_AHEAD = 48;

/** A directory being read ahead: held already, its entries on the way. */
interface Ahead {
  readonly held: Promise<HeldDir>;
  readonly listed: Promise<readonly ListedEntry[]>;
}

/** Entries between two looks at the clock, the signal and the event loop. */
const CHECK_EVERY = 128;
/** Synchronous walking, in ms, after which the event loop gets a turn. */
const SLICE_MS = 4;

const byName = (a: WalkEntry, b: WalkEntry): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * List the directories being held, once all are, in one `listMany` call (by leases on their descriptors, released
 * when it answers); one promise per directory. One that could not be held fails alone.
 */
function listGroup(helds: readonly Promise<HeldDir>[], listMany: ListMany): Promise<readonly ListedEntry[]>[] {
  const all = Promise.allSettled(helds).then((settled) => {
    const leases = settled.map((one) => (one.status === 'fulfilled' ? one.value.lease() : undefined));
    const fds: number[] = [];
    for (const lease of leases) if (lease?.fd !== undefined) fds.push(lease.fd);
    const listed = fds.length > 0 ? listMany(fds) : [];
    let next = 0;
    const out = settled.map((one, i): Promise<readonly ListedEntry[]> => {
      const lease = leases[i];
      if (one.status === 'rejected') return Promise.reject(one.reason);
      // No descriptor to list it by (no /proc): on the thread pool, as without listMany.
      if (lease?.fd === undefined) return one.value.list({ background: true });
      return (listed[next++] as Promise<readonly ListedEntry[]>).finally(() => lease.release());
    });
    for (const promise of out) promise.catch(() => {});
    return out;
  });
  all.catch(() => {});
  return helds.map((_, i) => all.then((out) => out[i] as Promise<readonly ListedEntry[]>));
}

/** Walk the tree under `options.start` in order (see the module comment), from the start or after `options.after`. */
export async function walkOrdered(options: OrderedWalkOptions): Promise<OrderedWalkSummary> {
  const display = options.display ?? '.';
  const start = options.start;
  // A link is walked into only when what it leads to is not reached otherwise (inside the start) and is no loop
  // (the start, or above it).
  const outside = (real: string) => !isInside(real, start) && !isInside(start, real);
  const read: HeldRead = {
    gitignore: options.gitignore,
    followSymlinks: options.followSymlinks,
    allows: options.allows,
    ...(options.stats ? { stats: true } : {}),
    descend: outside,
  };
  const linkedRead = { ...read, descend: () => false };
  let unreadable = 0;
  const ahead = new Map<WalkEntry, Ahead>();
  const readAheadMost = options.listMany ? READ_AHEAD_GROUPED : READ_AHEAD;

  const frame = async (
    held: HeldDir,
    dir: { abs: string; rel: string; depth: number; rules: IgnoreRules },
    linked: boolean,
    listed?: Promise<readonly ListedEntry[]>,
  ): Promise<Frame> => {
    const { entries, rules } = await readHeld(held, dir, linked ? linkedRead : read, listed);
    entries.sort(byName);
    return { held, entries, rules, linked, index: 0 };
  };

  /**
   * Hold the directory `entry` of `parent`: a followed link's target at its real path, verified; a plain directory
   * through its parent's descriptor, never through a link.
   */
  const hold = (parent: Frame, entry: WalkEntry): Promise<HeldDir> =>
    entry.link ? holdDir(entry.abs, entry.rel) : parent.held.child(entry.name, entry.rel);

  /** Start reading the next few directories of `parent` ahead, in walk order, while few are on the way. */
  const readAhead = (parent: Frame) => {
    // Listed a group at a time: wait until a group's worth of room is free (one message per directory would cost
    // the main thread what the listing saves it).
    if (options.listMany && ahead.size > 0 && readAheadMost - ahead.size < GROUP_LEAST) return;
    const end = Math.min(parent.entries.length, parent.index + LOOK_AHEAD);
    const group: WalkEntry[] = [];
    for (let i = parent.index; i < end && ahead.size + group.length < readAheadMost; i++) {
      const entry = parent.entries[i] as WalkEntry;
      if (entry.kind !== 'directory' || ahead.has(entry)) continue;
      group.push(entry);
    }
    if (group.length === 0) return;
    const helds = group.map((entry) => hold(parent, entry));
    const listedAll = options.listMany ? listGroup(helds, options.listMany) : undefined;
    for (const [i, entry] of group.entries()) {
      const held = helds[i] as Promise<HeldDir>;
      const listed = listedAll?.[i] ?? held.then((dir) => dir.list({ background: true }));
      // Failures are met (and counted) when the walk gets there; until then nothing waits on these promises.
      held.catch(() => {});
      listed.catch(() => {});
      ahead.set(entry, { held, listed });
    }
  };

  /** Hold and read the directory `entry` of `parent`; `undefined` (counted unreadable) when that fails. */
  const open = async (parent: Frame, entry: WalkEntry): Promise<Frame | undefined> => {
    const early = ahead.get(entry);
    ahead.delete(entry);
    let held: HeldDir | undefined;
    try {
      held = await (early?.held ?? hold(parent, entry));
      const child = await frame(
        held,
        { abs: entry.abs, rel: entry.rel, depth: entry.depth, rules: parent.rules },
        parent.linked || entry.link,
        early?.listed,
      );
      // What comes next first: the new directory's own subdirectories, then its next siblings.
      readAhead(child);
      readAhead(parent);
      return child;
    } catch {
      held?.close();
      unreadable++;
      return undefined;
    }
  };

  let root: HeldDir;
  try {
    root = await holdDir(start, display);
  } catch (error) {
    throw fromSystemError(error, display);
  }
  const stack: Frame[] = [];
  try {
    try {
      stack.push(await frame(root, { abs: start, rel: '', depth: 0, rules: options.ignore }, false));
      readAhead(stack[0] as Frame);
    } catch (error) {
      root.close();
      throw fromSystemError(error, display);
    }

    // Seek: at each level skip what sorts before the resume path's name there; where that name is (still) a
    // directory walked into, go down and do the same with the next name.
    const after = options.after === undefined || options.after === '' ? [] : options.after.split('/');
    for (const [i, name] of after.entries()) {
      const top = stack[stack.length - 1] as Frame;
      let index = 0;
      while (index < top.entries.length && (top.entries[index] as WalkEntry).name < name) index++;
      top.index = index;
      const found = top.entries[index];
      if (found?.name !== name) break;
      // Resuming at the path: it is visited again, and what is inside it with it.
      if (options.inclusive && i === after.length - 1) break;
      top.index = index + 1;
      if (found.kind !== 'directory') break;
      const child = await open(top, found);
      if (!child) break;
      stack.push(child);
      // The path itself was visited; what is inside it comes after it: walk all of it.
      if (i === after.length - 1) break;
    }

    let last: string | undefined;
    let count = 0;
    let sliceStart = performance.now();
    while (stack.length > 0) {
      if (++count % CHECK_EVERY === 0) {
        const now = performance.now();
        if (options.signal?.aborted) return { stopped: true, timedOut: false, ...(last ? { last } : {}), unreadable };
        if (options.deadline !== undefined && now > options.deadline) {
          return { stopped: true, timedOut: true, ...(last ? { last } : {}), unreadable };
        }
        if (now - sliceStart > SLICE_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          sliceStart = performance.now();
        }
      }
      const top = stack[stack.length - 1] as Frame;
      const entry = top.entries[top.index++];
      if (entry === undefined) {
        top.held.close();
        stack.pop();
        continue;
      }
      last = entry.rel;
      const said = options.onEntry(entry, top.held);
      const verdict = said instanceof Promise ? await said : said;
      if (verdict === false) return { stopped: true, timedOut: false, last, unreadable };
      if (entry.kind === 'directory' && verdict !== 'skip') {
        const child = await open(top, entry);
        if (child) stack.push(child);
      }
    }
    return { stopped: false, timedOut: false, ...(last ? { last } : {}), unreadable };
  } finally {
    for (const open of stack) open.held.close();
    for (const { held, listed } of ahead.values()) {
      void listed.finally(() => held.then((dir) => dir.close())).catch(() => {});
    }
  }
}
