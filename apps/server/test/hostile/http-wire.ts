/**
 * The wire side of the hostile HTTP suite (http.cases.ts): the token and limits its server runs with, requests of
 * both protocol eras, a raw TCP client that writes, streams or drips bytes, the good client that must be served
 * meanwhile, and the checks the cases share.
 */
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Answer, SuiteContext } from './harness.js';

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

export const LEGACY_HEADERS = { accept: ACCEPT, 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };

/** The headers of a request in a 2025-era session. */
export function sessionHeaders(sessionId: string): Record<string, string> {
  return { ...LEGACY_HEADERS, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' };
}

export interface Reply {
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
export function message(reply: Reply): { result?: unknown; error?: { code?: number; message?: string } } | undefined {
  const text = /^data: (.*)$/m.exec(reply.body)?.[1] ?? reply.body;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function replyAnswer(reply: Reply): Answer {
  return { kind: 'http', code: reply.status, text: reply.body };
}

/** The good client: a 2026-era tools/call that must be answered with its result. Throws otherwise. */
export async function goodCall(port: number, text = 'next'): Promise<number> {
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
export function head(port: number, headers: Record<string, string>, method = 'POST'): string {
  const lines = [`${method} /mcp HTTP/1.1`, `Host: 127.0.0.1:${port}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** What a raw socket got: the first response's status (if any), what was read, how it ended. */
export interface RawOutcome {
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
export function raw(
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
export function stream(socket: Socket, total: number, sent: (bytes: number) => void, chunked: boolean): void {
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
export function drip(socket: Socket, text: string, sent: (bytes: number) => void, everyMs: number, already = 0): void {
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

export const rpcError = (status: number, code: number) => (answer: Answer) => {
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

export const within = (ms: number, check: (answer: Answer) => string | undefined) => (answer: Answer) => {
  const verdict = check(answer);
  if (verdict) return verdict;
  const took = Number(/in (\d+) ms/.exec(answer.text)?.[1] ?? Number.NaN);
  return took <= ms ? undefined : `expected an answer within ${ms} ms, it took ${took} ms: ${answer.text}`;
};

/** A raw outcome as an answer: the status line and body when there was a response, else how the socket ended. */
export function rawAnswer(outcome: RawOutcome, note = ''): Answer {
  const body = outcome.text.slice(outcome.text.lastIndexOf('\r\n\r\n') + 4);
  const summary = `in ${outcome.ms} ms, ${outcome.sent} bytes sent${note ? `; ${note}` : ''}`;
  if (outcome.status !== undefined) return { kind: 'http', code: outcome.status, text: `${body}\n${summary}` };
  return { kind: outcome.end === 'closed' ? 'closed' : 'timeout', text: summary };
}

export const MiB = 1024 * 1024;

/** How many stalled connections the server has dropped so far (its debug log says so). */
export const drops = (log: string) => log.split('dropping its connection').length - 1;

/** Poll `condition` every 50 ms for up to `timeoutMs`; whether it came true. */
export async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/** The slow client cases: while `slow` runs, a good client must be answered. */
export async function meanwhile<T>(port: number, slow: Promise<T>): Promise<{ outcome: T; goodMs: number }> {
  await new Promise((resolve) => setTimeout(resolve, 200));
  const goodMs = await goodCall(port, 'meanwhile');
  return { outcome: await slow, goodMs };
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
