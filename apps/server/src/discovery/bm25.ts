/**
 * Keyword ranking with BM25 (BM25+, as MiniSearch scores it) over five fields of each tool, weighted: the name split
 * into words (3), the title (2), parameter names (1.5), the description (1) and parameter descriptions (0.5).
 *
 * MiniSearch because it is already in the tree (the notes pack ranks notes with it), is small (no dependencies),
 * well kept, and does what this needs: BM25+ with per-field boosts, a custom tokenizer and term processing, and
 * fuzzy matching for typos. Loaded on first use, so a server that lists every tool never loads it.
 */
import type { RankedTool, Ranker } from './ranker.js';
import { term, words } from './terms.js';
import type { ToolDocument } from './tool-document.js';

/** Field weights. The name says most about what a tool does; parameter descriptions least. */
export const BM25_FIELD_BOOSTS = {
  name: 3,
  title: 2,
  parameters: 1.5,
  description: 1,
  parameterDescriptions: 0.5,
} as const;

type Field = keyof typeof BM25_FIELD_BOOSTS;

function fieldsOf(document: ToolDocument, id: number): Record<Field, string> & { id: number } {
  return {
    id,
    name: document.name,
    title: document.title ?? '',
    parameters: document.parameters.map((parameter) => parameter.name).join(' '),
    description: document.description,
    parameterDescriptions: document.parameters.map((parameter) => parameter.description ?? '').join(' '),
  };
}

/** Build a BM25 ranker over `documents`. */
export async function createBm25Ranker(documents: readonly ToolDocument[]): Promise<Ranker> {
  const { default: MiniSearch } = await import('minisearch');
  const fields = Object.keys(BM25_FIELD_BOOSTS) as Field[];
  const index = new MiniSearch<Record<Field, string> & { id: number }>({
    fields,
    tokenize: (text) => words(text),
    processTerm: (word) => term(word),
    searchOptions: {
      boost: { ...BM25_FIELD_BOOSTS },
      combineWith: 'OR',
      // A typo in a longer word still finds it ("calender"); short words must match exactly.
      fuzzy: (word) => (word.length >= 6 ? 0.2 : false),
      weights: { fuzzy: 0.3, prefix: 0.5 },
    },
  });
  index.addAll(documents.map(fieldsOf));
  return {
    kind: 'bm25',
    async rank(query: string, limit: number): Promise<RankedTool[]> {
      return index
        .search(query)
        .slice(0, limit)
        .map((hit) => ({ name: (documents[hit.id as number] as ToolDocument).name, score: hit.score }));
    },
  };
}
