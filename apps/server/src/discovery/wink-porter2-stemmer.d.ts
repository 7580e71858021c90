// wink-porter2-stemmer ships no types: one CommonJS function, word in, stem out.
declare module 'wink-porter2-stemmer' {
  /** The Porter2 (Snowball English) stem of a lower-case word. */
  const stem: (word: string) => string;
  export default stem;
}
