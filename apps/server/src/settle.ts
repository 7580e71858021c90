/**
 * After start-up, once the server has gone quiet: write Node's compile cache, and run one memory-reducing garbage
 * collection.
 *
 * The compile cache (turned on by the CLI) is otherwise written only when the process exits normally: a server
 * that its client kills outright (SIGKILL, a crash) would start without it every time, ~30 ms slower.
 *
 * Start-up is the busiest moment of a server's life: the SDK, zod and every pack load, and their schemas are built.
 * V8 grows its young generation for that burst and never hands the memory back on its own while the process idles,
 * which an MCP server mostly does. A memory-reducing collection (what V8 runs when the system is low on memory)
 * returns it: measured with the default config, ~89 MiB idle becomes ~74 MiB, for one ~25 ms pause.
 */
import { flushCompileCache } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ServerLog } from './log.js';

/** How long after the server starts serving: the client's start-up requests (initialize, lists) are done by then. */
export const SETTLE_DELAY_MS = 1000;

type Collect = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/**
 * Run one memory-reducing garbage collection (V8's "last resort" flavour, what it runs when the system is low on
 * memory). Node offers no API for it: V8's collector is a function only under `--expose-gc`, so when the process was
 * not started with that flag, the flag is set for as long as it takes to read `gc` from a fresh context and then
 * turned back off (the flag only decides whether new contexts get a `gc` global; nothing else changes). This is the
 * one place in the server that does so, and it is kept because it pays: ~89 MiB idle RSS becomes ~74 MiB with the
 * default config (see the server bench's idle RSS).
 */
export function compactHeap(): void {
  let collect = (globalThis as { gc?: unknown }).gc as Collect | undefined;
  if (typeof collect !== 'function') {
    setFlagsFromString('--expose-gc');
    try {
      collect = runInNewContext('gc') as Collect;
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
  }
  collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

const mib = (bytes: number) => (bytes / 1048576).toFixed(1);

/** Write the compile cache and compact the heap, once, `delayMs` from now (the timer never keeps the process alive). */
export function settleAfterStart(log: ServerLog, delayMs = SETTLE_DELAY_MS): void {
  setTimeout(() => {
    try {
      flushCompileCache();
    } catch (error) {
      log.debug(
        `start-up over: could not write the compile cache (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    try {
      const before = process.memoryUsage();
      compactHeap();
      const after = process.memoryUsage();
      log.debug(
        `start-up over: heap compacted from ${mib(before.heapTotal)} to ${mib(after.heapTotal)} MiB ` +
          `(RSS ${mib(before.rss)} to ${mib(after.rss)} MiB)`,
      );
    } catch (error) {
      log.debug(
        `start-up over: could not compact the heap (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }, delayMs).unref();
}
