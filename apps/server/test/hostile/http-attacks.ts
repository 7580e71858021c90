/**
 * The hostile HTTP cases about one request (http.cases.ts): bodies too large (declared, streamed, invited with
 * 100-continue), nested too deep, batches, clients too slow (headers or body one byte a second), and clients that
 * never read (one big answer, a pipelined burst).
 */
import { connect } from 'node:net';
import type { HostileCase } from './harness.js';
import {
  drip,
  drops,
  goodCall,
  type HttpContext,
  head,
  INITIALIZE,
  LEGACY_HEADERS,
  LIMITS,
  MiB,
  meanwhile,
  modern,
  modernHeaders,
  openSession,
  post,
  raw,
  rawAnswer,
  replyAnswer,
  rpcError,
  sessionHeaders,
  stream,
  until,
  within,
} from './http-wire.js';

/** Bodies too large, nested too deep, batches. */
export const bodyCases: HostileCase<HttpContext>[] = [
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
];

/** Clients too slow to send, and clients that never read. */
export const slowClientCases: HostileCase<HttpContext>[] = [
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
];
