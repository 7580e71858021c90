/**
 * Mutual exclusion for writers: an in-process queue, and a lock file shared by every process that writes to one
 * notes folder.
 *
 * Why not `proper-lockfile`: its stale-lock recovery removes the lock by path after a `stat`, so two processes that
 * both find a stale lock can both end up holding it (moxystudio/node-proper-lockfile#121, open), which is exactly the
 * lost write this package promises against; and it only detects a crashed holder by age (at least 2 s, 10 s by
 * default). This lock:
 * - is created atomically *with* its owner record (`link` of a written temp file, which fails if the lock exists;
 *   `open(wx)` where hard links are unsupported);
 * - recognises a dead holder on this machine at once (its pid is gone, or now belongs to a process that started at
 *   another time: see {@link ./owner.ts}), and a holder on another host (network folders) by age, refreshed while
 *   held;
 * - breaks a stale lock only while holding a second, short-lived "steal" file and only if the lock still holds
 *   the same stale owner, so no two processes ever remove a lock the other just took. A steal file left by a dead
 *   process is removed at once, one left by another host after {@link STEAL_STALE_MS}.
 */
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Liveness, livenessOf, thisProcess } from './owner.js';
import { tempFileName } from './temp-files.js';

/** node:crypto on first use: loading it costs ~3 ms of a server's start. */
const crypto = () => process.getBuiltinModule('node:crypto');

/** Options of a {@link FileLock}. */
export interface FileLockOptions {
  /** A holder on another host (or whose record is unreadable) is stale after this long without a refresh. */
  staleMs: number;
  /** Give up acquiring after this long. */
  timeoutMs: number;
}

/** Thrown when the lock could not be acquired in time. */
export class LockTimeoutError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holder: LockOwner | undefined,
  ) {
    super(
      `timed out waiting for the lock ${lockPath}${holder ? ` (held by pid ${holder.pid} on ${holder.host})` : ''}`,
    );
    this.name = 'LockTimeoutError';
  }
}

/** What a lock file (or its steal file) records about its holder. */
export interface LockOwner {
  pid: number;
  host: string;
  token: string;
  acquiredAt: string;
  /** The holder's scope and start (see {@link ./owner.ts}); absent in records of earlier versions. */
  scope?: string;
  start?: string;
}

interface Holder {
  raw: string;
  owner: LockOwner | undefined;
  mtimeMs: number;
}

const HOST = os.hostname();
const STEAL_STALE_MS = 10_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function parseOwner(raw: string): LockOwner | undefined {
  try {
    const value = JSON.parse(raw) as Partial<LockOwner>;
    if (
      typeof value.pid === 'number' &&
      typeof value.host === 'string' &&
      typeof value.token === 'string' &&
      (value.scope === undefined || typeof value.scope === 'string') &&
      (value.start === undefined || typeof value.start === 'string')
    ) {
      return value as LockOwner;
    }
  } catch {}
  return undefined;
}

/** A record naming this process, for a lock or a steal file. */
function ownRecord(): LockOwner {
  const me = thisProcess();
  return {
    pid: process.pid,
    host: HOST,
    token: crypto().randomUUID(),
    acquiredAt: new Date().toISOString(),
    scope: me.scope,
    ...(me.start === undefined ? {} : { start: me.start }),
  };
}

/** Whether the holder a record names can still be alive. */
function livenessOfRecord(owner: LockOwner): Liveness {
  if (owner.scope !== undefined) return livenessOf({ scope: owner.scope, pid: owner.pid, start: owner.start });
  // A record of an earlier version: its host name is all there is to go by.
  if (owner.host !== HOST) return 'foreign';
  return livenessOf({ scope: thisProcess().scope, pid: owner.pid, start: undefined });
}

/** Create `file` holding `content`, atomically; false when it already exists. */
async function createExclusive(file: string, content: string): Promise<boolean> {
  // Named like every temp file of the store, so one left by a process killed right here is swept on the next open.
  const temp = path.join(path.dirname(file), tempFileName());
  await fs.writeFile(temp, content);
  try {
    await fs.link(temp, file);
    return true;
  } catch (error) {
    if (code(error) === 'EEXIST') return false;
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK', 'EXDEV'].includes(code(error) ?? '')) throw error;
    // No hard links here (FAT, some network shares): fall back to O_EXCL, then fill it in.
    try {
      await fs.writeFile(file, content, { flag: 'wx' });
      return true;
    } catch (inner) {
      if (code(inner) === 'EEXIST') return false;
      throw inner;
    }
  } finally {
    await fs.unlink(temp).catch(() => {});
  }
}

async function readHolder(file: string): Promise<Holder | undefined> {
  try {
    const [raw, stat] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
    return { raw, owner: parseOwner(raw), mtimeMs: stat.mtimeMs };
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * A lock file shared by processes. `acquire()` resolves with a release function once this process holds the lock.
 * Only one acquisition per process at a time is supported: serialise callers with a {@link Mutex} first.
 */
export class FileLock {
  readonly path: string;
  readonly #options: FileLockOptions;

  constructor(file: string, options: FileLockOptions) {
    this.path = file;
    this.#options = options;
  }

  get #steal(): string {
    return `${this.path}.steal`;
  }

  #isStale(holder: Holder, now: number): boolean {
    const owner = holder.owner;
    if (owner) {
      const liveness = livenessOfRecord(owner);
      if (liveness === 'dead') return true;
      // A live holder keeps its lock however long it takes; one whose pid is this process's but whose start cannot
      // be compared may be an earlier process's (a restarted container reuses pids), so age decides, as for a
      // holder on another host.
      if (liveness === 'alive' || (liveness === 'running' && owner.pid !== process.pid)) return false;
    }
    return now - holder.mtimeMs > this.#options.staleMs;
  }

  /** True when the steal file `holder` is of a process that died breaking the lock (or took far too long). */
  #stealIsStale(holder: Holder, now: number): boolean {
    if (holder.owner && livenessOfRecord(holder.owner) === 'dead') return true;
    return now - holder.mtimeMs > STEAL_STALE_MS;
  }

  /** Remove the steal file `holder` was read from, if it is still that one. */
  async #clearSteal(holder: Holder): Promise<void> {
    const again = await readHolder(this.#steal);
    if (again && again.raw === holder.raw && again.mtimeMs === holder.mtimeMs) {
      await fs.unlink(this.#steal).catch(() => {});
    }
  }

  /**
   * Break the stale lock `holder` was read from, holding the steal file. False when a live process holds the steal
   * file (it is breaking the lock): wait, as for any holder. True otherwise (look at the lock again at once).
   */
  async #breakStale(holder: Holder): Promise<boolean> {
    const steal = this.#steal;
    if (!(await createExclusive(steal, JSON.stringify(ownRecord())))) {
      // Someone else is breaking it; clear their steal file only if they died doing so.
      const other = await readHolder(steal);
      if (!other) return true;
      if (!this.#stealIsStale(other, Date.now())) return false;
      await this.#clearSteal(other);
      return true;
    }
    try {
      const again = await readHolder(this.path);
      if (again && again.raw === holder.raw && again.mtimeMs === holder.mtimeMs && this.#isStale(again, Date.now())) {
        await fs.unlink(this.path).catch((error) => {
          if (code(error) !== 'ENOENT') throw error;
        });
      }
    } finally {
      await fs.unlink(steal).catch(() => {});
    }
    return true;
  }

  /**
   * Remove the lock, and its steal file, if a dead process left them (as {@link acquire} would before taking it),
   * so a folder reopened after a crash holds nothing of the dead process. A live holder's lock is left alone.
   */
  async clearStale(): Promise<void> {
    // Mostly there is neither: say so without yielding to the event loop.
    if (!existsSync(this.path) && !existsSync(this.#steal)) return;
    // A few tries: the first may only clear a dead steal file; one held by a live process means it is breaking
    // the lock itself.
    for (let attempt = 0; attempt < 3; attempt++) {
      const holder = await readHolder(this.path);
      if (!holder || !this.#isStale(holder, Date.now()) || !(await this.#breakStale(holder))) break;
    }
    const steal = await readHolder(this.#steal);
    if (steal && this.#stealIsStale(steal, Date.now())) await this.#clearSteal(steal);
  }

  /** Wait for the lock (polling with backoff), breaking it if its holder is dead. */
  async acquire(): Promise<() => Promise<void>> {
    const owner = ownRecord();
    const raw = JSON.stringify(owner);
    const deadline = Date.now() + this.#options.timeoutMs;
    let delay = 1;
    for (;;) {
      if (await createExclusive(this.path, raw)) return this.#held(raw);
      const holder = await readHolder(this.path);
      if (holder === undefined) continue;
      if (this.#isStale(holder, Date.now()) && (await this.#breakStale(holder))) continue;
      if (Date.now() > deadline) throw new LockTimeoutError(this.path, holder.owner);
      await sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 20);
    }
  }

  #held(raw: string): () => Promise<void> {
    // Keep the lock's mtime fresh so a holder on another host is never judged stale while it works.
    const refresh = setInterval(
      () => {
        const now = new Date();
        fs.utimes(this.path, now, now).catch(() => {});
      },
      Math.max(50, Math.floor(this.#options.staleMs / 3)),
    );
    refresh.unref();
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      clearInterval(refresh);
      const current = await readHolder(this.path);
      if (current?.raw === raw) await fs.unlink(this.path).catch(() => {});
    };
  }
}

/** A FIFO mutex for one process: `run` calls its function only after every earlier call has settled. */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn, fn);
    this.#tail = result.catch(() => {});
    return result;
  }
}
