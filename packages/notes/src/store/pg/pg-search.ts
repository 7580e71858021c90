/**
 * Full-text search in PostgreSQL: the query's words (folded as the folder store folds them) become a `tsquery` of
 * prefix terms, all words first and any word when no note has them all; notes are ranked by `ts_rank_cd` over the
 * weighted `search` vector (title A, tags B, body C) through its GIN index.
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
 * Ranking a match costs reading its whole `search` vector (out of line, TOASTed), so, as in the folder store, a query
 * matching more notes than this is ranked among the most recently updated this many (the result says `windowed`).
 */
export const RANK_WINDOW = 1000;

/**
 * The ranked page of a search: `$1` the tsquery text, `$2` limit, `$3` offset, `$4` the tag path or NULL. Matches come
 * from the GIN index; the newest {@link RANK_WINDOW} of them are ranked (their count is the total); bodies are read for
 * the page alone. The matches are MATERIALIZED: left to itself, the planner walks the `updated` index newest first
 * and tests every row's vector (read out of line) until it has enough, about a second at 100,000 notes for a word in
 * one note of six; the GIN bitmap finds them in milliseconds.
 */
export const SEARCH_SQL = `
WITH q AS (SELECT to_tsquery('notes_text', $1) AS query),
matches AS MATERIALIZED (
  SELECT n.id, n.updated FROM notes n, q
  WHERE n.trashed IS NULL AND n.search @@ q.query AND ($4::text IS NULL OR n.tag_paths @> ARRAY[$4::text])
),
newest AS (SELECT id, updated FROM matches ORDER BY updated DESC LIMIT ${RANK_WINDOW}),
ranked AS (
  SELECT w.id, w.updated, ts_rank_cd('{0.1,0.2,0.4,1.0}', n.search, q.query, 1) AS score
  FROM newest w JOIN notes n ON n.id = w.id, q
  ORDER BY score DESC, w.updated DESC, w.id
  LIMIT $2 OFFSET $3
)
SELECT n.id, n.title, n.tags, n.created, n.updated, n.version, n.body, r.score, (SELECT count(*) FROM newest) AS total
FROM ranked r JOIN notes n ON n.id = r.id
ORDER BY r.score DESC, r.updated DESC, r.id`;
