/**
 * Full-text search in PostgreSQL: the query's words (folded as the folder store folds them) become a `tsquery` of
 * prefix terms, all words first and any word when no note has them all; matches come from the GIN index of
 * `note_search`, ranked by `ts_rank_cd` over the stored weighted vector (title A, tags B, body C).
 */
import type { QueryTerms } from '../search-index.js';
import { termsOf } from '../terms.js';

/** Most query words used; the rest are ignored (as a query this long says little more). */
const MAX_WORDS = 32;

/** Prefix matching starts at this many letters, as in the folder store. */
const PREFIX_MIN = 3;

/** A query's words, folded (case and accents), letters and digits only, without duplicates. */
export function queryWords(text: string): string[] {
  return [...new Set(termsOf(text))].slice(0, MAX_WORDS);
}

/**
 * The `to_tsquery` text of `words`: `word:*` for a prefix match, joined by `&` (all) or `|` (any). Safe to pass as a
 * parameter: the words hold letters and digits only, so no tsquery operator can reach it.
 */
export function tsQueryText(words: readonly string[], prefix: boolean, mode: 'all' | 'any'): string {
  return words
    .map((word) => (prefix && [...word].length >= PREFIX_MIN ? `${word}:*` : word))
    .join(mode === 'all' ? ' & ' : ' | ');
}

/** The terms snippets mark for `words`. */
export function snippetTerms(words: readonly string[], prefix: boolean): QueryTerms {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const word of words) {
    if (prefix && [...word].length >= PREFIX_MIN) prefixes.push(word);
    else exact.add(word);
  }
  return { exact, prefixes };
}

/**
 * A query matching more notes than this is ranked among the most recently updated this many (the result says
 * `windowed`), as in the folder store: ranking reads each ranked note's vector (out of line), the one cost that grows
 * with the matches.
 */
export const RANK_WINDOW = 1000;

/**
 * The ranked page of a search: `$1` the tsquery text, `$2` limit, `$3` offset, `$4` the tag path or NULL.
 *
 * Matches come from `note_search` (see migration 1765200000000): under the forced row-level security of `notes`
 * PostgreSQL cannot use a GIN index for `@@` or `@>` (they are not LEAKPROOF), so every search would read all of the
 * tenant's vectors. The newest {@link RANK_WINDOW} matches (their count is the total) are ranked with `ts_rank_cd` on
 * the stored weighted vector, title : tags : body weighing 4 : 2 : 1 as BM25's column weights do in the folder store,
 * the score divided by the note's length (of the variants measured against the folder store's BM25 on the bench's
 * corpus, the closest top 10: `pnpm bench notes-postgres`, ranking); rows, bodies included, are read from `notes` (under its policy) for the page
 * alone.
 */
export const SEARCH_SQL = `
WITH newest AS MATERIALIZED (
  SELECT s.id, s.updated, s.search FROM note_search s
  WHERE s.tenant = current_setting('mcp_notes.tenant', true) AND s.search @@ to_tsquery('notes_text', $1)
    AND ($4::text IS NULL OR s.tag_paths @> ARRAY[$4::text])
  ORDER BY s.updated DESC LIMIT ${RANK_WINDOW}
),
ranked AS (
  SELECT w.id, w.updated, ts_rank_cd('{0.25,0.25,0.5,1.0}', w.search, to_tsquery('notes_text', $1), 2) AS score
  FROM newest w
  ORDER BY score DESC, w.updated DESC, w.id
  LIMIT $2 OFFSET $3
)
SELECT n.id, n.title, n.tags, n.created, n.updated, n.version, n.body, r.score, (SELECT count(*) FROM newest) AS total
FROM ranked r JOIN notes n ON n.id = r.id
ORDER BY r.score DESC, r.updated DESC, r.id`;

/**
 * Set before a search: the planner does not count the cost of reading each vector out of line to test `@@` row by
 * row, so for a word in half the notes it prefers a sequential scan that is several times slower than the GIN bitmap.
 */
export const SEARCH_SETTINGS_SQL = 'SET LOCAL enable_seqscan = off';
