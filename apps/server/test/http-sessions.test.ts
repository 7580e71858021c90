import { describe, expect, it } from 'vitest';
import { startHttp, tempDir } from './helpers.ts';
import { config, connect, INITIALIZE, MCP_HEADERS, request, TOKEN } from './http-helpers.ts';

describe('HTTP sessions and tokens', () => {
  it('keeps a connected client, and closes its session once it went away and the session idled', async () => {
    const dir = tempDir();
    const server = await startHttp(
      ['--config', config(dir.path, { sessionIdleSeconds: 0.3 }), '--log-level', 'debug'],
      {
        env: { MCP_PACKS_TOKEN: TOKEN },
      },
    );
    try {
      const { client, transport } = await connect(server.url);
      const sessionId = transport.sessionId as string;
      await client.listTools();
      // Connected (its event stream open), a client keeps its session however long it is quiet.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect((await client.listTools()).tools).toHaveLength(3);
      expect(server.stderr()).not.toContain(`session ${sessionId} closed`);
      // Gone without a DELETE (a crashed or closed client): the session is cleaned up after the idle time.
      await client.close();
      await expect.poll(() => server.stderr(), { timeout: 5000 }).toContain(`session ${sessionId} closed`);
      const after = await request(server.url, {
        headers: { ...MCP_HEADERS, authorization: `Bearer ${TOKEN}`, 'mcp-session-id': sessionId },
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
      });
      expect(after.status).toBe(404);
    } finally {
      await server.stop();
      dir.cleanup();
    }
  });

  it('refuses a session beyond maxSessions with 503 while every session is busy, and accepts again once one ends', async () => {
    const dir = tempDir();
    const server = await startHttp(['--config', config(dir.path, { maxSessions: 2 })], {
      env: { MCP_PACKS_TOKEN: TOKEN },
    });
    try {
      // Connected clients keep their event stream open: busy sessions, which a new one may not replace.
      const first = await connect(server.url);
      const second = await connect(server.url);
      await Promise.all([first.client.listTools(), second.client.listTools()]);
      const third = await request(server.url, {
        headers: { ...MCP_HEADERS, authorization: `Bearer ${TOKEN}` },
        body: INITIALIZE,
      });
      expect(third.status).toBe(503);
      expect(third.headers['retry-after']).toBe('30');
      await first.transport.terminateSession();
      await first.client.close();
      const again = await connect(server.url);
      expect((await again.client.listTools()).tools).toHaveLength(3);
      await Promise.all([second.client.close(), again.client.close()]);
    } finally {
      await server.stop();
      dir.cleanup();
    }
  });

  it('generates a token when none is configured, and prints it to stderr once', async () => {
    const dir = tempDir();
    const server = await startHttp(['--config', config(dir.path)]);
    try {
      const printed = [...server.stderr().matchAll(/Authorization: Bearer (\S+)/g)];
      expect(printed).toHaveLength(1);
      const token = printed[0]?.[1] as string;
      expect(token.length).toBeGreaterThanOrEqual(32);
      const { client } = await connect(server.url, token);
      expect((await client.listTools()).tools).toHaveLength(3);
      await client.close();
    } finally {
      const exit = await server.stop();
      dir.cleanup();
      expect([...exit.stderr.matchAll(/Authorization: Bearer/g)]).toHaveLength(1);
    }
  });

  it('serves statelessly when asked: no sessions, POST only', async () => {
    const dir = tempDir();
    const server = await startHttp(['--config', config(dir.path, { stateless: true })], {
      env: { MCP_PACKS_TOKEN: TOKEN },
    });
    try {
      const { client, transport } = await connect(server.url);
      expect(transport.sessionId).toBeUndefined();
      const result = await client.callTool({ name: 'fx_echo', arguments: { text: 'stateless' } });
      expect(result.structuredContent).toEqual({ text: 'hello stateless' });
      const get = await request(server.url, {
        method: 'GET',
        headers: { accept: 'text/event-stream', authorization: `Bearer ${TOKEN}` },
      });
      expect(get.status).toBe(405);
      await client.close();
    } finally {
      await server.stop();
      dir.cleanup();
    }
  });
});
