import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, '..', '..', 'apps', 'server', 'dist', 'cli.js');

describe('the dice pack, loaded by mcp-packs from a config file', () => {
  it('is served beside our packs and answers over stdio', async () => {
    // Negotiates as clients in the field do: server/discover (2026-07-28) first, initialize if that fails.
    const client = new Client({ name: 'dice-example', version: '0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [cli, '--config', join(root, 'mcp-packs.config.json')],
        stderr: 'ignore',
      }),
    );
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    const names = (await client.listTools()).tools.map((tool) => tool.name).sort();
    expect(names).toEqual(['dice_roll', 'sys_current_time']);
    const result = await client.callTool({ name: 'dice_roll', arguments: { notation: '2d6' } });
    expect((result.structuredContent as { rolls: number[] }).rolls).toHaveLength(2);
    const tooMany = await client.callTool({ name: 'dice_roll', arguments: { notation: '30d6' } });
    expect(tooMany.isError).toBe(true);
    await client.close();
  });
});
