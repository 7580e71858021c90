import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsx = join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'cli.mjs');
const cli = ['--conditions=@mcp-packs/source', join(root, 'src', 'cli.ts')];

describe('mcp-packs CLI (real child process)', () => {
  it('serves MCP on stdio with nothing but protocol on stdout', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [tsx, ...cli], stderr: 'pipe' });
    const client = new Client({ name: 'cli-test', version: '0' });
    await client.connect(transport);
    expect(client.getServerVersion()?.name).toBe('mcp-packs');
    expect(client.getServerCapabilities()?.logging).toEqual({});
    await client.close();
  });

  it('prints help to stderr and exits 0; an unknown argument exits 2', () => {
    const help = spawnSync(process.execPath, [tsx, ...cli, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toBe('');
    expect(help.stderr).toContain('Usage: mcp-packs');
    const bad = spawnSync(process.execPath, [tsx, ...cli, '--nope'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown argument "--nope"');
  });
});
