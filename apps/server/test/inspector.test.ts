import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, childEnv, LOCAL_PACK, ROOT, startHttp, tempDir, writeConfig } from './helpers.ts';

/**
 * The official MCP Inspector CLI (@modelcontextprotocol/inspector 1.0.3, `--cli`) drives the server: a client we
 * did not write, over stdio and over Streamable HTTP.
 */
const run = promisify(execFile);
const INSPECTOR = join(ROOT, 'node_modules', '.bin', 'mcp-inspector');
const TOKEN = 'inspector-token-0123456789';

async function inspector(args: readonly string[]): Promise<unknown> {
  const { stdout } = await run(INSPECTOR, ['--cli', ...args], { env: childEnv(), timeout: 60_000 });
  return JSON.parse(stdout);
}

describe('the MCP Inspector CLI against mcp-packs', () => {
  const dir = tempDir();
  const config = writeConfig(dir.path, { packs: [{ use: LOCAL_PACK, prefix: 'fx' }] });
  const stdio = ['-e', `MCP_PACKS_CONFIG=${config}`, '--', process.execPath, CLI];

  it('lists and calls tools over stdio', async () => {
    const listed = (await inspector([...stdio, '--method', 'tools/list'])) as { tools: { name: string }[] };
    expect(listed.tools.map((tool) => tool.name)).toEqual(['fx_echo', 'fx_slow', 'fx_write_note']);
    const called = await inspector([
      ...stdio,
      '--method',
      'tools/call',
      '--tool-name',
      'fx_echo',
      '--tool-arg',
      'text=inspected',
    ]);
    expect(called).toMatchObject({ structuredContent: { text: 'hello inspected' } });
    const read = (await inspector([...stdio, '--method', 'resources/read', '--uri', 'mcp-packs://server/packs'])) as {
      contents: { text: string }[];
    };
    expect(JSON.parse(read.contents[0]?.text ?? '{}').packs[0]).toMatchObject({ name: 'fixture', prefix: 'fx' });
  });

  describe('over Streamable HTTP', () => {
    let server: Awaited<ReturnType<typeof startHttp>>;
    beforeAll(async () => {
      server = await startHttp(['--config', config], { env: { MCP_PACKS_TOKEN: TOKEN } });
    });
    afterAll(async () => {
      await server.stop();
      dir.cleanup();
    });

    it('calls a tool with the bearer token', async () => {
      const http = [server.url, '--transport', 'http', '--header', `Authorization: Bearer ${TOKEN}`];
      const called = await inspector([
        ...http,
        '--method',
        'tools/call',
        '--tool-name',
        'fx_echo',
        '--tool-arg',
        'text=web',
      ]);
      expect(called).toMatchObject({ structuredContent: { text: 'hello web' } });
      await expect(
        run(INSPECTOR, ['--cli', server.url, '--transport', 'http', '--method', 'tools/list'], {
          env: childEnv(),
          timeout: 60_000,
        }),
      ).rejects.toThrow(/401|Unauthorized/);
    });
  });
});
