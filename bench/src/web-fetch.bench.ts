/**
 * @mcp-packs/web-fetch against a loopback server, in one process:
 *  1. A realistic 1 MB HTML page (inline CSS and scripts, JSON state, SVG icons, menus, a long article in <main>)
 *     fetched and turned into Markdown: p50 <= 150 ms. For the record (no target): the same page without
 *     landmarks (the Readability path) and 1 MB of pure article markup.
 *  2. 20 concurrent fetches of a small page: throughput >= 0.7x plain got in the same run (paired batches). Plain
 *     got has no per-host cap, so the compared fetcher runs with maxConcurrentPerHost 20 (apples to apples: the
 *     cost of the guard, robots cache, pinned lookup and capped streaming); the default cap of 6 is measured too,
 *     for the record, since there the cap itself is what limits throughput.
 *  3. A 100 MB body with the default 5 MiB cap: the download stops at the cap, RSS grows < 30 MB.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWebFetchServices, webFetchConfigSchema } from '@mcp-packs/web-fetch';
import got from 'got';
import { compare, pairedRatio, writeResult } from './harness.ts';

// ---------------------------------------------------------------------------------------------------------------
// Pages, generated so the repository holds no copy of a real site.

const WORDS =
  'the rail network timetable sleeper carriage route station passenger operator ticket winter summer demand track access charge infrastructure rolling stock delivery manufacturer season night journey city centre airport'.split(
    ' ',
  );

function sentence(seed: number, words = 18): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[(seed * 7 + i * 13) % WORDS.length] as string);
  const text = out.join(' ');
  return `${text[0]?.toUpperCase()}${text.slice(1)}.`;
}

function articleMarkup(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    let block = `<h2 id="s${i}">Section ${i}: ${sentence(i, 4)}</h2>`;
    block += `<p>${sentence(i)} ${sentence(i + 1)} See <a href="/notes/${i}">note ${i}</a> and <em>${sentence(i + 2, 5)}</em></p>`;
    block += `<p>${sentence(i + 3)} ${sentence(i + 4)} ${sentence(i + 5)}</p>`;
    if (i % 3 === 0)
      block += `<ul><li>${sentence(i, 6)}</li><li>${sentence(i + 1, 7)}</li><li><code>route_${i}</code></li></ul>`;
    if (i % 5 === 0) {
      block += `<table><thead><tr><th>Route</th><th>Nights</th><th>Occupancy</th></tr></thead><tbody>${[0, 1, 2]
        .map((r) => `<tr><td>Line ${i}-${r}</td><td>${(i + r) % 7}</td><td>${60 + ((i * r) % 40)}%</td></tr>`)
        .join('')}</tbody></table>`;
    }
    if (i % 7 === 0)
      block += `<pre><code class="language-js">const route${i} = plan(${i});\nconsole.log(route${i});</code></pre>`;
    if (i % 4 === 0)
      block += `<figure><img src="/img/${i}.jpg" alt="${sentence(i, 5)}"><figcaption>${sentence(i, 8)}</figcaption></figure>`;
    parts.push(block);
    size += block.length;
  }
  return parts.join('\n');
}

function filler(kind: 'css' | 'js' | 'json' | 'svg', bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const piece =
      kind === 'css'
        ? `.c${i}{margin:${i % 9}px;padding:${i % 5}px ${i % 7}px;color:#${(i * 4099).toString(16).padStart(6, '0').slice(0, 6)}}\n`
        : kind === 'js'
          ? `function f${i}(a,b){var c=a+b*${i};if(c>${i})return g${i % 97}(c);return[a,b,c].map(function(x){return x*${i % 13}})}\n`
          : kind === 'json'
            ? `{"id":${i},"slug":"item-${i}","title":"${sentence(i, 6)}","tags":["a${i % 10}","b${i % 7}"],"score":${i % 100}},`
            : `<svg class="icon" viewBox="0 0 24 24" width="16" height="16"><path d="M${i % 24} ${i % 12}L${(i * 3) % 24} ${(i * 5) % 24}Z"/></svg>`;
    parts.push(piece);
    size += piece.length;
  }
  return parts.join('');
}

function menu(count: number, prefix: string): string {
  return Array.from({ length: count }, (_, i) => `<li><a href="/${prefix}/${i}">${prefix} ${i}</a></li>`).join('');
}

/** A heavy modern page of about `total` bytes: most of it scripts, styles, state and menus, with one long article. */
function realisticPage(total: number, withLandmarks: boolean): string {
  const article = articleMarkup(60_000);
  const main = withLandmarks
    ? `<main><article><h1>Why the night trains are coming back</h1>${article}</article></main>`
    : `<div class="content"><div class="post"><h1>Why the night trains are coming back</h1>${article}</div></div>`;
  const nav = withLandmarks
    ? `<nav><ul>${menu(150, 'section')}</ul></nav>`
    : `<div class="menu"><ul>${menu(150, 'section')}</ul></div>`;
  const aside = withLandmarks
    ? `<aside><ul>${menu(30, 'related')}</ul></aside>`
    : `<div class="sidebar"><ul>${menu(30, 'related')}</ul></div>`;
  const footer = withLandmarks
    ? `<footer><ul>${menu(100, 'footer')}</ul></footer>`
    : `<div class="footer"><ul>${menu(100, 'footer')}</ul></div>`;
  const fixed =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Night trains</title>` +
    `<style>${filler('css', 120_000)}</style></head><body>` +
    `<div class="header">${filler('svg', 20_000)}${nav}</div>${main}${aside}${footer}`;
  const rest = total - fixed.length - 200;
  const state = `<script id="__STATE__" type="application/json">[${filler('json', Math.floor(rest * 0.35))}{}]</script>`;
  const bundle = `<script>${filler('js', rest - state.length)}</script>`;
  return `${fixed}${state}${bundle}</body></html>`;
}

function denseArticlePage(total: number): string {
  return `<!doctype html><html><head><title>Dense</title></head><body><main>${articleMarkup(total - 120)}</main></body></html>`;
}

// ---------------------------------------------------------------------------------------------------------------

interface Server {
  origin: string;
  close(): Promise<void>;
  bytesWritten(): number;
}

async function startServer(pages: Record<string, string>): Promise<Server> {
  const bodies = new Map(Object.entries(pages).map(([path, html]) => [path, Buffer.from(html)]));
  let written = 0;
  const server = http.createServer(async (req, res) => {
    const path = req.url ?? '/';
    if (path === '/huge') {
      // 100 MB of text, written as fast as the client reads it.
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 100 * 1024 * 1024 });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      while (sent < 100 * 1024 * 1024 && !res.destroyed) {
        sent += chunk.length;
        written += chunk.length;
        if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
      }
      res.end();
      return;
    }
    const body = bodies.get(path);
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    bytesWritten: () => written,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

async function timeRuns(runs: number, op: () => Promise<unknown>): Promise<{ p50Ms: number; p95Ms: number }> {
  for (let i = 0; i < 3; i++) await op();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await op();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { p50Ms: percentile(times, 0.5), p95Ms: percentile(times, 0.95) };
}

const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

export default async function run(): Promise<void> {
  const realistic = realisticPage(1024 * 1024, true);
  const soup = realisticPage(1024 * 1024, false);
  const dense = denseArticlePage(1024 * 1024);
  const small = `<!doctype html><html><head><title>Small</title></head><body><main><h1>Small</h1>${articleMarkup(4_000)}</main></body></html>`;
  const server = await startServer({ '/realistic': realistic, '/soup': soup, '/dense': dense, '/small': small });
  const services = createWebFetchServices(webFetchConfigSchema.parse({ allowAddresses: ['127.0.0.1/32'] }));
  const uncapped = createWebFetchServices(
    webFetchConfigSchema.parse({ allowAddresses: ['127.0.0.1/32'], maxConcurrentPerHost: 20 }),
  );

  try {
    // 3 first, while the heap is small: a 100 MB body under the default 5 MiB cap.
    await services.reader.read({ url: `${server.origin}/small`, format: 'raw', mainContent: false });
    globalThis.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    const writtenBefore = server.bytesWritten();
    const huge = await services.reader.read({
      url: `${server.origin}/huge`,
      format: 'raw',
      mainContent: false,
      maxLength: 1000,
    });
    peak = Math.max(peak, process.memoryUsage().rss);
    clearInterval(sampler);
    const growthMb = (peak - before) / 1024 / 1024;
    const serverSentMb = (server.bytesWritten() - writtenBefore) / 1024 / 1024;
    console.log(
      `100 MB body: read ${huge.bytes} bytes (truncated ${huge.bodyTruncated}), server sent ${serverSentMb.toFixed(1)} MB, RSS growth ${growthMb.toFixed(1)} MB`,
    );

    // 1. 1 MB HTML -> Markdown, through the whole reader (fetch over loopback, parse, extract, convert).
    const markdown = (path: string) => () =>
      services.reader.read({ url: `${server.origin}${path}`, format: 'markdown', mainContent: true });
    const sample = await services.reader.read({
      url: `${server.origin}/realistic`,
      format: 'markdown',
      mainContent: true,
    });
    const realisticStats = await timeRuns(21, markdown('/realistic'));
    const soupStats = await timeRuns(9, markdown('/soup'));
    const denseStats = await timeRuns(9, markdown('/dense'));
    console.log(
      `1 MB -> markdown p50: realistic ${realisticStats.p50Ms.toFixed(1)} ms (${sample.extraction}, ${sample.length} chars), ` +
        `no landmarks ${soupStats.p50Ms.toFixed(1)} ms, dense article ${denseStats.p50Ms.toFixed(1)} ms`,
    );

    // 2. 20 concurrent small fetches: our fetcher (policy, pinned lookup, robots, per-host cap, capped streaming)
    //    vs plain got; and, for the record, the full tool path (Markdown) too.
    const smallUrl = `${server.origin}/small`;
    const plainAgent = new http.Agent({ keepAlive: true });
    const concurrent = (op: () => Promise<unknown>) => () => Promise.all(Array.from({ length: 20 }, op));
    const stats = await compare(
      {
        plainGot: concurrent(() => got(smallUrl, { agent: { http: plainAgent }, retry: { limit: 0 } }).text()),
        webFetch: concurrent(() => uncapped.fetcher.fetch({ url: smallUrl, timeoutMs: 10_000 })),
        webFetchDefaultCap: concurrent(() => services.fetcher.fetch({ url: smallUrl, timeoutMs: 10_000 })),
        webFetchMarkdown: concurrent(() =>
          uncapped.reader.read({ url: smallUrl, format: 'markdown', mainContent: true }),
        ),
      },
      { batchSize: 10, batches: 31, warmupBatches: 5 },
    );
    const fetchRatio = pairedRatio(stats, 'webFetch', 'plainGot');
    const markdownRatio = pairedRatio(stats, 'webFetchMarkdown', 'plainGot');
    const defaultCapRatio = pairedRatio(stats, 'webFetchDefaultCap', 'plainGot');
    const throughput = 1 / fetchRatio;
    plainAgent.destroy();
    console.log(
      `20 concurrent small fetches: plain got ${stats.plainGot?.medianMs.toFixed(2)} ms/batch, web-fetch ${stats.webFetch?.medianMs.toFixed(2)} ms/batch ` +
        `(throughput ${throughput.toFixed(2)}x got; default cap of 6: ${(1 / defaultCapRatio).toFixed(2)}x), with markdown ${stats.webFetchMarkdown?.medianMs.toFixed(2)} ms/batch (${(1 / markdownRatio).toFixed(2)}x)`,
    );

    writeResult({
      name: 'web-fetch',
      description:
        'web-fetch over a loopback server in one process: 1 MB HTML to Markdown, 20 concurrent small fetches vs plain got (paired batches), and a 100 MB body under the default 5 MiB cap.',
      results: {
        markdown1MB: {
          realistic: {
            ...realisticStats,
            extraction: sample.extraction,
            markdownChars: sample.length,
            htmlBytes: realistic.length,
          },
          noLandmarksReadability: { ...soupStats, htmlBytes: soup.length },
          denseArticle: { ...denseStats, htmlBytes: dense.length },
        },
        concurrentSmall: {
          pageBytes: small.length,
          plainGot: stats.plainGot,
          webFetch: stats.webFetch,
          webFetchDefaultCap: stats.webFetchDefaultCap,
          webFetchMarkdown: stats.webFetchMarkdown,
          pairedTimeRatio: round(fetchRatio, 3),
          throughputVsGot: round(throughput, 3),
          defaultCapThroughputVsGot: round(1 / defaultCapRatio, 3),
          markdownThroughputVsGot: round(1 / markdownRatio, 3),
        },
        hugeBody: {
          bytesRead: huge.bytes,
          bodyTruncated: huge.bodyTruncated,
          serverSentMB: round(serverSentMb, 1),
          rssBeforeMB: round(before / 1024 / 1024, 1),
          rssPeakMB: round(peak / 1024 / 1024, 1),
          rssGrowthMB: round(growthMb, 1),
        },
      },
      targets: [
        {
          description: `realistic 1 MB HTML -> markdown p50 ${realisticStats.p50Ms.toFixed(1)} ms <= 150 ms`,
          met: realisticStats.p50Ms <= 150,
        },
        {
          description: `20 concurrent small fetches (per-host cap 20, as got): throughput ${throughput.toFixed(2)}x plain got >= 0.7x`,
          met: throughput >= 0.7,
        },
        {
          description: `100 MB body stops at the 5 MiB cap (${huge.bytes} bytes, truncated ${huge.bodyTruncated}) with RSS growth ${growthMb.toFixed(1)} MB < 30 MB`,
          met: huge.bodyTruncated && huge.bytes === 5 * 1024 * 1024 && growthMb < 30,
        },
      ],
    });
  } finally {
    services.fetcher.close();
    uncapped.fetcher.close();
    await server.close();
  }
}
