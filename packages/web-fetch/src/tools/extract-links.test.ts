import { readFileSync } from 'node:fs';
import { connectPack, errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { webFetchPack } from '../pack.js';
import { respond, startServer, type TestServer } from '../test-support/server.js';
import type { extractLinksOutputSchema } from './extract-links.js';

type LinksOutput = z.output<typeof extractLinksOutputSchema>;
const config = { allowAddresses: ['127.0.0.1/32'], respectRobotsTxt: false };
const docs = readFileSync(new URL('../fixtures/docs.html.fixture', import.meta.url));

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});
async function server(routes: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(routes);
  servers.push(s);
  return s;
}

describe('web_extract_links', () => {
  it('lists absolute links with their text and a same-site flag, without duplicates or self-links', async () => {
    const s = await server({ '/docs/v2/config.html': respond(docs) });
    await using conn = await connectPack(webFetchPack, { config });
    const result = await conn.callTool('extract_links', { url: `${s.origin}/docs/v2/config.html` });
    const out = structured<LinksOutput>(result);
    expect(out.title).toBe('Configuration reference — Lumen CLI documentation');
    const byUrl = new Map(out.links.map((link) => [link.url, link]));
    expect(byUrl.get(`${s.origin}/docs/v2/quick-start.html`)).toEqual({
      url: `${s.origin}/docs/v2/quick-start.html`,
      text: 'Quick start',
      sameSite: true,
    });
    expect(byUrl.get('https://git.example.org/lumen')).toMatchObject({ text: 'Source', sameSite: false });
    expect(byUrl.has(`${s.origin}/docs/v2/config.html`)).toBe(false); // the page itself (and its #anchors)
    expect(new Set(out.links.map((link) => link.url)).size).toBe(out.links.length);
    expect(out.total).toBe(out.links.length);
    expect(resultText(result)).toContain(`- [Source](https://git.example.org/lumen) (external)`);
  });

  it('filters to same-site links and pages with a cursor', async () => {
    const anchors = Array.from({ length: 25 }, (_, i) => `<a href="/p/${i}">Page ${i}</a>`).join(' ');
    const s = await server({
      '/': respond(
        `<html><body>${anchors} <a href="https://elsewhere.example/">Away</a> <a href="mailto:a@b.c">Mail</a></body></html>`,
      ),
    });
    await using conn = await connectPack(webFetchPack, { config });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const out = structured<LinksOutput>(
        await conn.callTool('extract_links', {
          url: `${s.origin}/`,
          sameSiteOnly: true,
          limit: 10,
          ...(cursor ? { cursor } : {}),
        }),
      );
      expect(out.total).toBe(25);
      seen.push(...out.links.map((link) => link.text));
      cursor = out.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `Page ${i}`));
    expect(s.requests.filter((r) => r.path === '/')).toHaveLength(1);
  });

  it('refuses what is not HTML and what the policy forbids', async () => {
    const s = await server({ '/data.json': respond('{"a":1}', { 'content-type': 'application/json' }) });
    await using conn = await connectPack(webFetchPack, { config });
    expect(errorCode(await conn.callTool('extract_links', { url: `${s.origin}/data.json` }))).toBe('not_html');
    expect(errorCode(await conn.callTool('extract_links', { url: 'http://169.254.169.254/' }))).toBe('blocked_address');
  });
});
