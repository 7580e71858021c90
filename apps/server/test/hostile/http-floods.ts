/**
 * The hostile HTTP cases that come in numbers (http.cases.ts): floods of connections, of headers, of requests
 * without a session, of sessions, and a forged session id.
 */
import { connect } from 'node:net';
import type { HostileCase } from './harness.js';
import {
  type HttpContext,
  head,
  INITIALIZE,
  LEGACY_HEADERS,
  LIMITS,
  message,
  modernHeaders,
  post,
  raw,
  rawAnswer,
  replyAnswer,
  rpcError,
  sessionHeaders,
} from './http-wire.js';

/** Floods of connections, headers, session-less requests and sessions. */
export const floodCases: HostileCase<HttpContext>[] = [
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
