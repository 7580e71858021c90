/**
 * Time slicing for long work on the server's one thread (a rescan of a million files): the work calls the slicer
 * between steps, and it yields to the event loop once a slice has run for its budget, so calls keep being served.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';

/** How long one slice of background work may hold the thread, in ms. */
export const SLICE_MS = 8;

/** A function to call between steps of long work: it resolves at once, or after yielding when the slice is spent. */
export type Slicer = () => Promise<void> | undefined;

/** A slicer with a budget of `budgetMs` per slice. */
export function createSlicer(budgetMs = SLICE_MS): Slicer {
  let start = performance.now();
  return () => {
    if (performance.now() - start < budgetMs) return undefined;
    return yieldToLoop().then(() => {
      start = performance.now();
    });
  };
}
