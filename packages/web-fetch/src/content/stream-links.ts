/**
 * Every link of a page listed in one pass without a DOM ({@link extractLinksStreaming}).
 */
import { getDomain } from 'tldts';
import { createParser, STOP } from './linear-parser.js';
import { MAX_STREAM_ELEMENTS } from './markup-shape.js';
import { collapse, headReader } from './page-head.js';
import type { PageLink } from './page-link.js';

function siteOf(hostname: string): string {
  return getDomain(hostname, { allowPrivateDomains: false }) ?? hostname;
}

/**
 * Every http(s) link of a page in one pass, in document order, deduplicated by URL (the first text wins), without
 * links to the page itself: what `extractLinks` of the DOM path returns, for pages past its limits.
 */
export function extractLinksStreaming(
  html: string,
  pageUrl: string,
): { title: string | undefined; links: PageLink[]; cut: boolean } {
  const head = headReader(pageUrl);
  const self = new URL(pageUrl);
  self.hash = '';
  const site = siteOf(self.hostname);
  const seen = new Map<string, PageLink>();
  interface Anchor {
    url: URL | undefined;
    text: string;
    label: string;
    alt: string;
    title: string;
    rel: string | undefined;
  }
  const anchors: Anchor[] = [];
  let elements = 0;
  let cut = false;
  const add = (anchor: Anchor): void => {
    const url = anchor.url;
    if (!url) return;
    const text = (collapse(anchor.text) || anchor.label || anchor.alt || anchor.title).slice(0, 300);
    const existing = seen.get(url.href);
    if (existing) {
      if (!existing.text && text) existing.text = text;
      return;
    }
    const link: PageLink = { url: url.href, text, sameSite: siteOf(url.hostname) === site };
    if (anchor.rel) link.rel = anchor.rel;
    seen.set(url.href, link);
  };
  const linkUrl = (href: string | undefined): URL | undefined => {
    if (href === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(href.trim(), head.baseUrl);
    } catch {
      return undefined;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    url.hash = '';
    return url.href === self.href || url.username || url.password ? undefined : url;
  };
  const parser = createParser({
    onopentag(name, attributes) {
      if (++elements > MAX_STREAM_ELEMENTS) {
        cut = true;
        throw STOP;
      }
      head.onopentag(name, attributes);
      if (name === 'a' || name === 'area') {
        const anchor: Anchor = {
          url: linkUrl(attributes.href),
          text: '',
          label: collapse(attributes['aria-label'] ?? ''),
          alt: name === 'area' ? collapse(attributes.alt ?? '') : '',
          title: collapse(attributes.title ?? ''),
          rel: attributes.rel?.trim() || undefined,
        };
        if (name === 'area') add(anchor);
        else anchors.push(anchor);
      } else if (name === 'img' && attributes.alt) {
        const anchor = anchors[anchors.length - 1];
        if (anchor && !anchor.alt) anchor.alt = collapse(attributes.alt);
      }
    },
    ontext(text) {
      head.ontext(text);
      const anchor = anchors[anchors.length - 1];
      if (anchor && anchor.text.length < 1000) anchor.text += text;
    },
    onclosetag(name) {
      head.onclosetag(name);
      if (name !== 'a') return;
      const anchor = anchors.pop();
      if (anchor) add(anchor);
    },
  });
  try {
    parser.write(html);
    parser.end();
  } catch (error) {
    if (error !== STOP) throw error;
  }
  return { title: head.title(), links: [...seen.values()], cut };
}
