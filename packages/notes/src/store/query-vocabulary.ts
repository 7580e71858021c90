/**
 * The query side of full-text search: the vocabulary of the full-text table (every term with how many notes hold it,
 * in MiniSearch's radix tree) and the expansion of query terms by prefix and typo against it.
 */

import { setImmediate as yieldToLoop } from 'node:timers/promises';
import SearchableMap from 'minisearch/SearchableMap';
import type { QueryTerms } from './index-entries.js';
import { termsOf } from './terms.js';
import type { Slicer } from './time-slice.js';

/** Terms of the vocabulary read per step of {@link SearchIndex.warmUp}. */
const VOCAB_STEP = 64;

/** Query terms expanded by prefix or typo keep at most this many candidates, the most frequent first. */
const MAX_EXPANSIONS = 8;

/** A term in fewer notes than this is a likely typo, so it is also matched fuzzily. */
const FUZZY_BELOW = 3;

/**
 * A term in fewer notes than this is likely a word cut short, so it is also matched by its completions. A common
 * word is matched as itself: expanding it would add the doclists of its most frequent completions, the costliest
 * part of a query, for little gain.
 */
const PREFIX_BELOW = 20;

/**
 * The FTS query groups for `text`: per query term, the term itself; for a term of 3+ letters in fewer than 20
 * notes (likely cut short), its completions; for one of 4+ letters in fewer than 3 notes (a likely typo), its
 * neighbours within 1 edit (2 from 8 letters); expansions capped at the most frequent few.
 */
export function expandQuery(
  text: string,
  prefix: boolean,
  fuzzy: boolean,
  vocabulary: SearchableMap<number> | undefined,
): { groups: string[][]; terms: QueryTerms } {
  const terms: QueryTerms = { exact: new Set(), prefixes: [] };
  const groups: string[][] = [];
  for (const term of new Set(termsOf(text))) {
    const candidates = new Map<string, number>([[term, Number.POSITIVE_INFINITY]]);
    if (vocabulary && prefix && term.length >= 3 && (vocabulary.get(term) ?? 0) < PREFIX_BELOW) {
      const completions: [string, number][] = [];
      for (const [rest, count] of vocabulary.atPrefix(term)) completions.push([rest, count]);
      completions.sort((a, b) => b[1] - a[1]);
      for (const [word, count] of completions.slice(0, MAX_EXPANSIONS))
        if (!candidates.has(word)) candidates.set(word, count);
      terms.prefixes.push(term);
    }
    // Typos in numbers are not typos: 2024 must not find 2025.
    if (vocabulary && fuzzy && term.length >= 4 && !/\d/.test(term) && (vocabulary.get(term) ?? 0) < FUZZY_BELOW) {
      const neighbours = [...vocabulary.fuzzyGet(term, term.length >= 8 ? 2 : 1)]
        .filter(([word]) => !candidates.has(word))
        .sort((a, b) => a[1][1] - b[1][1] || b[1][0] - a[1][0])
        .slice(0, MAX_EXPANSIONS);
      for (const [word, [count]] of neighbours) candidates.set(word, count);
    }
    for (const word of candidates.keys()) terms.exact.add(word);
    groups.push([...candidates.keys()].map((word) => `"${word}"`));
  }
  return { groups, terms };
}

/** A vocabulary row: a term and how many notes hold it. */
export interface VocabularyRow {
  term: string;
  doc: number;
}

/** Where a {@link QueryVocabulary} reads the terms from (the index's `vocab` table, in term order). */
export interface VocabularySource {
  isOpen(): boolean;
  /** Every term after `after`. */
  readAfter(after: string): Iterable<VocabularyRow>;
  /** At most `limit` terms after `after`. */
  readStep(after: string, limit: number): VocabularyRow[];
}

/** The vocabulary, read on first use, or ahead in slices by {@link QueryVocabulary.warmUp}; kept in step by {@link count}. */
export class QueryVocabulary {
  #map: SearchableMap<number> | undefined;
  /** The vocabulary while {@link warmUp} reads it, a slice at a time: the terms up to `after` are in `map`. */
  #warming: { map: SearchableMap<number>; after: string } | undefined;
  readonly #source: VocabularySource;

  constructor(source: VocabularySource) {
    this.#source = source;
  }

  /** The whole vocabulary; what {@link warmUp} has not read yet is read now, at once. */
  whole(): SearchableMap<number> {
    if (!this.#map) {
      const map = this.#warming?.map ?? new SearchableMap<number>();
      for (const { term, doc } of this.#source.readAfter(this.#warming?.after ?? '')) map.set(term, doc);
      this.#map = map;
      this.#warming = undefined;
    }
    return this.#map;
  }

  /** Count the terms of a note just added to the full-text table (when the vocabulary is read, or being read). */
  count(text: string): void {
    const map = this.#map ?? this.#warming?.map;
    if (!map) return;
    const readUpTo = this.#map ? undefined : this.#warming?.after;
    for (const term of new Set(termsOf(text))) {
      // While the vocabulary is read, a term past the slices read so far is counted when its slice is.
      if (readUpTo === undefined || term <= readUpTo) map.set(term, (map.get(term) ?? 0) + 1);
    }
  }

  /** Drop what was read (the full-text table was replaced). */
  forget(): void {
    this.#map = undefined;
    this.#warming = undefined;
  }

  /** Take `terms` with their note counts as the vocabulary, unless it was already read. */
  adopt(terms: readonly string[], docs: Int32Array): void {
    if (this.#map) return;
    const map = new SearchableMap<number>();
    terms.forEach((term, i) => {
      map.set(term, docs[i] ?? 0);
    });
    this.#map = map;
  }

  /** Read the vocabulary in steps between which calls are served (a search that comes first reads the rest at once). */
  async warmUp(slice: Slicer): Promise<void> {
    if (this.#map) return;
    this.#warming ??= { map: new SearchableMap<number>(), after: '' };
    const warming = this.#warming;
    // fts5vocab counts a term's notes by reading its whole doclist: a few terms per step keep each step short even
    // when a term is in most of a million notes. Terms come in order, so each step starts where the last ended.
    while (this.#source.isOpen() && this.#warming === warming) {
      const rows = this.#source.readStep(warming.after, VOCAB_STEP);
      if (rows.length === 0) {
        this.#map = warming.map;
        this.#warming = undefined;
        return;
      }
      for (const { term, doc } of rows) warming.map.set(term, doc);
      warming.after = (rows.at(-1) as VocabularyRow).term;
      await (slice() ?? yieldToLoop());
    }
  }
}
