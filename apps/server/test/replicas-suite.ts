/**
 * The client suite of the replica tests (replicas-single.test.ts, replicas-haproxy.test.ts): what a client checks
 * against one endpoint, and which replica answered each request (`Mcp-Packs-Replica`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { expect, it } from 'vitest';
import { FIXTURES, type HttpChild, LOCAL_PACK, newClient, type Protocol, tempDir } from './helpers.ts';

export const TOKEN = 'replicas-token-0123456789abcdef';
export const SECRET = 'the state secret every replica shares, 32+ chars';
const ASK_PACK = join(FIXTURES, 'ask-pack.mjs');
const TICKER_PACK = join(FIXTURES, 'ticker-pack.mjs');
const FILES = 25;

/** What one HTTP request of a client was, and which replica answered it. */
interface Exchange {
  /** The JSON-RPC method, `response` for the client's answer to a server request, or the HTTP method (GET, DELETE). */
  what: string;
  replica: string | null;
  status: number;
}

/** Where the suite connects: the endpoint, and each replica's own (one for a single process). */
export interface Target {
  url: string;
  replicas: readonly HttpChild[];
  /** Whether requests are spread over several replicas (the suite then checks they were). */
  spread: boolean;
}

function describeRequest(init: RequestInit | undefined): string {
  if (init?.method && init.method !== 'POST') return init.method;
  try {
    const body = JSON.parse(String(init?.body)) as { method?: string };
    return body.method ?? 'response';
  } catch {
    return 'POST';
  }
}

/** A real SDK client whose every request is recorded in `exchanges`; `route` may send a request elsewhere. */
export async function connect(
  url: string,
  protocol: Protocol,
  exchanges: Exchange[] = [],
  route?: (what: string, url: URL) => URL,
): Promise<{ client: Client; transport: StreamableHTTPClientTransport; settled(): Promise<void> }> {
  const pending: Promise<unknown>[] = [];
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
    fetch: async (input, init) => {
      const what = describeRequest(init);
      const target = route ? route(what, new URL(String(input))) : input;
      // Recorded when sent: the answer to a question (202) may come back after the result it unblocked.
      const exchange: Exchange = { what, replica: null, status: 0 };
      exchanges.push(exchange);
      const response = fetch(target, init).then((answer) => {
        exchange.replica = answer.headers.get('mcp-packs-replica');
        exchange.status = answer.status;
        return answer;
      });
      pending.push(response.catch(() => undefined));
      return response;
    },
  });
  const client = newClient(protocol, 'replicas-test', { elicitation: true });
  client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: {} }));
  await client.connect(transport);
  return { client, transport, settled: async () => void (await Promise.all(pending)) };
}

function replicasOf(exchanges: readonly Exchange[], what?: string): Set<string | null> {
  return new Set(exchanges.filter((e) => what === undefined || e.what === what).map((e) => e.replica));
}

const headers = (sessionId: string, extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${TOKEN}`,
  accept: 'application/json, text/event-stream',
  'content-type': 'application/json',
  'mcp-session-id': sessionId,
  'mcp-protocol-version': '2025-11-25',
  ...extra,
});

interface SseEvent {
  id: string | undefined;
  data: string;
}

/** Read SSE events from `response` until `done` says so (or the stream ends). */
async function readEvents(response: Response, done: (events: SseEvent[]) => boolean): Promise<SseEvent[]> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = '';
  try {
    while (!done(events)) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = block.split('\n');
        const id = lines
          .find((line) => line.startsWith('id:'))
          ?.slice(3)
          .trim();
        const data = lines
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trim())
          .join('\n');
        if (id !== undefined || data !== '') events.push({ id, data });
        end = buffer.indexOf('\n\n');
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return events;
}

/** The client suite: what every client may do, the same against one process and against the replicas. */
export function clientSuite(target: () => Target, protocol: Protocol): void {
  const sessions = protocol === '2025-11-25';

  it('lists the tools of every pack', async () => {
    const { client } = await connect(target().url, protocol);
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['math_evaluate', 'fs_search_files', 'fx_echo', 'ask_delete_thing']));
    await client.close();
  });

  it('calls tools of several packs', async () => {
    const exchanges: Exchange[] = [];
    const { client } = await connect(target().url, protocol, exchanges);
    const math = await client.callTool({ name: 'math_evaluate', arguments: { expression: '6 * 7' } });
    expect(JSON.stringify(math.structuredContent)).toContain('42');
    expect((await client.callTool({ name: 'fx_echo', arguments: { text: 'x' } })).structuredContent).toEqual({
      text: 'hello x',
    });
    const read = await client.callTool({ name: 'fs_read_text_file', arguments: { path: 'f00.txt' } });
    expect(read.isError).toBeFalsy();
    expect(JSON.stringify(read.content)).toContain('file 0');
    if (target().spread) expect(replicasOf(exchanges, 'tools/call').size).toBeGreaterThan(1);
    await client.close();
  });

  it('asks the user mid-call and takes the answer on another replica', async () => {
    const exchanges: Exchange[] = [];
    const { client, settled } = await connect(target().url, protocol, exchanges);
    const result = await client.callTool({ name: 'ask_delete_thing', arguments: { name: 'the draft' } });
    expect(result.structuredContent).toEqual({ deleted: true, answer: 'accept' });
    await settled();
    // 2026: the call and its retry with the answer; 2025: the call and the client's answer to elicitation/create.
    const round = exchanges.filter((e) => e.what === 'tools/call' || e.what === 'response');
    expect(round).toHaveLength(2);
    if (target().spread) expect(new Set(round.map((e) => e.replica)).size).toBe(2);
    await client.close();
  });

  it('pages through search_files, each page from whichever replica', async () => {
    const exchanges: Exchange[] = [];
    const { client } = await connect(target().url, protocol, exchanges);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.callTool({
        name: 'fs_search_files',
        arguments: { pattern: '*.txt', maxResults: 10, ...(cursor ? { cursor } : {}) },
      });
      expect(page.isError, JSON.stringify(page.content)).toBeFalsy();
      const { matches, nextCursor } = page.structuredContent as { matches: string[]; nextCursor?: string };
      seen.push(...matches);
      cursor = nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(FILES);
    expect(new Set(seen).size).toBe(FILES);
    if (target().spread) expect(replicasOf(exchanges, 'tools/call').size).toBeGreaterThan(1);
    await client.close();
  });

  if (!sessions) return;

  it('serves one session from every replica', async () => {
    const exchanges: Exchange[] = [];
    const { client, transport } = await connect(target().url, protocol, exchanges);
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    for (let i = 0; i < 6; i++) expect((await client.listTools()).tools.length).toBeGreaterThan(3);
    const served = replicasOf(exchanges, 'tools/list');
    expect(served.size).toBe(target().spread ? target().replicas.length : 1);
    await client.close();
  });

  it('delivers server messages on the standalone stream, from every replica that serves the session', async () => {
    const { client } = await connect(target().url, protocol);
    const ticks = new Set<string>();
    client.setNotificationHandler('notifications/message', (notification) => {
      const data = JSON.stringify(notification.params.data);
      const from = /tick from (\w+)/.exec(data)?.[1];
      if (from) ticks.add(from);
    });
    // Each request may land on another replica, which then holds the session too, and its packs log to it.
    for (let i = 0; i < 6; i++) await client.listTools();
    await expect.poll(() => ticks.size, { timeout: 5000 }).toBe(target().spread ? target().replicas.length : 1);
    await client.close();
  });

  it('resumes a stream with Last-Event-ID on another replica', async () => {
    const { client, transport } = await connect(target().url, protocol);
    const sessionId = transport.sessionId as string;
    const { replicas } = target();
    const first = replicas[0] as HttpChild;
    const call = await fetch(first.url, {
      method: 'POST',
      headers: headers(sessionId),
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 77,
        method: 'tools/call',
        params: { name: 'fx_slow', arguments: { ms: 50 }, _meta: { progressToken: 'p1' } },
      }),
    });
    expect(call.status).toBe(200);
    expect(call.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = await readEvents(call, (so) => so.some((e) => e.data.includes('"id":77')));
    // A priming event (an id, no data) opens the stream; the progress and the result follow, each with an id.
    const [priming] = events;
    expect(priming?.id).toBeDefined();
    expect(events.at(-1)?.data).toContain('"waited":50');
    // The client lost the stream right after the priming event: it asks again, from another replica.
    const other = replicas.at(-1) as HttpChild;
    if (target().spread) expect(other).not.toBe(first);
    const resumed = await fetch(other.url, {
      method: 'GET',
      headers: headers(sessionId, { 'last-event-id': priming?.id as string }),
    });
    expect(resumed.status).toBe(200);
    if (target().spread) expect(resumed.headers.get('mcp-packs-replica')).toBe('r3');
    const replayed = await readEvents(resumed, (so) => so.some((e) => e.data.includes('"id":77')));
    const withData = (list: SseEvent[]) => list.filter((e) => e.data !== '');
    expect(withData(replayed).map((e) => e.data)).toEqual(withData(events).map((e) => e.data));
    expect(withData(replayed).map((e) => e.id)).toEqual(withData(events).map((e) => e.id));
    await client.close();
  });

  it('ends a session on DELETE, on every replica', async () => {
    const { client, transport } = await connect(target().url, protocol);
    const sessionId = transport.sessionId as string;
    await client.listTools();
    await transport.terminateSession();
    for (const replica of target().replicas) {
      const after = await fetch(replica.url, {
        method: 'POST',
        headers: headers(sessionId),
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
      });
      expect(after.status).toBe(404);
    }
    await client.close().catch(() => {});
  });
}

export function packs(dataDir: string) {
  return [
    { use: '@mcp-packs/math' },
    { use: '@mcp-packs/filesystem', prefix: 'fs', config: { roots: [dataDir] } },
    { use: LOCAL_PACK, prefix: 'fx' },
    { use: ASK_PACK, prefix: 'ask' },
    { use: TICKER_PACK },
  ];
}

/** A temp dir for one test file's configs and state, with the files the filesystem pack serves in `dataDir`. */
export function replicaData(): { dir: ReturnType<typeof tempDir>; dataDir: string; write(): void } {
  const dir = tempDir('mcp-packs-replicas-');
  const dataDir = join(dir.path, 'data');
  const write = (): void => {
    writeFileSync(join(dir.path, '.keep'), '');
    const { mkdirSync } = process.getBuiltinModule('node:fs');
    mkdirSync(dataDir, { recursive: true });
    for (let i = 0; i < FILES; i++) writeFileSync(join(dataDir, `f${String(i).padStart(2, '0')}.txt`), `file ${i}\n`);
  };
  return { dir, dataDir, write };
}
