/**
 * Keyword ranking with BM25 (BM25+, as MiniSearch scores it) over five fields of each tool, weighted: the name split
 * into words (3), the title (2), parameter names (1.5), the description (1) and parameter descriptions (0.5).
 *
 * Each word is indexed twice: as written, and as its Porter2 stem (marked, so the two never meet). A request's words
 * are looked up both ways, the stems at half weight: "notes", "deleted", "deployments" find "note", "delete",
 * "deploy", while a tool that has the request's own word still ranks first. Stems alone ranked worse on the
 * benchmark (they merge words a short tool text needs to keep apart); as a back-off they rank better, and much
 * better when descriptions are short (see `pnpm bench tool-search`).
 *
 * A request word of four letters or more also matches longer words it begins ("mongo" → "mongodb", "calc" →
 * "calculate") at half weight, and a word that no tool uses at all is taken for a typo and matched fuzzily
 * ("calender"); a word that some tool uses is matched as it is.
 *
 * MiniSearch because it is already in the tree (the notes pack ranks notes with it), is small (no dependencies),
 * well kept, and does what this needs: BM25+ with per-field boosts, a term processor that may return several terms,
 * per-term boosts, prefix and fuzzy matching. The stemmer is wink-porter2-stemmer: Porter's second English stemmer
 * (the Snowball one), small (no dependencies), tested against Porter's own word list; the original Porter stemmer
 * (`stemmer`) turns "deploy" into "deploi" and "uses" into "us". Both are loaded on first use, so a server that
 * lists every tool never loads them.
 */
/// <reference path="./wink-porter2-stemmer.d.ts" />
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

/** Weight of a match on the stem only, a match on the word as written being 1. */
export const BM25_STEM_WEIGHT = 0.5;

/** Marks an indexed stem, so a stem never matches a word as written (the stem of "notes" is the word "note"). */
const STEM = '~';

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
  const [{ default: MiniSearch }, { default: stem }] = await Promise.all([
    import('minisearch'),
    import('wink-porter2-stemmer'),
  ]);
  /** Every word some tool uses, as written: a request word outside it is likely a typo. */
  const vocabulary = new Set<string>();
  const withStem = (word: string): string[] | null => {
    const written = term(word);
    return written === null ? null : [written, `${STEM}${stem(written)}`];
  };
  const fields = Object.keys(BM25_FIELD_BOOSTS) as Field[];
  const index = new MiniSearch<Record<Field, string> & { id: number }>({
    fields,
    tokenize: (text) => words(text),
    processTerm: (word, field) => {
      const terms = withStem(word);
      if (field !== undefined && terms) vocabulary.add(terms[0] as string);
      return terms;
    },
    searchOptions: {
      boost: { ...BM25_FIELD_BOOSTS },
      combineWith: 'OR',
      boostTerm: (query) => (query.startsWith(STEM) ? BM25_STEM_WEIGHT : 1),
      prefix: (query) => !query.startsWith(STEM) && query.length >= 4,
      fuzzy: (query) => (!query.startsWith(STEM) && query.length >= 5 && !vocabulary.has(query) ? 0.2 : false),
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
