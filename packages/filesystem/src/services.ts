/**
 * What the filesystem pack's handlers share: the config, the configured roots (resolved at mount) and, per
 * request, a path guard for the roots in force (narrowed by the client's roots when it shares some).
 */
import { type RequestContext, ToolError } from '@mcp-packs/core';
import { type FilesystemConfig, type WriteMode, writeModeOf } from './config.js';
import { PathGuard } from './fs/guard.js';
import { narrowRoots, type Root, type RootSet } from './fs/roots.js';
import type { ContentSearcher } from './fs/search-content.js';
import { CursorSeal } from './fs/signed-cursor.js';

/** The services of the filesystem pack, as every handler receives them. */
export interface FilesystemServices {
  readonly config: FilesystemConfig;
  /** The write mode in force: from `writes`, or from the deprecated `allowWrite`. */
  readonly writes: WriteMode;
  /** The configured roots, real and absolute. */
  readonly configuredRoots: readonly Root[];
  /** The roots in force for this request. */
  rootSet(context: RequestContext<unknown>): Promise<RootSet>;
  /** A path guard for the roots in force for this request. */
  guard(context: RequestContext<unknown>): Promise<PathGuard>;
  /** The content searcher (worker threads, started on first use). */
  readonly searcher: ContentSearcher;
  /**
   * Seals the cursors of paged searches, with the mount's `search-cursor` key (derived from the host's secret, so
   * every replica accepts the cursors of the others; random per process without one): see `signed-cursor.ts`.
   */
  readonly cursors: CursorSeal;
}

/** Build the services from the resolved config. */
export function createServices(
  config: FilesystemConfig,
  configuredRoots: readonly Root[],
  searcher: ContentSearcher,
  cursorKey?: Uint8Array,
): FilesystemServices {
  // Core caches the client's roots per connection and hands back the same array until the list changes, so the
  // narrowed set is computed once per list.
  const narrowed = new WeakMap<object, Promise<RootSet>>();
  const configOnly: RootSet = { roots: configuredRoots, mode: 'config', ignored: [] };
  const rootSet = async (context: RequestContext<unknown>): Promise<RootSet> => {
    let client: Awaited<ReturnType<typeof context.roots>>;
    try {
      client = await context.roots();
    } catch (error) {
      // The client narrows with roots, but its list could not be read: fail closed rather than fall back to the
      // (wider) configured roots.
      throw new ToolError('The client shares roots, but its list of roots could not be read, so no path is allowed.', {
        code: 'roots_unavailable',
        hint: 'Check the roots your client shares (each must be a file:// URI), or ask the user to fix them.',
        retryable: true,
        details: { reason: error instanceof Error ? error.message.slice(0, 200) : String(error) },
      });
    }
    if (client === undefined || client.length === 0) return configOnly;
    let pending = narrowed.get(client);
    if (!pending) {
      pending = narrowRoots(configuredRoots, client);
      narrowed.set(client, pending);
    }
    return pending;
  };
  return {
    config,
    writes: writeModeOf(config),
    configuredRoots,
    rootSet,
    guard: async (context) => new PathGuard(await rootSet(context), { followSymlinks: config.followSymlinks }),
    searcher,
    cursors: new CursorSeal(cursorKey === undefined ? {} : { key: cursorKey }),
  };
}
