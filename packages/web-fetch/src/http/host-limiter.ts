/**
 * A per-host concurrency cap: at most `limit` holders per key, the rest wait in order. Waiting is abortable, and
 * a key's state is dropped as soon as nobody holds or waits for it, so the map never grows with the hosts seen.
 */

interface Waiter {
  resolve: (release: () => void) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

interface Slot {
  active: number;
  queue: Waiter[];
}

/** Limits concurrent work per key (a host name). */
export interface HostLimiter {
  /** Wait for a slot for `key`; resolves with the function that gives it back. Rejects if `signal` aborts first. */
  acquire(key: string, signal?: AbortSignal): Promise<() => void>;
  /** Holders and waiters of a key, for tests and diagnostics. */
  stats(key: string): { active: number; waiting: number };
}

/** Create a limiter allowing `limit` concurrent holders per key. */
export function createHostLimiter(limit: number): HostLimiter {
  const slots = new Map<string, Slot>();

  const releaser = (key: string, slot: Slot): (() => void) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = slot.queue.shift();
      if (next) {
        next.signal?.removeEventListener('abort', next.onAbort);
        next.resolve(releaser(key, slot));
        return;
      }
      slot.active--;
      if (slot.active === 0) slots.delete(key);
    };
  };

  return {
    acquire(key, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      let slot = slots.get(key);
      if (!slot) {
        slot = { active: 0, queue: [] };
        slots.set(key, slot);
      }
      if (slot.active < limit) {
        slot.active++;
        return Promise.resolve(releaser(key, slot));
      }
      const current = slot;
      return new Promise((resolve, reject) => {
        const waiter: Waiter = {
          resolve,
          reject,
          signal,
          onAbort: () => {
            const index = current.queue.indexOf(waiter);
            if (index >= 0) current.queue.splice(index, 1);
            reject(signal?.reason);
          },
        };
        signal?.addEventListener('abort', waiter.onAbort, { once: true });
        current.queue.push(waiter);
      });
    },
    stats(key) {
      const slot = slots.get(key);
      return { active: slot?.active ?? 0, waiting: slot?.queue.length ?? 0 };
    },
  };
}
