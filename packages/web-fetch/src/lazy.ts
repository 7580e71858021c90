/**
 * Loading heavy dependencies on first use. The parsers, converters and HTTP client this pack builds on cost
 * hundreds of milliseconds and tens of MiB to load; importing or mounting the pack must not pay for them.
 */

/**
 * A loader that runs `load` once, on its first call, and shares the result with every later call. A load that
 * fails is tried again on the next call.
 *
 * @example
 * const loadGot = lazy(async () => (await import('got')).default);
 * const got = await loadGot();
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
