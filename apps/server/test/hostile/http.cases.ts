/**
 * Hostile clients of the Streamable HTTP transport, against the built server on 127.0.0.1 with a bearer token, in
 * both protocol eras where the era matters: bodies too large (declared, streamed, invited with 100-continue), nested
 * too deep, batches, clients too slow (headers or body one byte a second), clients that never read (one big answer,
 * a pipelined burst), floods of connections, of headers, of sessions. Each case says what came back; the harness
 * checks the server lived and served the next call, and `figures()` measures the memory of an idle 2025-era session.
 *
 * The server runs with short limits (headers 1 s, request 2 s, send 1 s, 500 sessions, 300 connections) so that
 * every case ends in a few seconds; the defaults are longer (see apps/server/README.md).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { type HttpChild, LOCAL_PACK, startHttp, tempDir, writeConfig } from '../helpers.js';
import type { Answer, HostileCase, HostileSuite, SuiteContext } from './harness.js';

export const TOKEN = 'hostile-http-token-0123456789abcdef';

/** The limits the suite's server runs with. */
export const LIMITS = {
  maxSessions: 500,
  maxConnections: 300,
  headersTimeoutSeconds: 1,
  requestTimeoutSeconds: 2,
  sendTimeoutSeconds: 1,
} as const;

export interface HttpContext extends SuiteContext {
  readonly port: number;
  readonly url: string;
  /** The server's stderr so far (it logs at debug level: sessions opened and closed). */
  stderr(): string;
}

const ACCEPT = 'application/json, text/event-stream';
const META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'hostile', version: '0' },
};

/** A 2026-07-28 request body: the `_meta` envelope in params. */
export function modern(method: string, params: Record<string, unknown> = {}, id: number | string = 1): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta: META } });
}

/** The headers a 2026-era client sends with `method` (and `name`, for tools/call). */
export function modernHeaders(method: string, name?: string): Record<string, string> {
  return {
    accept: ACCEPT,
    'content-type': 'application/json',
    authorization: `Bearer ${TOKEN}`,
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': method,
    ...(name === undefined ? {} : { 'mcp-name': name }),
  };
}

export const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'hostile', version: '0' } },
});

const LEGACY_HEADERS = { accept: ACCEPT, 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };

/** The headers of a request in a 2025-era session. */
function sessionHeaders(sessionId: string): Record<string, string> {
  return { ...LEGACY_HEADERS, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' };
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request on a connection of its own (no keep-alive, so nothing is shared with the hostile sockets). */
export function post(
  port: number,
  body: string,
  headers: Record<string, string>,
  options: { method?: string; timeoutMs?: number } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: '/mcp', method: options.method ?? 'POST', headers, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on('error', reject);
      },
    );
    req.setTimeout(options.timeoutMs ?? 10_000, () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/** Open a 2025-era session (initialize, then the initialized notification); its id. */
export async function openSession(port: number): Promise<string> {
  const reply = await post(port, INITIALIZE, LEGACY_HEADERS);
  const id = reply.headers['mcp-session-id'];
  if (reply.status !== 200 || typeof id !== 'string') throw new Error(`initialize got ${reply.status}: ${reply.body}`);
  await post(port, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), sessionHeaders(id));
  return id;
}

/** The JSON-RPC message in a reply: plain JSON, or the first `data:` line of an event stream. */
function message(reply: Reply): { result?: unknown; error?: { code?: number; message?: string } } | undefined {
  const text = /^data: (.*)$/m.exec(reply.body)?.[1] ?? reply.body;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function replyAnswer(reply: Reply): Answer {
  return { kind: 'http', code: reply.status, text: reply.body };
}

/** The good client: a 2026-era tools/call that must be answered with its result. Throws otherwise. */
async function goodCall(port: number, text = 'next'): Promise<number> {
  const start = performance.now();
  const reply = await post(port, modern('tools/call', { name: 'fx_echo', arguments: { text } }), {
    ...modernHeaders('tools/call', 'fx_echo'),
  });
  const result = message(reply)?.result as { structuredContent?: { text?: string } } | undefined;
  if (reply.status !== 200 || result?.structuredContent?.text !== `hello ${text}`) {
    throw new Error(`the good call got ${reply.status}: ${reply.body.slice(0, 200)}`);
  }
  return Math.round(performance.now() - start);
}

/** The head of a request as bytes on the wire. */
function head(port: number, headers: Record<string, string>, method = 'POST'): string {
  const lines = [`${method} /mcp HTTP/1.1`, `Host: 127.0.0.1:${port}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** What a raw socket got: the first response's status (if any), what was read, how it ended. */
interface RawOutcome {
  status: number | undefined;
  /** Milliseconds from the start to the first status line, or to the end when there was none. */
  ms: number;
  text: string;
  /** `closed` (the server ended or reset it), `kept` (still open when we stopped waiting). */
  end: 'closed' | 'kept';
  /** Bytes the client managed to send. */
  sent: number;
}

/**
 * A raw TCP client: `feed` writes what it likes (and may keep writing); resolves at the first response's head
 * (`until: 'status'`), or once the server closes the connection (`until: 'close'`), or after `timeoutMs`.
 */
function raw(
  port: number,
  feed: (socket: Socket, sent: (bytes: number) => void) => void,
  options: { until: 'status' | 'close'; timeoutMs: number },
): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const start = performance.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let sent = 0;
    let status: number | undefined;
    let statusMs: number | undefined;
    let settled = false;
    const finish = (end: 'closed' | 'kept') => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ status, ms: Math.round(statusMs ?? performance.now() - start), text: text.slice(0, 2000), end, sent });
    };
    const timer = setTimeout(() => finish('kept'), options.timeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      // A 100 Continue is not the answer.
      const response = text.replace(/^HTTP\/1\.1 100 [^\r]*\r\n\r\n/, '');
      const headEnd = response.indexOf('\r\n\r\n');
      if (headEnd === -1 || !response.startsWith('HTTP/1.1 ')) return;
      if (status === undefined) {
        status = Number(response.slice(9, 12));
        statusMs = performance.now() - start;
      }
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(response.slice(0, headEnd))?.[1] ?? 0);
      if (options.until === 'status' && response.length - headEnd - 4 >= length) finish('closed');
    });
    socket.on('error', () => finish('closed'));
    socket.on('close', () => finish('closed'));
    socket.on('connect', () =>
      feed(socket, (bytes) => {
        sent += bytes;
      }),
    );
  });
}

/** Write `total` bytes of `x` (chunked framing when `chunked`), as fast as the socket takes them. */
function stream(socket: Socket, total: number, sent: (bytes: number) => void, chunked: boolean): void {
  const piece = Buffer.alloc(64 * 1024, 'x');
  const framed = chunked
    ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')])
    : piece;
  let written = 0;
  const pump = () => {
    while (written < total && !socket.destroyed && socket.writable) {
      written += piece.length;
      sent(piece.length);
      if (!socket.write(framed)) {
        socket.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

/** Drip `text` one byte every `everyMs`, starting after `already` bytes were sent at once. */
function drip(socket: Socket, text: string, sent: (bytes: number) => void, everyMs: number, already = 0): void {
  if (already > 0) {
    socket.write(text.slice(0, already));
    sent(already);
  }
  let index = already;
  const timer = setInterval(() => {
    if (index >= text.length || socket.destroyed) {
      clearInterval(timer);
      return;
    }
    socket.write(text[index++] as string);
    sent(1);
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

const rpcError = (status: number, code: number) => (answer: Answer) => {
  if (answer.kind !== 'http' || answer.code !== status) {
    return `expected HTTP ${status}, got ${answer.kind} ${answer.code ?? ''}: ${answer.text.slice(0, 200)}`;
  }
  // The body is one line of JSON; what the case adds about it follows on lines of its own.
  const body = answer.text.split('\n').find((line) => line.startsWith('{')) ?? '';
  let parsed: { error?: { code?: number; message?: string } } | undefined;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `expected a JSON-RPC error body, got: ${answer.text.slice(0, 200)}`;
  }
  if (parsed?.error?.code !== code) return `expected JSON-RPC error ${code}, got ${JSON.stringify(parsed)}`;
  return undefined;
};

const within = (ms: number, check: (answer: Answer) => string | undefined) => (answer: Answer) => {
  const verdict = check(answer);
  if (verdict) return verdict;
  const took = Number(/in (\d+) ms/.exec(answer.text)?.[1] ?? Number.NaN);
  return took <= ms ? undefined : `expected an answer within ${ms} ms, it took ${took} ms: ${answer.text}`;
};

/** A raw outcome as an answer: the status line and body when there was a response, else how the socket ended. */
function rawAnswer(outcome: RawOutcome, note = ''): Answer {
  const body = outcome.text.slice(outcome.text.lastIndexOf('\r\n\r\n') + 4);
  const summary = `in ${outcome.ms} ms, ${outcome.sent} bytes sent${note ? `; ${note}` : ''}`;
  if (outcome.status !== undefined) return { kind: 'http', code: outcome.status, text: `${body}\n${summary}` };
  return { kind: outcome.end === 'closed' ? 'closed' : 'timeout', text: summary };
}

const MiB = 1024 * 1024;

/** How many stalled connections the server has dropped so far (its debug log says so). */
const drops = (log: string) => log.split('dropping its connection').length - 1;

/** Poll `condition` every 50 ms for up to `timeoutMs`; whether it came true. */
async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/** The slow client cases: while `slow` runs, a good client must be answered. */
async function meanwhile<T>(port: number, slow: Promise<T>): Promise<{ outcome: T; goodMs: number }> {
  await new Promise((resolve) => setTimeout(resolve, 200));
  const goodMs = await goodCall(port, 'meanwhile');
  return { outcome: await slow, goodMs };
}

const cases: HostileCase<HttpContext>[] = [
  {
    name: 'declared Content-Length of 1 GiB, the body streamed anyway: 413 at once',
    run: async ({ port }) =>
      rawAnswer(
        await raw(
          port,
          (socket, sent) => {
            socket.write(head(port, { ...modernHeaders('tools/list'), 'content-length': String(1024 * MiB) }));
            stream(socket, 64 * MiB, sent, false);
          },
          { until: 'status', timeoutMs: 5000 },
        ),
      ),
    check: within(1000, rpcError(413, -32000)),
  },
  ...(['2026-07-28', '2025-11-25'] as const).map(
    (era): HostileCase<HttpContext> => ({
      name: `chunked body with no length, 64 MiB streamed (${era}): 413 at the limit, nothing kept`,
      run: async ({ port }) => {
        const headers = era === '2026-07-28' ? modernHeaders('tools/list') : sessionHeaders(await openSession(port));
        return rawAnswer(
          await raw(
            port,
            (socket, sent) => {
              socket.write(head(port, { ...headers, 'transfer-encoding': 'chunked' }));
              stream(socket, 64 * MiB, sent, true);
            },
            { until: 'status', timeoutMs: 5000 },
          ),
        );
      },
      check: within(2000, rpcError(413, -32000)),
    }),
  ),
  {
    name: 'Expect: 100-continue with 1 GiB declared: 413, the body never invited',
    run: async ({ port }) => {
      const outcome = await raw(
        port,
        (socket) =>
          socket.write(
            head(port, {
              ...modernHeaders('tools/list'),
              'content-length': String(1024 * MiB),
              expect: '100-continue',
            }),
          ),
        { until: 'status', timeoutMs: 3000 },
      );
      const invited = outcome.text.includes('100 Continue');
      return rawAnswer(outcome, invited ? 'the server sent 100 Continue first' : 'no 100 Continue');
    },
    check: (answer) =>
      answer.text.includes('sent 100 Continue')
        ? 'the server invited a body it was going to refuse'
        : rpcError(413, -32000)(answer),
  },
  {
    name: 'deep nesting: 100,000 levels of [ as the body: -32600',
    run: async ({ port }) =>
      replyAnswer(await post(port, `${'['.repeat(100_000)}${']'.repeat(100_000)}`, modernHeaders('tools/list'))),
    check: rpcError(400, -32600),
  },
  {
    name: 'deep nesting: 100,000 levels of {"a": in tools/call arguments (2026-07-28): -32600',
    run: async ({ port }) => {
      const nested = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
      const body = modern('tools/call', { name: 'fx_echo', arguments: { text: 'X' } }).replace('"X"', nested);
      return replyAnswer(await post(port, body, modernHeaders('tools/call', 'fx_echo')));
    },
    check: rpcError(400, -32600),
  },
  {
    name: 'deep nesting: 100,000 levels of {"a": in initialize params (2025-11-25): -32600, no session',
    run: async ({ port }) => {
      const nested = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
      const body = INITIALIZE.replace('"capabilities":{}', `"capabilities":{},"x":${nested}`);
      const reply = await post(port, body, LEGACY_HEADERS);
      return { ...replyAnswer(reply), text: `${reply.body}\nsession: ${reply.headers['mcp-session-id'] ?? 'none'}` };
    },
    check: (answer) =>
      rpcError(400, -32600)(answer) ?? (answer.text.includes('session: none') ? undefined : 'a session was opened'),
  },
  {
    name: 'batch of 10,000 tools/list requests (2026-07-28): -32600, not parsed',
    run: async ({ port }) => {
      const batch = `[${Array.from({ length: 10_000 }, (_, i) => modern('tools/list', {}, i)).join(',')}]`;
      const start = performance.now();
      const reply = await post(port, batch, modernHeaders('tools/list'));
      return { ...replyAnswer(reply), text: `${reply.body}\nin ${Math.round(performance.now() - start)} ms` };
    },
    check: within(1000, rpcError(400, -32600)),
  },
  {
    name: 'batch of 90,000 pings in a session (2025-11-25): -32600, not parsed',
    run: async ({ port }) => {
      const headers = sessionHeaders(await openSession(port));
      const batch = `[${Array.from({ length: 90_000 }, (_, i) => `{"jsonrpc":"2.0","id":${i},"method":"ping"}`).join(',')}]`;
      const start = performance.now();
      const reply = await post(port, batch, headers);
      return { ...replyAnswer(reply), text: `${reply.body}\nin ${Math.round(performance.now() - start)} ms` };
    },
    check: within(1000, rpcError(400, -32600)),
  },
  ...[
    { every: 1000, label: '1 byte a second' },
    { every: 250, label: 'a byte every 250 ms, never idle' },
  ].map(
    ({ every, label }): HostileCase<HttpContext> => ({
      name: `slowloris: 20 connections sending headers ${label}; closed at the headers timeout, a good client served meanwhile`,
      run: async ({ port }) => {
        const request = head(port, modernHeaders('tools/list'));
        const slow = Promise.all(
          Array.from({ length: 20 }, () =>
            raw(port, (socket, sent) => drip(socket, request, sent, every), { until: 'close', timeoutMs: 8000 }),
          ),
        );
        const { outcome, goodMs } = await meanwhile(port, slow);
        const open = outcome.filter((one) => one.end !== 'closed').length;
        const slowest = Math.max(...outcome.map((one) => one.ms));
        const answered = outcome.filter((one) => one.status !== undefined).map((one) => one.status);
        return {
          kind: open === 0 ? 'closed' : 'timeout',
          text: `20 slow connections, ${open} still open, ${answered.length} answered (${[...new Set(answered)].join(', ') || 'none'}); the last closed in ${slowest} ms, after ${Math.max(...outcome.map((one) => one.sent))} bytes; good call ${goodMs} ms`,
        };
      },
      check: (answer) => {
        if (answer.kind !== 'closed') return `the slow connections were not closed: ${answer.text}`;
        const ms = Number(/the last closed in (\d+) ms/.exec(answer.text)?.[1]);
        return ms < LIMITS.headersTimeoutSeconds * 1000 + 2000 ? undefined : `closed too late: ${answer.text}`;
      },
    }),
  ),
  ...(['2026-07-28', '2025-11-25'] as const).map(
    (era): HostileCase<HttpContext> => ({
      name: `body dripped 1 byte a second (${era}): 408 at the request timeout; a good client is served meanwhile`,
      run: async ({ port }) => {
        const body =
          era === '2026-07-28' ? modern('tools/list') : JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
        const headers = era === '2026-07-28' ? modernHeaders('tools/list') : sessionHeaders(await openSession(port));
        const request = head(port, { ...headers, 'content-length': String(Buffer.byteLength(body)) }) + body;
        const already = request.length - body.length;
        const slow = raw(port, (socket, sent) => drip(socket, request, sent, 1000, already), {
          until: 'close',
          timeoutMs: 8000,
        });
        const { outcome, goodMs } = await meanwhile(port, slow);
        return rawAnswer(outcome, `good call ${goodMs} ms`);
      },
      check: (answer) =>
        answer.kind === 'http' && answer.code === 408
          ? undefined
          : `expected 408 at the request timeout, got ${answer.kind} ${answer.code ?? ''}: ${answer.text}`,
    }),
  ),
  ...(['2026-07-28', '2025-11-25'] as const).map(
    (era): HostileCase<HttpContext> => ({
      name: `never reads a 3 MB answer (${era}): dropped after the send timeout; a good client is served meanwhile`,
      run: async ({ port, stderr }) => {
        const text = 'x'.repeat(3_000_000);
        const sessionId = era === '2025-11-25' ? await openSession(port) : undefined;
        const body =
          sessionId === undefined
            ? modern('tools/call', { name: 'fx_echo', arguments: { text } })
            : JSON.stringify({
                jsonrpc: '2.0',
                id: 2,
                method: 'tools/call',
                params: { name: 'fx_echo', arguments: { text } },
              });
        const headers = sessionId === undefined ? modernHeaders('tools/call', 'fx_echo') : sessionHeaders(sessionId);
        const request = head(port, { ...headers, 'content-length': String(Buffer.byteLength(body)) }) + body;
        const dropsBefore = drops(stderr());
        const start = performance.now();
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => {});
        socket.pause();
        socket.write(request);
        const goodMs = await goodCall(port, 'meanwhile');
        // A paused socket sees no reset: wait for the server to say it dropped the connection (its debug log), then
        // read what the socket holds. A fixed wait would race a busy server still writing the answer.
        const dropped = await until(() => drops(stderr()) > dropsBefore, 10_000);
        const droppedMs = Math.round(performance.now() - start);
        const got = await new Promise<{ bytes: number; ended: string }>((resolve) => {
          let bytes = 0;
          const timer = setTimeout(() => resolve({ bytes, ended: 'still open' }), 2000);
          socket.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
          });
          socket.on('close', () => {
            clearTimeout(timer);
            resolve({ bytes, ended: 'closed' });
          });
          socket.resume();
        });
        socket.destroy();
        const after =
          sessionId === undefined
            ? 'stateless'
            : await post(
                port,
                JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'ping' }),
                sessionHeaders(sessionId),
              ).then((reply) => `session next request: ${reply.status}`);
        return {
          kind: got.ended === 'closed' ? 'closed' : 'timeout',
          text: `${dropped ? `dropped by the server after ${droppedMs} ms` : 'not dropped within 10 s'}; connection ${got.ended} with ${got.bytes} bytes of the ~6 MB answer read; good call ${goodMs} ms; ${after}`,
        };
      },
      check: (answer) => {
        if (answer.kind !== 'closed' || !answer.text.startsWith('dropped')) {
          return `the stalled connection was not dropped: ${answer.text}`;
        }
        const bytes = Number(/with (\d+) bytes/.exec(answer.text)?.[1]);
        if (!(bytes < 6_000_000)) return `the whole answer was delivered, so nothing stalled: ${answer.text}`;
        if (answer.text.includes('session next request') && !answer.text.includes('session next request: 200')) {
          return `the session is not usable after its stalled answer: ${answer.text}`;
        }
        return undefined;
      },
    }),
  ),
  {
    name: 'pipelines 2,000 requests in one write and never reads: served in turn, a good client meanwhile',
    run: async ({ port }) => {
      const body = modern('tools/list');
      const one =
        head(port, { ...modernHeaders('tools/list'), 'content-length': String(Buffer.byteLength(body)) }) + body;
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => {});
      socket.pause();
      await new Promise<void>((resolve) => socket.write(one.repeat(2000), () => resolve()));
      const goodMs = await goodCall(port, 'meanwhile');
      socket.destroy();
      return { kind: 'result', text: `good call ${goodMs} ms while 2,000 pipelined requests were pending` };
    },
    check: (answer) => {
      const ms = Number(/good call (\d+) ms/.exec(answer.text)?.[1]);
      return ms <= 1000 ? undefined : `the good client waited ${ms} ms behind the burst`;
    },
  },
  {
    name: `${LIMITS.maxConnections + 100} idle connections (maxConnections ${LIMITS.maxConnections}): the extra ones closed at once, the rest at the headers timeout`,
    run: async ({ port }) => {
      const sockets = await Promise.all(
        Array.from(
          { length: LIMITS.maxConnections + 100 },
          () =>
            new Promise<{ closedMs: Promise<number> }>((resolve) => {
              const start = performance.now();
              const socket = connect(port, '127.0.0.1');
              socket.on('error', () => {});
              // Flowing, so the server's FIN is read: a paused socket with nothing buffered may never emit 'end' (and
              // so never 'close'), which reads as a connection the server kept.
              socket.resume();
              const closedMs = new Promise<number>((done) =>
                socket.once('close', () => done(performance.now() - start)),
              );
              const timer = setTimeout(() => socket.destroy(), 6000);
              socket.once('close', () => clearTimeout(timer));
              socket.once('connect', () => resolve({ closedMs }));
              socket.once('close', () => resolve({ closedMs }));
            }),
        ),
      );
      const times = await Promise.all(sockets.map((one) => one.closedMs));
      const atOnce = times.filter((ms) => ms < 500).length;
      const slowest = Math.round(Math.max(...times));
      return {
        kind: 'closed',
        text: `${atOnce} of ${times.length} closed within 500 ms, the last in ${slowest} ms`,
      };
    },
    check: (answer) => {
      const [, atOnce, , slowest] = /(\d+) of (\d+) closed within 500 ms, the last in (\d+) ms/.exec(answer.text) ?? [];
      if (Number(atOnce) < 90) return `expected about 100 connections beyond the cap closed at once: ${answer.text}`;
      if (!(Number(slowest) < 5000)) return `idle connections were kept past the headers timeout: ${answer.text}`;
      return undefined;
    },
  },
  {
    name: 'header flood: 2,000 headers, 80 KiB: 431',
    run: async ({ port }) => {
      const flood: Record<string, string> = { ...modernHeaders('tools/list') };
      for (let i = 0; i < 2000; i++) flood[`x-flood-${i}`] = 'y'.repeat(30);
      return rawAnswer(
        await raw(port, (socket) => socket.write(head(port, flood)), { until: 'close', timeoutMs: 3000 }),
      );
    },
    check: (answer) =>
      answer.kind === 'http' && answer.code === 431
        ? undefined
        : `expected 431, got ${answer.kind} ${answer.code ?? ''}`,
  },
  {
    name: '1,000 requests without a session id that are not initialize (2025-11-25): 400 each, no session',
    run: async ({ port }) => {
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
      const statuses = new Map<number, number>();
      for (let i = 0; i < 1000; i += 50) {
        const replies = await Promise.all(Array.from({ length: 50 }, () => post(port, body, LEGACY_HEADERS)));
        for (const reply of replies) statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      }
      const last = await post(port, body, LEGACY_HEADERS);
      return {
        kind: 'http',
        code: last.status,
        text: `${last.body}\nstatuses ${JSON.stringify(Object.fromEntries(statuses))}`,
      };
    },
    check: (answer) =>
      rpcError(400, -32000)(answer) ?? (answer.text.includes('{"400":1000}') ? undefined : answer.text),
  },
  {
    name: 'a forged 8 KiB Mcp-Session-Id (2025-11-25): 404',
    run: async ({ port }) =>
      replyAnswer(
        await post(
          port,
          JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
          sessionHeaders('f'.repeat(8192)),
        ),
      ),
    check: rpcError(404, -32001),
  },
  {
    name: `2,000 sessions opened and never used (2025-11-25, maxSessions ${LIMITS.maxSessions}): the cap holds, the oldest get 404`,
    run: async (context) => {
      const { port } = context;
      const ids: string[] = [];
      const statuses = new Map<number, number>();
      const start = performance.now();
      for (let i = 0; i < 2000; i += 50) {
        const replies = await Promise.all(Array.from({ length: 50 }, () => post(port, INITIALIZE, LEGACY_HEADERS)));
        for (const reply of replies) {
          statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
          const id = reply.headers['mcp-session-id'];
          if (typeof id === 'string') ids.push(id);
        }
      }
      const ms = Math.round(performance.now() - start);
      const most = Math.max(
        ...[...context.stderr().matchAll(/opened \((\d+) open\)/g)].map((match) => Number(match[1])),
      );
      const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
      const oldest = await post(port, list, sessionHeaders(ids[0] as string));
      const newest = await post(port, list, sessionHeaders(ids[ids.length - 1] as string));
      return {
        kind: 'result',
        text: `${ids.length} sessions opened in ${ms} ms (statuses ${JSON.stringify(Object.fromEntries(statuses))}); at most ${most} open; oldest ${oldest.status} ${message(oldest)?.error?.message ?? ''}; newest ${newest.status}`,
      };
    },
    check: (answer) => {
      const most = Number(/at most (\d+) open/.exec(answer.text)?.[1]);
      if (!(most <= LIMITS.maxSessions)) return `more sessions than the cap were open: ${answer.text}`;
      if (!answer.text.includes('oldest 404')) return `the oldest idle session was not closed: ${answer.text}`;
      if (!answer.text.includes('newest 200')) return `the newest session does not work: ${answer.text}`;
      if (!answer.text.startsWith('2000 sessions')) return `not every initialize was answered: ${answer.text}`;
      return undefined;
    },
  },
];

/** The config of the suite's server: the fixture pack, short limits. */
function suiteConfig(dir: string, transport: Record<string, unknown> = LIMITS): string {
  return writeConfig(dir, {
    transport: { type: 'http', sessionIdleSeconds: 600, ...transport },
    packs: [{ use: LOCAL_PACK, prefix: 'fx' }],
  });
}

/**
 * A server with the inspector on, so that a full garbage collection can be asked for before memory is read:
 * resident size right after thousands of requests is mostly garbage the collector has not come to yet.
 */
export async function startInspectable(
  args: readonly string[],
  options: { cwd?: string } = {},
): Promise<{ server: HttpChild; memory(): Promise<{ rssKiB: number; heapKiB: number }>; close(): Promise<void> }> {
  const server = await startHttp(['--log-level', 'debug', ...args], {
    env: { MCP_PACKS_TOKEN: TOKEN, NODE_OPTIONS: '--inspect=127.0.0.1:0' },
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  const wsUrl = /Debugger listening on (ws:\/\/\S+)/.exec(server.stderr())?.[1];
  if (!wsUrl) throw new Error(`no inspector URL in:\n${server.stderr()}`);
  const socket = new WebSocket(wsUrl);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', reject, { once: true });
  });
  let id = 0;
  const waiting = new Map<number, (value: unknown) => void>();
  socket.addEventListener('message', (event) => {
    const reply = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (reply.id !== undefined) waiting.get(reply.id)?.(reply.result);
  });
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve) => {
      waiting.set(++id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  return {
    server,
    async memory() {
      await call('HeapProfiler.collectGarbage');
      await call('HeapProfiler.collectGarbage');
      const result = (await call('Runtime.evaluate', {
        expression: 'JSON.stringify(process.memoryUsage())',
        returnByValue: true,
      })) as { result: { value: string } };
      const usage = JSON.parse(result.result.value) as { rss: number; heapUsed: number };
      return { rssKiB: Math.round(usage.rss / 1024), heapKiB: Math.round(usage.heapUsed / 1024) };
    },
    async close() {
      socket.close();
      await server.stop();
    },
  };
}

/** Open `count` sessions, 50 at a time; their ids. */
export async function openSessions(port: number, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 50) {
    const replies = await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, () => post(port, INITIALIZE, LEGACY_HEADERS)),
    );
    for (const reply of replies) {
      const id = reply.headers['mcp-session-id'];
      if (typeof id === 'string') ids.push(id);
    }
  }
  return ids;
}

/** Memory of `count` idle 2025-era sessions on a fresh server started with `args`, per session. */
async function idleSessionMemory(args: readonly string[], count: number, cwd?: string) {
  const measured = await startInspectable(args, cwd ? { cwd } : {});
  try {
    const port = Number(new URL(measured.server.url).port);
    await goodCall(port).catch(() => undefined); // the fixture pack may be absent; warms the request path either way
    await openSessions(port, 20); // the first sessions warm what every session uses (compiled code, caches)
    const before = await measured.memory();
    const start = performance.now();
    const ids = await openSessions(port, count);
    const ms = performance.now() - start;
    const rawRss = Number(
      /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${measured.server.child.pid}/status`, 'utf8'))?.[1],
    );
    const after = await measured.memory();
    const open = Math.max(...[...measured.server.stderr().matchAll(/opened \((\d+) open\)/g)].map((m) => Number(m[1])));
    return {
      sessions: ids.length,
      open,
      rssPerSessionKiB: Math.round(((after.rssKiB - before.rssKiB) / ids.length) * 10) / 10,
      heapPerSessionKiB: Math.round(((after.heapKiB - before.heapKiB) / ids.length) * 10) / 10,
      rssBeforeGcPerSessionKiB: Math.round(((rawRss - before.rssKiB) / ids.length) * 10) / 10,
      initializeMs: Math.round((ms / ids.length) * 100) / 100,
      rssBeforeMiB: Math.round(before.rssKiB / 102.4) / 10,
      rssAfterMiB: Math.round(after.rssKiB / 102.4) / 10,
    };
  } finally {
    await measured.close();
  }
}

const suite: HostileSuite<HttpContext> = {
  area: 'http',
  async start() {
    const dir = tempDir('mcp-packs-hostile-http-');
    const server = await startHttp(['--config', suiteConfig(dir.path), '--log-level', 'debug'], {
      env: { MCP_PACKS_TOKEN: TOKEN },
    });
    const port = Number(new URL(server.url).port);
    const pid = server.child.pid as number;
    return {
      pid,
      port,
      url: server.url,
      stderr: server.stderr,
      probe: async () => {
        await goodCall(port);
      },
      alive: () => server.child.exitCode === null && server.child.signalCode === null,
      close: async () => {
        await server.stop();
        dir.cleanup();
      },
    };
  },
  cases,
  async figures() {
    const dir = tempDir('mcp-packs-hostile-http-figures-');
    try {
      const fixture = await idleSessionMemory(
        ['--config', suiteConfig(dir.path, { maxSessions: 10_000, maxConnections: 10_000 })],
        2000,
      );
      // The built-in default config (five packs), as a user without a config file runs it (fs on an empty folder).
      const cwd = join(dir.path, 'cwd');
      mkdirSync(cwd);
      const defaults = await idleSessionMemory([], 500, cwd);
      return { idleSession: { fixturePack3Tools: fixture, defaultPacks: defaults } };
    } finally {
      dir.cleanup();
    }
  },
};

export default suite;
