import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, '..', '..', 'apps', 'server', 'dist', 'cli.js');

describe('the dice pack, loaded by mcp-packs from a config file', () => {
  it('is served beside our packs and answers over stdio', async () => {
    const client = new Client({ name: 'dice-example', version: '0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [cli, '--config', join(root, 'mcp-packs.config.json')],
        stderr: 'ignore',
      }),
    );
    const names = (await client.listTools()).tools.map((tool) => tool.name).sort();
    expect(names).toEqual(['dice_roll', 'sys_current_time']);
    const result = await client.callTool({ name: 'dice_roll', arguments: { notation: '2d6' } });
    expect((result.structuredContent as { rolls: number[] }).rolls).toHaveLength(2);
    const tooMany = await client.callTool({ name: 'dice_roll', arguments: { notation: '30d6' } });
    expect(tooMany.isError).toBe(true);
    await client.close();
  });
});
