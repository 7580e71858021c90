/**
 * Terms for keyword ranking: identifiers split into words (`read_text_file`, `readTextFile` → read, text, file),
 * lower-cased, with a light English suffix stripping so "files", "filed" and "filing" meet "file". Queries and
 * documents go through the same steps.
 */

/** Words a request is full of that say nothing about which tool it needs. */
const STOP_WORDS = new Set(
  (
    'a an and are as at be by can could do does for from give have how i if in into is it its me my of on or ' +
    'please should so some than that the their them then there these this those to us want was we what when ' +
    'where which who why will with would you your'
  ).split(' '),
);

/** Split text and identifiers into lower-case words: snake_case, kebab-case, camelCase, PascalCase, digits. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/**
 * A light suffix stripper (plural, -ed, -ing, a final -e), enough for tool text: not a full stemmer, and it need
 * not give real words, only the same term for the forms of one word.
 */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  // running → runn → run, but not "add" or "all".
  if (w.length > 4 && /([bdgmnprt])\1$/.test(w)) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

/** A word as a search term: stop words dropped (`null`), the rest stemmed. */
export function term(word: string): string | null {
  const lower = word.toLowerCase();
  return STOP_WORDS.has(lower) ? null : stem(lower);
}

/** The terms of a text, in order. */
export function terms(text: string): string[] {
  return words(text)
    .map(term)
    .filter((value): value is string => value !== null);
}
