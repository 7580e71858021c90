/**
 * The ranker interface behind `search_tools`: built once over every tool of a composition, then asked for the
 * tools that best match a request. BM25 (bm25.ts) is the default; semantic.ts ranks by a local sentence-embedding
 * model, hybrid.ts fuses the two. A ranker sees only what tools/list shows ({@link ToolDocument}): pack authors
 * write nothing for it.
 */
import type { ToolDocument } from './tool-document.js';

/** One tool a ranker found, best first. `score` is the ranker's own (comparable within one answer only). */
export interface RankedTool {
  name: string;
  score: number;
}

/** Ranks the tools it was built over for a request in natural language. */
export interface Ranker {
  /** What it is, for logs and results: "bm25", "semantic", "hybrid". */
  readonly kind: string;
  /** The best `limit` tools for `query`, best first; fewer when fewer match at all. */
  rank(query: string, limit: number): Promise<RankedTool[]>;
}

/** Builds a ranker over a set of tools. */
export type RankerFactory = (documents: readonly ToolDocument[]) => Promise<Ranker>;
