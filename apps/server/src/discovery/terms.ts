/**
 * Terms for keyword ranking: identifiers split into words (`read_text_file`, `readTextFile` → read, text, file),
 * lower-cased, stop words dropped. Queries and documents go through the same steps.
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
 * A word as a search term: lower-cased, stop words dropped (`null`). Not stemmed: a light suffix stripper (plurals,
 * -ed, -ing) ranked the benchmark's requests worse (top-1 56% vs 62%): tool text is terse, and stems such as
 * "note" → "not" meet unrelated words. Fuzzy matching catches most plural forms of longer words.
 */
export function term(word: string): string | null {
  const lower = word.toLowerCase();
  return STOP_WORDS.has(lower) ? null : lower;
}

/** The terms of a text, in order. */
export function terms(text: string): string[] {
  return words(text)
    .map(term)
    .filter((value): value is string => value !== null);
}
