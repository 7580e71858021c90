/**
 * Hostile input, area `web-fetch`: hostile web servers (issue #18, part 4). The real `mcp-packs` server runs as a
 * child process over stdio with only `@mcp-packs/web-fetch` mounted, allowed to reach 127.0.0.1 (and nothing else
 * that is not public); the hostile servers run in this process on 127.0.0.1: an HTTP server with a route per case,
 * and a raw TCP server for what Node's HTTP server will not send (headers that drip, a header of a megabyte).
 *
 * The pack's limits are the defaults (5 MiB body after decompression, 5 redirects) except time: 2 s per fetch, so a
 * case that hits the deadline costs 2 s. robots.txt is honoured as by default: the main origin answers 404 (no
 * rules), a second origin serves a hostile robots.txt. Each case checks the answer is a clear `isError` with the
 * expected code, or a result that says it was truncated, within the limits; the harness checks the server stays
 * alive, its peak RSS, and the next call.
 */
import zlib from 'node:zlib';
import type { Client } from '@modelcontextprotocol/client';
import type { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { connectStdio, tempDir, writeConfig } from '../helpers.js';
import {
  type Answer,
  errorAnswer,
  expectAnswer,
  type HostileCase,
  type HostileSuite,
  type SuiteContext,
  toolAnswer,
} from './harness.js';
import { type HostileServers, startServers } from './web-servers.js';

/** The limits of the suite's mount: the defaults, except a 2 s time limit. */
export const WEB_LIMITS = { timeoutMs: 2000, maxTimeoutMs: 5000 } as const;
const MAX_BYTES = 5 * 1024 * 1024;

/** How long a case waits for an answer (the time limit plus slack for a loaded machine). */
const CASE_TIMEOUT_MS = 30_000;

export interface WebContext extends SuiteContext {
  servers: HostileServers;
  /** Call a tool with `args`, as an {@link Answer}. */
  call(name: string, args: Record<string, unknown>): Promise<Answer>;
  /** The structured content of the last call. */
  lastStructured: Record<string, unknown> | undefined;
}

async function start(): Promise<WebContext> {
  const servers = await startServers();
  const temp = tempDir('mcp-packs-hostile-web-');
  const configFile = writeConfig(temp.path, {
    server: { name: 'hostile-web' },
    packs: [{ use: '@mcp-packs/web-fetch', config: { allowAddresses: ['127.0.0.1/32'], ...WEB_LIMITS } }],
  });
  let connected: { client: Client; transport: StdioClientTransport };
  try {
    connected = await connectStdio(['--config', configFile]);
  } catch (error) {
    temp.cleanup();
    await servers.close();
    throw error;
  }
  const { client, transport } = connected;
  const pid = transport.pid;
  if (pid === null) throw new Error('the web-fetch server has no pid');
  let exited = false;
  transport.onclose = () => {
    exited = true;
  };
  const context: WebContext = {
    servers,
    pid,
    lastStructured: undefined,
    async call(name, args) {
      try {
        const result = await client.callTool({ name, arguments: args }, { timeout: CASE_TIMEOUT_MS });
        context.lastStructured = result.structuredContent as Record<string, unknown> | undefined;
        return toolAnswer(result as never);
      } catch (error) {
        context.lastStructured = undefined;
        return errorAnswer(error);
      }
    },
    async probe() {
      const result = await client.callTool({ name: 'web_fetch', arguments: { url: `${servers.origin}/ok` } });
      if (result.isError || !JSON.stringify(result.content).includes('All is well')) {
        throw new Error(`the page /ok went wrong: ${JSON.stringify(result.content).slice(0, 300)}`);
      }
    },
    alive() {
      if (exited) return false;
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await client.close().catch(() => {});
      await servers.close();
      temp.cleanup();
    },
  };
  // The first fetch loads got, the HTML parser and Readability, and reads the origin's robots.txt.
  await context.probe();
  return context;
}

/** A check: a tool error with one of `codes` whose text matches `words`. */
function refusedWith(codes: readonly string[], words?: RegExp) {
  const toolError = expectAnswer.toolError(...codes);
  return (answer: Answer): string | undefined =>
    toolError(answer) ??
    (words === undefined || words.test(answer.text) ? undefined : `the error does not say ${words}: ${answer.text}`);
}

/** A check: a result cut at the body cap, which says so. */
function truncatedAtCap(context: () => WebContext) {
  return (answer: Answer): string | undefined => {
    if (answer.kind !== 'result')
      return `expected a truncated result, got ${answer.kind} ${answer.code ?? ''}: ${answer.text.slice(0, 300)}`;
    if (!/larger than this server's limit of 5242880 bytes/.test(answer.text)) {
      return `the result does not say the body was cut at the limit: ${answer.text.slice(0, 300)}`;
    }
    const structured = context().lastStructured;
    if (structured?.bodyTruncated !== true || structured.bytes !== MAX_BYTES) {
      return `expected bodyTruncated and ${MAX_BYTES} bytes, got ${JSON.stringify({ bodyTruncated: structured?.bodyTruncated, bytes: structured?.bytes })}`;
    }
    return undefined;
  };
}

/** A check: a successful result, optionally matching `pattern`. */
function answered(pattern?: RegExp) {
  return (answer: Answer): string | undefined =>
    answer.kind !== 'result'
      ? `expected a result, got ${answer.kind} ${answer.code ?? ''}: ${answer.text.slice(0, 300)}`
      : pattern === undefined || pattern.test(answer.text)
        ? undefined
        : `expected ${pattern}, got ${answer.text.slice(0, 300)}`;
}

let current: WebContext | undefined;
const contextNow = () => current as WebContext;

function fetchCase(
  name: string,
  path: string | ((servers: HostileServers) => string),
  check: (answer: Answer) => string | undefined,
  extra: Record<string, unknown> = {},
  tool = 'web_fetch',
): HostileCase<WebContext> {
  return {
    name,
    run: (context) => {
      current = context;
      const url = typeof path === 'function' ? path(context.servers) : `${context.servers.origin}${path}`;
      return context.call(tool, { url, ...extra });
    },
    check,
  };
}

const TIMEOUT = /Timed out after 2000 ms/;
const STREAMED = /converted in one pass/;
const STREAMED_CUT = /Only its first 250,000 elements were read/;
const blocked = refusedWith(['blocked_address'], /Refused by this server's fetch policy/);

const cases: HostileCase<WebContext>[] = [
  // Decompression bombs.
  fetchCase('gzip bomb (10 GB decoded)', '/bomb/gzip', truncatedAtCap(contextNow)),
  fetchCase('x-gzip bomb', '/bomb/x-gzip', truncatedAtCap(contextNow)),
  fetchCase('deflate bomb (zlib)', '/bomb/deflate', truncatedAtCap(contextNow)),
  fetchCase('deflate bomb (raw deflate)', '/bomb/deflate-raw', truncatedAtCap(contextNow)),
  fetchCase('brotli bomb', '/bomb/br', truncatedAtCap(contextNow)),
  // Decoders cap the window at 8 MB (RFC 9659): a larger one is refused rather than allocated.
  fetchCase('zstd bomb with a 128 MB window', '/bomb/zstd', (answer) =>
    typeof zlib.createZstdCompress === 'function' ? refusedWith(['decode_error'], /zstd/)(answer) : undefined,
  ),
  fetchCase('nested gzip, gzip bomb', '/bomb/gzip-gzip', truncatedAtCap(contextNow)),
  fetchCase('gzip bomb as HTML, rendered', '/bomb/html', truncatedAtCap(contextNow)),
  fetchCase('500 stacked content codings', '/encoding/stacked', refusedWith(['unsupported_encoding'], /codings/)),
  fetchCase('an unknown content coding', '/encoding/unknown', refusedWith(['unsupported_encoding'], /compress/)),
  fetchCase('a corrupt gzip body', '/encoding/corrupt', refusedWith(['decode_error'], /gzip/)),

  // Redirects.
  fetchCase('a redirect loop', '/loop/a', refusedWith(['too_many_redirects'], /redirected more than 5 times/)),
  fetchCase('an endless redirect chain', '/chain', refusedWith(['too_many_redirects'], /redirected more than 5 times/)),
  fetchCase(
    'redirects that each take 600 ms: one deadline for the whole chain',
    '/slow-hop',
    refusedWith(['timeout'], /Timed out after 2000 ms while waiting for the response/),
  ),
  fetchCase('a redirect to a private address', '/to/private', blocked),
  fetchCase('a redirect to cloud metadata', '/to/metadata', blocked),
  fetchCase('a redirect to another loopback address', '/to/other-loopback', blocked),
  fetchCase('a redirect to IPv6 loopback', '/to/ipv6-loopback', blocked),
  fetchCase('a redirect to a decimal-spelled loopback address', '/to/decimal-loopback', blocked),
  fetchCase('a redirect to file:', '/to/file', refusedWith(['blocked_scheme'])),
  fetchCase('a redirect to a malformed URL', '/to/broken', refusedWith(['invalid_redirect'], /Location/)),
  fetchCase('a redirect to a URL with credentials', '/to/credentials', refusedWith(['credentials_in_url'])),

  // Time.
  fetchCase(
    'headers that drip a byte at a time',
    (s) => `${s.rawOrigin}/drip/headers`,
    refusedWith(['timeout'], TIMEOUT),
  ),
  fetchCase('a body that drips a byte at a time', '/drip/body', refusedWith(['timeout'], TIMEOUT)),
  fetchCase('a server that never answers', '/silent', refusedWith(['timeout'], TIMEOUT)),
  fetchCase('a body that never ends', '/endless', truncatedAtCap(contextNow)),
  fetchCase('an endless binary body: described, not downloaded', '/endless/binary', answered(/not downloaded/)),
  fetchCase('a Content-Length that lies', '/length-lie', (answer) =>
    answer.kind === 'result' || answer.kind === 'isError' ? undefined : `expected an answer, got ${answer.kind}`,
  ),
  fetchCase(
    'a page whose robots.txt drips',
    (s) => `${s.robotsOrigin}/page`,
    refusedWith(['robots_unavailable', 'timeout'], /robots\.txt/),
  ),

  // Headers.
  fetchCase(
    'a header of a megabyte',
    (s) => `${s.rawOrigin}/huge-header`,
    refusedWith(['invalid_response'], /header/i),
  ),
  fetchCase(
    'twenty thousand headers',
    (s) => `${s.rawOrigin}/many-headers`,
    (answer) => (answer.kind === 'result' ? undefined : refusedWith(['invalid_response'], /header/i)(answer)),
  ),
  fetchCase('a server that does not speak HTTP', (s) => `${s.rawOrigin}/not-http`, refusedWith(['invalid_response'])),
  fetchCase(
    'status 999',
    (s) => `${s.rawOrigin}/status-999`,
    (answer) =>
      answer.kind === 'result' || answer.kind === 'isError' ? undefined : `expected an answer, got ${answer.kind}`,
  ),

  // Enormous and pathological HTML.
  fetchCase('200 MB of HTML', '/html/200mb', truncatedAtCap(contextNow)),
  fetchCase('200 MB of HTML as text', '/html/200mb', truncatedAtCap(contextNow), { format: 'text' }),
  fetchCase('200 MB of HTML, links listed', '/html/200mb', (answer) => answered()(answer), {}, 'web_extract_links'),
  fetchCase('a million nested divs', '/html/nested-divs', answered(STREAMED_CUT)),
  fetchCase('a million nested divs as cleaned HTML', '/html/nested-divs', answered(STREAMED_CUT), { format: 'html' }),
  fetchCase('a hundred thousand nested <b>', '/html/nested-b', answered(/more than 200 deep[\s\S]*\*\*bold\*\*/)),
  fetchCase('fifty thousand nested tables', '/html/nested-tables', answered(/more than 200 deep[\s\S]*cell/)),
  fetchCase('a hundred thousand nested lists', '/html/nested-lists', answered(STREAMED), { format: 'text' }),
  fetchCase('9,000 links and no landmark: the DOM path at its worst', '/html/links-9000', answered(/\[0\]\(http/)),
  fetchCase('a quarter of a million links', '/html/links', answered(/more than 10,000 elements[\s\S]*\[0\]\(http/)),
  fetchCase(
    'a quarter of a million links, listed',
    '/html/links',
    answered(/250,?000|links/i),
    { limit: 10 },
    'web_extract_links',
  ),
  fetchCase('a million nested divs, links listed', '/html/nested-divs', answered(), {}, 'web_extract_links'),
  fetchCase('two hundred thousand attributes on one element', '/html/attributes', answered()),
  fetchCase('a comment of four megabytes', '/html/comment', answered()),
  fetchCase('JSON nested a million deep', '/json/nested', answered(/nests deeper than 1000 levels/)),

  // Charsets.
  fetchCase('charset=utf-7', '/charset/utf-7', answered()),
  fetchCase('charset=iso-2022-kr (the replacement encoding)', '/charset/replacement', answered()),
  fetchCase('a charset that is a path', '/charset/bogus', answered(/unknown; it was ignored/)),
  fetchCase('a charset label of 8,000 characters', '/charset/huge-label', answered()),
  fetchCase('a <meta> charset that does not exist', '/charset/meta-bogus', answered(/meta/)),
  fetchCase('UTF-16 with an odd number of bytes', '/charset/utf-16-odd', answered()),
  fetchCase('text declared UTF-8 that is not', '/charset/text-latin1-bytes', answered(/not valid UTF-8/)),
];

/** The suite: `pnpm bench hostile` and web.test.ts both run it. */
const suite: HostileSuite<WebContext> = { area: 'web-fetch', start, cases };
export default suite;
