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
 * - recognises a dead holder on this host at once (its pid is gone), and a holder on another host (network
 *   folders) by age, refreshed while held;
 * - breaks a stale lock only while holding a second, short-lived "steal" file and only if the lock still holds
 *   the same stale owner, so no two processes ever remove a lock the other just took.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';

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

/** What a lock file records about its holder. */
export interface LockOwner {
  pid: number;
  host: string;
  token: string;
  acquiredAt: string;
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
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string') {
      return value as LockOwner;
    }
  } catch {}
  return undefined;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return code(error) === 'EPERM';
  }
}

/** Create `path` holding `content`, atomically; false when it already exists. */
async function createExclusive(path: string, content: string): Promise<boolean> {
  const temp = `${path}.${crypto().randomUUID()}.tmp`;
  await fs.writeFile(temp, content);
  try {
    await fs.link(temp, path);
    return true;
  } catch (error) {
    if (code(error) === 'EEXIST') return false;
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK', 'EXDEV'].includes(code(error) ?? '')) throw error;
    // No hard links here (FAT, some network shares): fall back to O_EXCL, then fill it in.
    try {
      await fs.writeFile(path, content, { flag: 'wx' });
      return true;
    } catch (inner) {
      if (code(inner) === 'EEXIST') return false;
      throw inner;
    }
  } finally {
    await fs.unlink(temp).catch(() => {});
  }
}

async function readHolder(path: string): Promise<Holder | undefined> {
  try {
    const [raw, stat] = await Promise.all([fs.readFile(path, 'utf8'), fs.stat(path)]);
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

  constructor(path: string, options: FileLockOptions) {
    this.path = path;
    this.#options = options;
  }

  #isStale(holder: Holder, now: number): boolean {
    const owner = holder.owner;
    if (owner && owner.host === HOST && owner.pid !== process.pid) return !pidAlive(owner.pid);
    return now - holder.mtimeMs > this.#options.staleMs;
  }

  async #breakStale(holder: Holder): Promise<void> {
    const steal = `${this.path}.steal`;
    if (!(await createExclusive(steal, JSON.stringify({ pid: process.pid, host: HOST })))) {
      // Someone else is breaking it; clear their steal file only if they died doing so.
      const other = await readHolder(steal);
      if (other && Date.now() - other.mtimeMs > STEAL_STALE_MS) await fs.unlink(steal).catch(() => {});
      return;
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
  }

  /** Wait for the lock (polling with backoff), breaking it if its holder is dead. */
  async acquire(): Promise<() => Promise<void>> {
    const owner: LockOwner = {
      pid: process.pid,
      host: HOST,
      token: crypto().randomUUID(),
      acquiredAt: new Date().toISOString(),
    };
    const raw = JSON.stringify(owner);
    const deadline = Date.now() + this.#options.timeoutMs;
    let delay = 1;
    for (;;) {
      if (await createExclusive(this.path, raw)) return this.#held(raw);
      const holder = await readHolder(this.path);
      if (holder === undefined) continue;
      if (this.#isStale(holder, Date.now())) {
        await this.#breakStale(holder);
        continue;
      }
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
