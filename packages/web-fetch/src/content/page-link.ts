/** A link found on a page, as `extract_links` returns it. Kept free of DOM types: it is public API. */
export interface PageLink {
  /** Absolute URL, without its fragment. */
  url: string;
  /** The link text (or the image alt, aria-label or title when it has no text). */
  text: string;
  /** True when the link stays on the page's site (same registrable domain; same host for IPs and single labels). */
  sameSite: boolean;
  /** The rel attribute, when set (e.g. `nofollow`, `next`). */
  rel?: string;
}
