import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const config = join(here, '..', 'mcp-packs.config.json');
const cli = join(here, '..', '..', '..', 'apps', 'server', 'dist', 'cli.js');
const token = 'example-deployment-token-0123456789';

describe('the HTTP deployment config, served for real', () => {
  let child: ChildProcess;
  let url: URL;
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'http-deployment-'));
    child = spawn(process.execPath, [cli, '--config', config, '--port', '0'], {
      env: {
        ...process.env,
        MCP_PACKS_TOKEN: token,
        TEAM_NOTES_DIR: join(scratch, 'notes'),
        XDG_CACHE_HOME: join(scratch, 'cache'),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    url = await new Promise<URL>((resolve, reject) => {
      let seen = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const match = /on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(seen);
        if (match?.[1]) resolve(new URL(match[1]));
      });
      child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${seen}`)));
    });
  });

  afterAll(async () => {
    child?.kill('SIGTERM');
    await rm(scratch, { recursive: true, force: true });
  });

  it('refuses a request without the bearer token', async () => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(401);
  });

  it('refuses a Host the config does not name', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, origin: 'https://evil.example' },
      body: '{}',
    });
    expect(response.status).toBe(403);
  });

  it.each(['auto', 'legacy'] as const)(
    'serves the four packs to a client with the token (negotiation: %s)',
    async (mode) => {
      const client = new Client({ name: 'deployment-test', version: '0' }, { versionNegotiation: { mode } });
      await client.connect(
        new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
      );
      expect(client.getNegotiatedProtocolVersion()).toBe(mode === 'auto' ? '2026-07-28' : '2025-11-25');
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      expect(names).toEqual(expect.arrayContaining(['sys_current_time', 'math_evaluate', 'web_fetch', 'notes_create']));
      const sum = await client.callTool({ name: 'math_evaluate', arguments: { expression: '2 + 2' } });
      expect(JSON.stringify(sum.structuredContent)).toContain('"4"');
      await client.close();
    },
  );
});
