/**
 * Snippets: the part of a note's body around the words a search matched, with the hits marked, so the model can
 * judge a result without reading the whole note.
 */
import type { QueryTerms } from './search-index.js';
import { tokensOf } from './terms.js';

const SCAN_CHARS = 200_000;

function matches(term: string, terms: QueryTerms): boolean {
  return terms.exact.has(term) || terms.prefixes.some((prefix) => term.startsWith(prefix));
}

/**
 * The window of about `width` characters of `body` holding the most hits, hits wrapped in `**`, with `…` where the
 * text was cut. Without a hit in the body (the title or a tag matched), the start of the body.
 */
export function snippetOf(body: string, terms: QueryTerms, width = 200): string {
  const tokens = tokensOf(body.length > SCAN_CHARS ? body.slice(0, SCAN_CHARS) : body);
  const hits = tokens.filter((token) => matches(token.term, terms));
  let start = 0;
  if (hits.length > 0) {
    // Slide a window over the hits and keep the one that holds most of them.
    let best = 0;
    let bestCount = 0;
    let j = 0;
    for (let i = 0; i < hits.length; i++) {
      while ((hits[j] as { start: number }).start < (hits[i] as { start: number }).start - width) j++;
      if (i - j + 1 > bestCount) {
        bestCount = i - j + 1;
        best = j;
      }
    }
    const first = hits[best] as { start: number };
    start = Math.max(0, first.start - Math.floor(width / 4));
    const lineStart = body.lastIndexOf('\n', first.start);
    if (lineStart >= start) start = lineStart + 1;
  }
  let end = Math.min(body.length, start + width);
  // Do not cut a word in half.
  const space = body.indexOf(' ', end);
  if (space !== -1 && space - end < 20) end = space;
  let text = '';
  let cursor = start;
  for (const hit of hits) {
    if (hit.start < start || hit.end > end) continue;
    text += `${body.slice(cursor, hit.start)}**${body.slice(hit.start, hit.end)}**`;
    cursor = hit.end;
  }
  text += body.slice(cursor, end);
  text = text.replace(/\s+/g, ' ').trim();
  return `${start > 0 ? '…' : ''}${text}${end < body.length ? '…' : ''}`;
}
