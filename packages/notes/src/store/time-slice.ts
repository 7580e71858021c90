/**
 * Time slicing for long work on the server's one thread (a rescan of a million files): the work calls the slicer
 * between steps, and it yields to the event loop once a slice has run for its budget, so calls keep being served.
 *
 * Background work also gives way to calls ({@link CallGate}): while a call is being served it does not run at all
 * (each await of a call, on the file system say, would otherwise let a whole slice in before the call goes on), and
 * in the short gaps between back-to-back calls it runs in short slices only. So a rescan slows down under load
 * rather than the calls.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';

/** How long one slice of background work may hold the thread, in ms. */
export const SLICE_MS = 8;

/** The slice while calls are coming in (one arrived in the last {@link RECENT_MS}). */
export const BUSY_SLICE_MS = 1;
const RECENT_MS = 50;

/** A function to call between steps of long work: it resolves at once, or after yielding when the slice is spent. */
export type Slicer = () => Promise<void> | undefined;

/**
 * The calls a store is serving, for its background work to give way to. `urgent` work (a scan a call waits for) does
 * not give way: it would wait for the very call that waits for it.
 */
export class CallGate {
  #inFlight = 0;
  #urgent = 0;
  #lastCall = Number.NEGATIVE_INFINITY;
  #idle: { promise: Promise<void>; resolve: () => void } | undefined;

  /** Serve a call: background work waits until it is done. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    this.#inFlight++;
    this.#lastCall = performance.now();
    try {
      return await fn();
    } finally {
      this.#lastCall = performance.now();
      if (--this.#inFlight === 0 && this.#idle) {
        this.#idle.resolve();
        this.#idle = undefined;
      }
    }
  }

  /** Run `fn`, which a call waits for: background work runs at full pace meanwhile. */
  async urgent<T>(fn: () => Promise<T>): Promise<T> {
    this.#urgent++;
    this.#idle?.resolve();
    this.#idle = undefined;
    try {
      return await fn();
    } finally {
      this.#urgent--;
    }
  }

  /** Undefined when background work may go on now; else a promise of when it may. */
  wait(): Promise<void> | undefined {
    if (this.#inFlight === 0 || this.#urgent > 0) return undefined;
    if (!this.#idle) {
      let resolve = () => {};
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      this.#idle = { promise, resolve };
    }
    return this.#idle.promise;
  }

  /** The slice background work may take now, given a budget of `budgetMs` when no call is coming in. */
  budget(budgetMs: number): number {
    return this.#urgent === 0 && performance.now() - this.#lastCall < RECENT_MS ? BUSY_SLICE_MS : budgetMs;
  }
}

/** A slicer with a budget of `budgetMs` per slice, giving way to the calls of `gate` if given. */
export function createSlicer(budgetMs = SLICE_MS, gate?: CallGate): Slicer {
  let start = performance.now();
  const reset = () => {
    start = performance.now();
  };
  const resume = (): Promise<void> => {
    const waiting = gate?.wait();
    // After a call, a turn of the loop first: its reply goes out before the work resumes.
    return waiting ? waiting.then(() => yieldToLoop()).then(resume) : Promise.resolve();
  };
  return () => {
    if (gate?.wait()) return resume().then(reset);
    if (performance.now() - start < (gate ? gate.budget(budgetMs) : budgetMs)) return undefined;
    return yieldToLoop().then(resume).then(reset);
  };
}
