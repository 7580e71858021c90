import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const tsx = join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'cli.mjs');

describe('compose in code (real child process over stdio)', () => {
  let dir: string;
  let client: Client;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'compose-example-'));
    await writeFile(join(dir, 'hello.txt'), 'hello from the example\n');
    client = new Client({ name: 'example-test', version: '0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [tsx, '--conditions=@mcp-packs/source', join(here, 'server.ts')],
        env: { ...process.env, EXAMPLE_ROOT: dir } as Record<string, string>,
        stderr: 'ignore',
      }),
    );
  });

  afterAll(async () => {
    await client?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the three packs under their prefixes', async () => {
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
});
