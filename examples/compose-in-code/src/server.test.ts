import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioClientTransportV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const tsx = join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'cli.mjs');

/** Probes for the era on its own connection (the base class would start a second server just to probe). */
class InPlaceStdioClientTransport extends StdioClientTransport {}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'compose-example-'));
  await writeFile(join(dir, 'hello.txt'), 'hello from the example\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const serverParams = (file: string) => ({
  command: process.execPath,
  args: [tsx, '--conditions=@mcp-packs/source', join(here, file)],
  env: { ...process.env, EXAMPLE_ROOT: dir } as Record<string, string>,
  stderr: 'ignore' as const,
});

describe.each(['2026-07-28', '2025-11-25'] as const)(
  'compose in code on SDK v2 (real child over stdio, %s)',
  (protocol) => {
    let client: Client;

    beforeAll(async () => {
      client = new Client(
        { name: 'example-test', version: '0' },
        { versionNegotiation: { mode: protocol === '2025-11-25' ? 'legacy' : { pin: protocol } } },
      );
      await client.connect(new InPlaceStdioClientTransport(serverParams('server.ts')));
    });

    afterAll(async () => {
      await client?.close();
    });

    it('serves the three packs under their prefixes', async () => {
      expect(client.getNegotiatedProtocolVersion()).toBe(protocol);
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      expect(names).toEqual(expect.arrayContaining(['fs_read_text_file', 'sys_current_time', 'web_fetch']));
      expect(names).not.toContain('fs_write_file');
    });

    it('reads a file inside the root and refuses one outside', async () => {
      const read = await client.callTool({ name: 'fs_read_text_file', arguments: { path: 'hello.txt' } });
      expect(read.structuredContent).toMatchObject({ content: 'hello from the example\n' });
      const outside = await client.callTool({ name: 'fs_read_text_file', arguments: { path: '/etc/passwd' } });
      expect(outside.isError).toBe(true);
    });

    it('refuses to fetch a private address by default', async () => {
      const result = await client.callTool({ name: 'web_fetch', arguments: { url: 'http://127.0.0.1:9/' } });
      expect(result.isError).toBe(true);
      expect(JSON.stringify(result.content)).toContain('policy');
    });
  },
);

describe('the same packs on an SDK v1 server (real child over stdio, v1 client)', () => {
  it('lists and calls them', async () => {
    const client = new ClientV1({ name: 'example-test', version: '0' });
    await client.connect(new StdioClientTransportV1(serverParams('server-v1.ts')));
    try {
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      expect(names).toEqual(expect.arrayContaining(['fs_read_text_file', 'sys_current_time']));
      const read = await client.callTool({ name: 'fs_read_text_file', arguments: { path: 'hello.txt' } });
      expect(read.structuredContent).toMatchObject({ content: 'hello from the example\n' });
      const outside = await client.callTool({ name: 'fs_read_text_file', arguments: { path: '../x' } });
      expect(outside.isError).toBe(true);
    } finally {
      await client.close();
    }
  });
});
