/**
 * Hybrid ranking: BM25 and semantic rankings fused by reciprocal rank (RRF: each tool scores the sum over rankers
 * of 1 / (k + rank)). Rank fusion needs no calibration between BM25 scores and cosine similarities, and a tool that
 * both rankers place high wins over one that only one of them likes.
 */
import type { RankedTool, Ranker } from './ranker.js';

/** The RRF constant: 60 is the value of the original paper (Cormack et al., 2009), used as is. */
export const RRF_K = 60;
/** How deep each ranker's list is read before fusing. */
const DEPTH = 50;

/** Fuse `rankers` by reciprocal rank. */
export function createHybridRanker(rankers: readonly Ranker[], k = RRF_K): Ranker {
  return {
    kind: 'hybrid',
    async rank(query: string, limit: number): Promise<RankedTool[]> {
      const lists = await Promise.all(rankers.map((ranker) => ranker.rank(query, Math.max(DEPTH, limit))));
      const scores = new Map<string, number>();
      for (const list of lists) {
        list.forEach((hit, rank) => {
          scores.set(hit.name, (scores.get(hit.name) ?? 0) + 1 / (k + rank + 1));
        });
      }
      return [...scores.entries()]
        .map(([name, score]) => ({ name, score }))
        .sort((a, b) => b.score - a.score)
        .slice(0, limit);
    },
  };
}
