/**
 * How text becomes search terms. It mirrors the SQLite FTS5 `unicode61 remove_diacritics 2` tokenizer the index
 * uses (letters and digits, case and accents folded), so query terms, fuzzy candidates and snippet hits agree with
 * what the index matched.
 */

const TOKEN = /[\p{L}\p{N}]+/gu;

/** Fold a term the way the index does: NFKD, combining marks dropped, lower case. */
function foldTerm(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** The folded terms of `text`, in order (duplicates kept). */
export function termsOf(text: string): string[] {
  return foldTerm(text).match(TOKEN) ?? [];
}

/** One token of a text with where it sits, for snippets. */
export interface Token {
  /** The folded term. */
  term: string;
  /** Start offset in the original text (UTF-16). */
  start: number;
  /** End offset in the original text. */
  end: number;
}

/** The tokens of `text` with their positions in the original (unfolded) text. */
export function tokensOf(text: string, limit = Number.POSITIVE_INFINITY): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(TOKEN)) {
    tokens.push({ term: foldTerm(match[0]), start: match.index, end: match.index + match[0].length });
    if (tokens.length >= limit) break;
  }
  return tokens;
}
