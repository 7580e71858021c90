/**
 * Hybrid ranking: BM25 and semantic rankings fused by weighted reciprocal rank (each tool scores the sum over
 * rankers of weight / (k + rank)). Rank fusion needs no calibration between BM25 scores and cosine similarities,
 * and a tool that both rankers place high wins over one that only one of them likes.
 *
 * The defaults, k = 10 and the semantic ranker at half the weight of BM25, were chosen on the benchmark's requests
 * (`pnpm bench tool-search`, which also reports textbook RRF: k = 60, equal weights): with the Universal Sentence
 * Encoder, semantic ranking alone is well below BM25, so it should break BM25's ties and rescue its vocabulary
 * misses rather than outvote it. Neighbouring settings (k 10-20, weight 0.3-0.5) score within two points.
 */
import type { RankedTool, Ranker } from './ranker.js';

/** The RRF constant. */
export const RRF_K = 10;
/** The semantic ranker's weight in the hybrid, BM25's being 1. */
export const SEMANTIC_WEIGHT = 0.5;
/** How deep each ranker's list is read before fusing. */
const DEPTH = 50;

/** A ranker and its weight in the fusion (default 1). */
export interface WeightedRanker {
  ranker: Ranker;
  weight: number;
}

/** Fuse `rankers` by weighted reciprocal rank. */
export function createHybridRanker(rankers: readonly (Ranker | WeightedRanker)[], k = RRF_K): Ranker {
  const weighted = rankers.map((item) => ('ranker' in item ? item : { ranker: item, weight: 1 }));
  return {
    kind: 'hybrid',
    async rank(query: string, limit: number): Promise<RankedTool[]> {
      const lists = await Promise.all(weighted.map(({ ranker }) => ranker.rank(query, Math.max(DEPTH, limit))));
      const scores = new Map<string, number>();
      lists.forEach((list, i) => {
        const weight = (weighted[i] as WeightedRanker).weight;
        list.forEach((hit, rank) => {
          scores.set(hit.name, (scores.get(hit.name) ?? 0) + weight / (k + rank + 1));
        });
      });
      return [...scores.entries()]
        .map(([name, score]) => ({ name, score }))
        .sort((a, b) => b.score - a.score)
        .slice(0, limit);
    },
  };
}
