import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { connectPack, ERROR_META_KEY, errorCode, hintsOf, resultText, structured } from '@mcp-packs/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebFetchConfigInput } from '../config.js';
import { webFetchPack } from '../pack.js';
import { respond, sleep, startServer, type TestServer } from '../test-support/server.js';
import type { fetchOutputSchema } from './fetch.js';

type FetchOutput = import('zod').z.output<typeof fetchOutputSchema>;

const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
const LOOPBACK: WebFetchConfigInput = { allowAddresses: ['127.0.0.1/32'], respectRobotsTxt: false };

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});
async function server(routes: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(routes);
  servers.push(s);
  return s;
}

describe('web_fetch: safety through the tool', () => {
  it('refuses loopback with the default config, as a policy refusal, without connecting', async () => {
    const s = await server({ '/': respond('<p>hi</p>') });
    await using conn = await connectPack(webFetchPack);
    const result = await conn.callTool('fetch', { url: `${s.origin}/` });
    expect(errorCode(result)).toBe('blocked_address');
    expect(resultText(result)).toMatch(/Refused by this server's fetch policy \(not a network failure\)/);
    expect(result._meta?.[ERROR_META_KEY]).toMatchObject({ retryable: false, details: { kind: 'policy' } });
    expect(s.connections()).toBe(0);
  });

  it('refuses a redirect chain that turns into private space, naming the hop', async () => {
    const s = await server({
      '/start': (_req, res) => {
        res.writeHead(302, { location: '/next' });
        res.end();
      },
      '/next': (_req, res) => {
        res.writeHead(301, { location: 'http://192.168.1.1/admin' });
        res.end();
      },
    });
    await using conn = await connectPack(webFetchPack, { config: LOOPBACK });
    const result = await conn.callTool('fetch', { url: `${s.origin}/start` });
    expect(errorCode(result)).toBe('blocked_address');
    expect(resultText(result)).toMatch(/192\.168\.1\.1 is a private network address/);
    expect(s.requests.map((r) => r.path)).toEqual(['/start', '/next']);
  });

  it('is mounted as web_fetch, read-only and open-world', async () => {
    await using conn = await connectPack(webFetchPack);
    const { tools } = await conn.client.listTools();
    const fetch = tools.find((tool) => tool.name === 'web_fetch');
    expect(hintsOf(fetch?.annotations)).toMatchObject({ readOnlyHint: true, openWorldHint: true });
    expect(tools.map((tool) => tool.name).sort()).toEqual(['web_extract_links', 'web_fetch']);
    expect(fetch?.outputSchema).toMatchObject({ type: 'object' });
  });

  it('is annotated as able to change things once the config allows methods beyond GET and HEAD', async () => {
    await using conn = await connectPack(webFetchPack, { config: { allowedMethods: ['GET', 'HEAD', 'POST'] } });
    const { tools } = await conn.client.listTools();
    expect(hintsOf(tools.find((tool) => tool.name === 'web_fetch')?.annotations)).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      openWorldHint: true,
    });
    await using readOnly = await connectPack(webFetchPack, {
      config: { allowedMethods: ['GET', 'POST'] },
      readOnly: true,
    });
    expect(readOnly.mounted.tools).toEqual(['web_extract_links']);
  });

  it('refuses headers and methods the config does not allow', async () => {
    await using conn = await connectPack(webFetchPack, { config: LOOPBACK });
    const auth = await conn.callTool('fetch', { url: 'http://127.0.0.1:1/', headers: { Authorization: 'Bearer x' } });
    expect(errorCode(auth)).toBe('header_not_allowed');
    const post = await conn.callTool('fetch', { url: 'http://127.0.0.1:1/', method: 'POST' });
    expect(errorCode(post)).toBe('method_not_allowed');
    // Under GET and HEAD only, body is not even listed, and a call that sends one is told to leave it out.
    const { tools } = await conn.client.listTools();
    const listed = tools.find((tool) => tool.name === 'web_fetch')?.inputSchema.properties ?? {};
    expect(Object.keys(listed)).toContain('method');
    expect(Object.keys(listed)).not.toContain('body');
    const withBody = await conn.callTool('fetch', { url: 'http://127.0.0.1:1/', method: 'POST', body: 'x' });
    expect(errorCode(withBody)).toBe('invalid_input');
    expect(JSON.stringify(withBody.content)).toContain('is not available on this server; leave it out');
  });

  it('lists body, headers and method only under a config that lets a call use them', async () => {
    const propertiesUnder = async (config: Record<string, unknown>) => {
      await using conn = await connectPack(webFetchPack, { config });
      const { tools } = await conn.client.listTools();
      return Object.keys(tools.find((tool) => tool.name === 'web_fetch')?.inputSchema.properties ?? {});
    };
    const bare = await propertiesUnder({ allowedMethods: ['GET'], allowedHeaders: [] });
    expect(bare).not.toContain('method');
    expect(bare).not.toContain('headers');
    expect(bare).not.toContain('body');
    const full = await propertiesUnder({ allowedMethods: ['GET', 'POST'] });
    expect(full).toEqual(expect.arrayContaining(['method', 'headers', 'body']));
  });

  it('sends a request body with a method the config enables', async () => {
    let received = '';
    const s = await server({
      '/echo': async (req, res) => {
        for await (const chunk of req) received += chunk;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ got: received }));
      },
    });
    await using conn = await connectPack(webFetchPack, { config: { ...LOOPBACK, allowedMethods: ['GET', 'POST'] } });
    const out = structured<FetchOutput>(
      await conn.callTool('fetch', { url: `${s.origin}/echo`, method: 'POST', body: 'ping' }),
    );
    expect(received).toBe('ping');
    expect(out.content).toContain('"got": "ping"');
  });

  it('clamps timeoutMs to the configured maximum', async () => {
    const s = await server({ '/hang': () => new Promise(() => {}) });
    await using conn = await connectPack(webFetchPack, { config: { ...LOOPBACK, timeoutMs: 200, maxTimeoutMs: 300 } });
    const started = Date.now();
    const result = await conn.callTool('fetch', { url: `${s.origin}/hang`, timeoutMs: 60_000 });
    expect(errorCode(result)).toBe('timeout');
    expect(resultText(result)).toMatch(/300 ms/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('cancelling the call aborts the request', async () => {
    let socketClosed = false;
    const s = await server({
      '/slow': (req) =>
        new Promise<void>((resolve) => {
          req.socket.on('close', () => {
            socketClosed = true;
            resolve();
          });
        }),
    });
    await using conn = await connectPack(webFetchPack, { config: LOOPBACK });
    const controller = new AbortController();
    const pending = conn.callTool('fetch', { url: `${s.origin}/slow` }, { signal: controller.signal });
    await sleep(150);
    controller.abort();
    await expect(pending).rejects.toThrow();
    for (let i = 0; i < 20 && !socketClosed; i++) await sleep(25);
    expect(socketClosed).toBe(true);
  });
});

describe('web_fetch: output', () => {
  it('turns an article without landmarks into clean Markdown via Readability', async () => {
    const s = await server({ '/travel/night-trains': respond(fixture('article.html.fixture')) });
    await using conn = await connectPack(webFetchPack, { config: LOOPBACK });
    const result = await conn.callTool('fetch', { url: `${s.origin}/travel/night-trains` });
    const out = structured<FetchOutput>(result);
    expect(out).toMatchObject({
      status: 200,
      title: 'Why the Night Trains Are Coming Back | The Harbour Gazette',
      format: 'markdown',
      kind: 'html',
      extraction: 'readability',
      charset: 'utf-8',
      truncated: false,
    });
    const md = out.content;
    expect(md).toContain('## The routes that returned');
    expect(md).toContain(`[2025 rail market report](${s.origin}/reports/rail-2025.pdf)`);
    expect(md).toContain('- **Northern Line Express** – three nights a week, with a dining car');
    expect(md).toContain(`![A two-berth sleeper cabin with fold-down beds](${s.origin}/images/sleeper-cabin.jpg)`);
    expect(md).toMatch(/^> "We could fill twice as many trains/m);
    for (const noise of ['cookies', 'Subscribe', 'Post comment', 'Most read', 'Advertisement', 'dataLayer', '©']) {
      expect(md).not.toContain(noise);
    }
    const text = resultText(result);
    expect(text.startsWith('# Why the Night Trains Are Coming Back')).toBe(true);
    expect(text).toContain(`URL: ${s.origin}/travel/night-trains (HTTP 200, text/html; charset=utf-8)`);
  });

  it('uses the <main> landmark of a documentation page: code, tables, nested lists, base href', async () => {
    const s = await server({ '/docs/v2/config.html': respond(fixture('docs.html.fixture')) });
    await using conn = await connectPack(webFetchPack, { config: LOOPBACK });
    const out = structured<FetchOutput>(await conn.callTool('fetch', { url: `${s.origin}/docs/v2/config.html` }));
    expect(out.extraction).toBe('landmark');
    const md = out.content;
    expect(md.startsWith('# Configuration reference')).toBe(true);
    expect(md).toContain('```toml\n[build]\nout_dir = "dist"');
    expect(md).toContain('| Key | Type | Default | Meaning |\n| --- | --- | --- | --- |');
    expect(md).toContain('| `server.port` | integer | `3000` | Port of the dev server; _0_ picks one |');
    expect(md).toContain('2. Environment variables:\n   - `LUMEN_PORT`');
    expect(md).toContain(`[Quick start](${s.origin}/docs/v2/quick-start.html)`);
    expect(md).toContain('~~Port~~');
    for (const noise of ['Installation', 'Changelog', 'Guide', 'search']) expect(md).not.toContain(noise);
  });

  it('decodes a Latin-1 page served as UTF-8, says so, and unrolls its layout table', async () => {
    const s = await server({
      '/karte.html': respond(fixture('legacy-latin1.html.fixture'), { 'content-type': 'text/html; charset=utf-8' }),
      '/meta-only.html': respond(fixture('legacy-latin1.html.fixture'), { 'content-type': 'text/html' }),
    });
    await using conn = await connectPack(webFetchPack, { config: LOOPBACK });
    const wrong = structured<FetchOutput>(await conn.callTool('fetch', { url: `${s.origin}/karte.html` }));
    expect(wrong.charset).toBe('windows-1252');
    expect(wrong.title).toBe('Café Müller – Speisekarte');
    expect(wrong.content).toContain('Apfelstrudel mit Vanillesauce für nur 4,50 € – solange der Vorrat reicht.');
    expect(wrong.content).toContain('„Der beste Strudel der Stadt“');
    expect(wrong.content).not.toContain('\uFFFD');
    expect(wrong.content).not.toMatch(/^\|/m);
    expect(wrong.notes.join(' ')).toMatch(/declared UTF-8 but is not valid UTF-8/);
    const meta = structured<FetchOutput>(await conn.callTool('fetch', { url: `${s.origin}/meta-only.html` }));
    expect(meta.charset).toBe('windows-1252');
    expect(meta.notes).toEqual([]);
    expect(meta.content).toContain('Größere Bestellungen');
  });

  it('returns text, cleaned html and raw formats', async () => {
    const s = await server({ '/docs/v2/config.html': respond(fixture('docs.html.fixture')) });
    await using conn = await connectPack(webFetchPack, { config: LOOPBACK });
    const url = `${s.origin}/docs/v2/config.html`;
    const text = structured<FetchOutput>(await conn.callTool('fetch', { url, format: 'text' })).content;
    expect(text).toContain('Configuration reference');
    expect(text).toContain('[build]\nout_dir = "dist"');
    expect(text).not.toMatch(/<\/?[a-z]+[^>]*>/);
    const html = structured<FetchOutput>(await conn.callTool('fetch', { url, format: 'html' })).content;
    expect(html.startsWith('<main')).toBe(true);
    expect(html).toContain(`href="${s.origin}/docs/v2/quick-start.html"`);
    expect(html).not.toContain('<script');
    const raw = structured<FetchOutput>(await conn.callTool('fetch', { url, format: 'raw' }));
    expect(raw.content).toBe(fixture('docs.html.fixture').toString('utf8'));
    expect(raw.extraction).toBe('none');
  });

  it('converts the whole page when mainContent is false', async () => {
    const s = await server({ '/docs/v2/config.html': respond(fixture('docs.html.fixture')) });
    await using conn = await connectPack(webFetchPack, { config: LOOPBACK });
    const out = structured<FetchOutput>(
      await conn.callTool('fetch', { url: `${s.origin}/docs/v2/config.html`, mainContent: false }),
    );
    expect(out.extraction).toBe('page');
    expect(out.content).toContain('[Installation]');
    expect(out.content).toContain('Changelog');
  });

  it('pretty-prints JSON and passes plain text through', async () => {
    const s = await server({
      '/api': respond('{"name":"lumen","tags":["a","b"],"n":1}', { 'content-type': 'application/vnd.api+json' }),
      '/notes.txt': respond('line one\nline two', { 'content-type': 'text/plain; charset=utf-8' }),
    });
    await using conn = await connectPack(webFetchPack, { config: LOOPBACK });
    const json = structured<FetchOutput>(await conn.callTool('fetch', { url: `${s.origin}/api` }));
    expect(json.kind).toBe('json');
    expect(json.content).toBe('{\n  "name": "lumen",\n  "tags": [\n    "a",\n    "b"\n  ],\n  "n": 1\n}');
    const txt = structured<FetchOutput>(await conn.callTool('fetch', { url: `${s.origin}/notes.txt` }));
    expect(txt.content).toBe('line one\nline two');
  });

  it('converts a page past the DOM limits in one pass, and lists its links, saying so', async () => {
    const items = Array.from({ length: 12_000 }, (_, i) => `<li><a href="/item/${i}">item ${i}</a></li>`).join('');
    const deep = `${'<div>'.repeat(5000)}<p>deep text</p>`;
    const s = await server({
      '/many': respond(`<html><head><title>Many</title></head><body><nav>menu</nav><ul>${items}</ul></body></html>`),
      '/deep': respond(`<html><body>${deep}</body></html>`),
      '/json': respond(`${'['.repeat(5000)}${']'.repeat(5000)}`, { 'content-type': 'application/json' }),
    });
    await using conn = await connectPack(webFetchPack, { config: LOOPBACK });
    const many = structured<FetchOutput>(await conn.callTool('fetch', { url: `${s.origin}/many`, maxLength: 200 }));
    expect(many).toMatchObject({ kind: 'html', extraction: 'streamed', title: 'Many', truncated: true });
    expect(many.content).toMatch(/^- \[item 0\]\(http:\/\/127\.0\.0\.1:\d+\/item\/0\)\n- \[item 1\]/);
    expect(many.notes.join(' ')).toMatch(/more than 10,000 elements.*converted in one pass/);
    const deepPage = structured<FetchOutput>(await conn.callTool('fetch', { url: `${s.origin}/deep`, format: 'text' }));
    expect(deepPage).toMatchObject({ extraction: 'streamed', content: 'deep text' });
    expect(deepPage.notes.join(' ')).toMatch(/nests elements more than 200 deep/);
    const links = structured<{ total: number; notes: string[] }>(
      await conn.callTool('extract_links', { url: `${s.origin}/many`, limit: 5 }),
    );
    expect(links.total).toBe(12_000);
    const json = structured<FetchOutput>(await conn.callTool('fetch', { url: `${s.origin}/json` }));
    expect(json.content).toBe(`${'['.repeat(5000)}${']'.repeat(5000)}`);
    expect(json.notes.join(' ')).toMatch(/nests deeper than 1000 levels; it is shown as it came/);
  });

  it('describes a PDF instead of dumping it', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(300_000, 7)]);
    const s = await server({
      '/report.pdf': respond(pdf, {
        'content-type': 'application/pdf',
        'content-disposition': 'attachment; filename="report.pdf"',
      }),
    });
    await using conn = await connectPack(webFetchPack, { config: LOOPBACK });
    const out = structured<FetchOutput>(await conn.callTool('fetch', { url: `${s.origin}/report.pdf` }));
    expect(out.kind).toBe('binary');
    expect(out.content).toMatch(/^This URL returns a PDF document, 293\.0 KiB, named "report\.pdf"\./);
    expect(out.bytes).toBe(0);
  });

  it('answers HEAD with status and headers only', async () => {
    const s = await server({ '/': respond('<p>body</p>', { etag: '"v1"' }) });
    await using conn = await connectPack(webFetchPack, { config: LOOPBACK });
    const result = await conn.callTool('fetch', { url: `${s.origin}/`, method: 'HEAD' });
    const out = structured<FetchOutput>(result);
    expect(out).toMatchObject({ status: 200, kind: 'empty', content: '', headers: { etag: '"v1"' } });
    expect(resultText(result)).toContain('etag: "v1"');
  });

  it('reports HTTP errors with the status and what the page says', async () => {
    const s = await server({
      '/gone': respond('<h1>Not here</h1><p>This page moved away.</p>', {}, 404),
      '/busy': respond('try later', { 'content-type': 'text/plain', 'retry-after': '30' }, 503),
    });
    await using conn = await connectPack(webFetchPack, { config: LOOPBACK });
    const gone = await conn.callTool('fetch', { url: `${s.origin}/gone` });
    expect(errorCode(gone)).toBe('http_error');
    expect(resultText(gone)).toMatch(/HTTP 404 Not Found\. The page says: "Not here This page moved away\."/);
    expect(gone._meta?.[ERROR_META_KEY]).toMatchObject({ retryable: false, details: { status: 404, kind: 'http' } });
    const busy = await conn.callTool('fetch', { url: `${s.origin}/busy` });
    expect(busy._meta?.[ERROR_META_KEY]).toMatchObject({ retryable: true, details: { status: 503 } });
  });

  it('reads a gzip-compressed page', async () => {
    const s = await server({
      '/docs/v2/config.html': respond(gzipSync(fixture('docs.html.fixture')), { 'content-encoding': 'gzip' }),
    });
    await using conn = await connectPack(webFetchPack, { config: LOOPBACK });
    const out = structured<FetchOutput>(await conn.callTool('fetch', { url: `${s.origin}/docs/v2/config.html` }));
    expect(out.content.startsWith('# Configuration reference')).toBe(true);
  });

  it('says when the body was cut at maxBytes', async () => {
    const s = await server({ '/big.txt': respond('x'.repeat(50_000), { 'content-type': 'text/plain' }) });
    await using conn = await connectPack(webFetchPack, { config: { ...LOOPBACK, maxBytes: 10_000 } });
    const out = structured<FetchOutput>(await conn.callTool('fetch', { url: `${s.origin}/big.txt` }));
    expect(out.bodyTruncated).toBe(true);
    expect(out.bytes).toBe(10_000);
    expect(out.notes[0]).toMatch(/larger than this server's limit of 10000 bytes/);
  });

  it('sends progress notifications while a large body downloads', async () => {
    const s = await server({ '/big.txt': respond('y'.repeat(1_500_000), { 'content-type': 'text/plain' }) });
    await using conn = await connectPack(webFetchPack, { config: LOOPBACK });
    const seen: { progress: number; total?: number; message?: string }[] = [];
    await conn.callTool('fetch', { url: `${s.origin}/big.txt`, maxLength: 100 }, { onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.at(-1)).toMatchObject({ progress: 1_500_000, total: 1_500_000 });
    expect(seen[0]?.message).toMatch(/^Downloaded [\d.]+ KiB of 1\.4 MiB$/);
  });
});

describe('web_fetch: paging', () => {
  const paragraphs = Array.from({ length: 60 }, (_, i) => `<p>Paragraph ${i}: ${'lorem ipsum '.repeat(20)}</p>`);
  const page = `<html><head><title>Long</title></head><body><main>${paragraphs.join('')}</main></body></html>`;

  it('pages with maxLength and cursor, without fetching again, and the pieces make the whole', async () => {
    const s = await server({ '/long': respond(page) });
    await using conn = await connectPack(webFetchPack, { config: LOOPBACK });
    const url = `${s.origin}/long`;
    const whole = structured<FetchOutput>(await conn.callTool('fetch', { url, maxLength: 200_000 })).content;
    const pieces: string[] = [];
    let cursor: string | undefined;
    let calls = 0;
    const before = s.requests.length;
    do {
      const result = await conn.callTool('fetch', { url, maxLength: 2000, ...(cursor ? { cursor } : {}) });
      const out = structured<FetchOutput>(result);
      expect(out.content.length).toBeLessThanOrEqual(2000);
      expect(out.start).toBe(pieces.join('').length);
      pieces.push(out.content);
      cursor = out.nextCursor;
      if (cursor)
        expect(resultText(result)).toContain(
          `call web_fetch again with the same url and format and cursor "${cursor}"`,
        );
      calls++;
    } while (cursor && calls < 100);
    expect(pieces.join('')).toBe(whole);
    expect(calls).toBeGreaterThan(5);
    expect(s.requests.length - before).toBe(1);
    // Windows end at a paragraph boundary when there is one.
    expect(pieces[0]?.endsWith('\n\n')).toBe(true);
  });

  it('rejects a cursor used with another URL or format, and a forged one', async () => {
    const s = await server({ '/long': respond(page) });
    await using conn = await connectPack(webFetchPack, { config: LOOPBACK });
    const first = structured<FetchOutput>(await conn.callTool('fetch', { url: `${s.origin}/long`, maxLength: 500 }));
    expect(first.nextCursor).toBeDefined();
    const other = await conn.callTool('fetch', { url: `${s.origin}/long`, format: 'text', cursor: first.nextCursor });
    expect(errorCode(other)).toBe('invalid_cursor');
    const forged = await conn.callTool('fetch', { url: `${s.origin}/long`, cursor: 'bm90LWEtY3Vyc29y' });
    expect(errorCode(forged)).toBe('invalid_cursor');
  });
});
