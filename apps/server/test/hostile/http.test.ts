/**
 * The hostile HTTP suite (`http.cases.ts`) as tests, and what the cases cannot show on their own: that the session cap
 * bounds memory, that the limits on slow clients leave a long call and an idle event stream alone, that the limits
 * are checked in the config, and how the body is classified before it is parsed.
 */
import { describe, expect, it } from 'vitest';
import { bodyShape, MAX_JSON_DEPTH } from '../../src/transports/http.ts';
import { LOCAL_PACK, newClient, runCli, startHttp, tempDir, writeConfig } from '../helpers.ts';
import { describeSuite } from './describe-suite.js';
import suite, { openSessions, startInspectable, TOKEN } from './http.cases.js';

describeSuite(suite);

describe('hostile HTTP: beyond the cases', () => {
  it('caps the sessions: 2,000 initializes against maxSessions 500 keep the memory of 500', async () => {
    const dir = tempDir();
    const config = writeConfig(dir.path, {
      transport: { type: 'http', maxSessions: 500 },
      packs: [{ use: LOCAL_PACK, prefix: 'fx' }],
    });
    const measured = await startInspectable(['--config', config]);
    try {
      const port = Number(new URL(measured.server.url).port);
      await openSessions(port, 20);
      const empty = await measured.memory();
      // Up to the cap (the 20 above are the oldest, and go first), then three times as many again.
      await openSessions(port, 480);
      const full = await measured.memory();
      const flooded = await openSessions(port, 1500);
      const after = await measured.memory();
      expect(flooded).toHaveLength(1500);
      const open = [...measured.server.stderr().matchAll(/opened \((\d+) open\)/g)].map((match) => Number(match[1]));
      expect(Math.max(...open)).toBe(500);
      const capped = full.heapKiB - empty.heapKiB;
      // 1,500 more sessions, had they all stayed, would have tripled `capped`; evicted, they add next to nothing.
      expect(capped).toBeGreaterThan(0);
      expect(after.heapKiB - full.heapKiB).toBeLessThan(capped * 0.3);
    } finally {
      await measured.close();
      dir.cleanup();
    }
  }, 120_000);

  it('leaves a call longer than every timeout, and an idle event stream, alone (both eras)', async () => {
    const dir = tempDir();
    const config = writeConfig(dir.path, {
      transport: { type: 'http', headersTimeoutSeconds: 0.5, requestTimeoutSeconds: 0.5, sendTimeoutSeconds: 0.5 },
      packs: [{ use: LOCAL_PACK, prefix: 'fx' }],
    });
    const server = await startHttp(['--config', config, '--log-level', 'debug'], { env: { MCP_PACKS_TOKEN: TOKEN } });
    try {
      const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/client');
      for (const protocol of ['2026-07-28', '2025-11-25'] as const) {
        const client = newClient(protocol);
        await client.connect(
          new StreamableHTTPClientTransport(new URL(server.url), {
            requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
          }),
        );
        const result = await client.callTool({ name: 'fx_slow', arguments: { ms: 2000 } });
        expect(result.structuredContent).toEqual({ waited: 2000 });
        // The 2025 client's event stream has been open and quiet all along.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        expect((await client.listTools()).tools).toHaveLength(3);
        await client.close();
      }
      expect(server.stderr()).not.toContain('dropping its connection');
    } finally {
      await server.stop();
      dir.cleanup();
    }
  });

  it('refuses a headers timeout longer than the request timeout, at startup, naming the key', async () => {
    const dir = tempDir();
    try {
      const config = writeConfig(dir.path, {
        transport: { type: 'http', headersTimeoutSeconds: 30, requestTimeoutSeconds: 20, maxConnections: 0 },
        packs: [{ use: LOCAL_PACK }],
      });
      const result = await runCli(['check', '--config', config]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('transport.headersTimeoutSeconds');
      expect(result.stderr).toContain('may not exceed requestTimeoutSeconds (20)');
      expect(result.stderr).toContain('transport.maxConnections');
      // Against the default request timeout (60 s), a longer headers timeout alone is refused too.
      const alone = writeConfig(dir.path, { transport: { type: 'http', headersTimeoutSeconds: 90 }, packs: [] });
      expect((await runCli(['check', '--config', alone])).stderr).toContain('requestTimeoutSeconds (60)');
    } finally {
      dir.cleanup();
    }
  });

  it('tells batches and deep nesting from bodies fit to parse, without parsing', () => {
    expect(bodyShape(' \n[{"jsonrpc":"2.0"}]')).toBe('batch');
    expect(bodyShape('[')).toBe('batch');
    expect(bodyShape('{"jsonrpc":"2.0","id":1,"method":"ping"}')).toBe('ok');
    const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
    expect(bodyShape(deep(MAX_JSON_DEPTH))).toBe('ok');
    expect(bodyShape(deep(MAX_JSON_DEPTH + 1))).toBe('too-deep');
    // Brackets inside strings, escaped quotes and escaped backslashes do not count.
    expect(bodyShape(`{"a":"${'['.repeat(500)}"}`, 2)).toBe('ok');
    expect(bodyShape(`{"a":"\\"${'{'.repeat(500)}"}`, 2)).toBe('ok');
    expect(bodyShape(`{"a":"\\\\",${'"b":{'.repeat(3)}1}}}}`, 2)).toBe('too-deep');
    // Siblings are not depth.
    expect(bodyShape(`{"a":[${'[],'.repeat(1000)}[]]}`, 3)).toBe('ok');
    // Not JSON at all: JSON.parse will say so.
    expect(bodyShape(`{"a":"${'x'.repeat(500)}`)).toBe('ok');
  });
});
