/**
 * Presets: named subsets of the tools, each its own endpoint. Through the built CLI as a real child process: stdio
 * with `--preset`, Streamable HTTP at `/mcp/<name>` (auth, Host and Origin checks, sessions per endpoint), both
 * protocol eras, a real SDK client; search mode per endpoint; `list`, `check`, and the problems of a bad preset.
 */
import { request as httpRequest } from 'node:http';
import { type Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  connectStdio,
  type HttpChild,
  LOCAL_PACK,
  newClient,
  OTHER_PACK,
  PROTOCOLS,
  runCli,
  startHttp,
  tempDir,
  writeConfig,
} from './helpers.ts';

const TOKEN = 'presets-token-0123456789ab';

/** The fixture pack as `fx` (echo, slow; write_note hidden), the other pack (other_echo), and two presets. */
function presetsConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    server: { instructions: 'Be brief.' },
    packs: [{ use: LOCAL_PACK, prefix: 'fx', transforms: { write_note: { hidden: true } } }, { use: OTHER_PACK }],
    presets: {
      talk: { tools: ['fx_e*', 'other_echo'], description: 'Echo things back.' },
      wait: { tools: ['fx_slow'] },
    },
    ...extra,
  };
}

async function names(client: Client): Promise<string[]> {
  return (await client.listTools()).tools.map((tool) => tool.name).sort();
}

function textOf(result: { contents: ({ text: string } | { blob: string })[] }): string {
  return result.contents.map((content) => ('text' in content ? content.text : '')).join('');
}

function callText(result: unknown): string {
  return ((result as { content?: { text?: string }[] }).content ?? []).map((block) => block.text ?? '').join('');
}

/** A tool the endpoint does not serve: an error either way (protocol error or isError result). */
async function expectNotServed(client: Client, name: string, args: Record<string, unknown>): Promise<void> {
  const outcome = await client.callTool({ name, arguments: args }).catch((error: Error) => error);
  if (outcome instanceof Error) expect(outcome.message).toMatch(/not found|unknown tool/i);
  else {
    expect(outcome.isError).toBe(true);
    expect(callText(outcome)).toMatch(/not found|no tool/i);
  }
}

/** What the `talk` preset serves and says, on any transport and era. */
async function checkTalk(client: Client): Promise<void> {
  expect(await names(client)).toEqual(['fx_echo', 'other_echo']);
  expect(await client.callTool({ name: 'fx_echo', arguments: { text: 'x' } })).toMatchObject({
    structuredContent: { text: 'hello x' },
  });
  await expectNotServed(client, 'fx_slow', { ms: 0 });
  await expectNotServed(client, 'fx_write_note', { text: 'x' });
  const instructions = client.getInstructions() ?? '';
  expect(instructions).toContain('Be brief.');
  expect(instructions).toContain('## Preset "talk"\nEcho things back.');
  expect(instructions).toContain('Use fixture tools in tests only.');
  const packs = JSON.parse(textOf(await client.readResource({ uri: 'mcp-packs://server/packs' }))) as {
    preset?: string;
    packs: { tools: { name: string }[] }[];
  };
  expect(packs.preset).toBe('talk');
  expect(packs.packs.map((pack) => pack.tools.map((tool) => tool.name))).toEqual([['fx_echo'], ['other_echo']]);
  // Resources and prompts are the packs' whole: a preset chooses tools.
  expect((await client.listPrompts()).prompts.map((prompt) => prompt.name)).toEqual(['fx_greet']);
}

describe('presets over stdio: mcp-packs --preset NAME (real child process)', () => {
  const dir = tempDir();
  const file = writeConfig(dir.path, presetsConfig());
  afterAll(() => dir.cleanup());

  it.each(PROTOCOLS)('serves only the preset’s tools (%s)', async (protocol) => {
    const { client, stderr } = await connectStdio(['--config', file, '--preset', 'talk'], { protocol });
    try {
      await checkTalk(client);
      expect(stderr()).toContain('serving preset talk: 2 packs (2 tools) on stdio');
    } finally {
      await client.close();
    }
  });

  it('without --preset, serves every tool', async () => {
    const { client } = await connectStdio(['--config', file]);
    try {
      expect(await names(client)).toEqual(['fx_echo', 'fx_slow', 'other_echo']);
      expect(client.getInstructions()).not.toContain('Preset');
    } finally {
      await client.close();
    }
  });

  it('search mode searches only the preset’s tools; auto mode counts the preset’s tools', async () => {
    const searching = writeConfig(
      dir.path,
      presetsConfig({ discovery: { mode: 'auto', autoAbove: 1, list: ['fx_echo'] } }),
      'auto.json',
    );
    const talk = await connectStdio(['--config', searching, '--preset', 'talk']);
    try {
      expect(await names(talk.client)).toEqual(['call_tool', 'fx_echo', 'search_tools']);
      expect(talk.client.getInstructions()).toContain('This server has 2 tools');
      const found = await talk.client.callTool({ name: 'search_tools', arguments: { query: 'wait milliseconds' } });
      const hits = (found.structuredContent as { tools: { name: string }[] }).tools.map((tool) => tool.name);
      expect(hits).not.toContain('fx_slow');
      expect(hits.every((name) => ['fx_echo', 'other_echo'].includes(name))).toBe(true);
      const refused = await talk.client.callTool({ name: 'call_tool', arguments: { name: 'fx_slow', arguments: {} } });
      expect(refused.isError).toBe(true);
      expect(refused._meta).toMatchObject({ code: 'unknown_tool' });
      const called = await talk.client.callTool({
        name: 'call_tool',
        arguments: { name: 'other_echo', arguments: { text: 'y' } },
      });
      expect(called.structuredContent).toEqual({ text: 'y' });
    } finally {
      await talk.client.close();
    }
    // One tool is not above autoAbove: listed as it is, and discovery.list's fx_echo is not this endpoint's.
    const wait = await connectStdio(['--config', searching, '--preset', 'wait']);
    try {
      expect(await names(wait.client)).toEqual(['fx_slow']);
    } finally {
      await wait.client.close();
    }
  });

  it('a semantic ranker at a preset endpoint ranks only its tools', async () => {
    const hybrid = writeConfig(
      dir.path,
      presetsConfig({ discovery: { mode: 'search', ranker: 'hybrid' } }),
      'hybrid.json',
    );
    const { client } = await connectStdio(['--config', hybrid, '--preset', 'wait']);
    try {
      const found = await client.callTool({ name: 'search_tools', arguments: { query: 'echo some text' } });
      const structured = found.structuredContent as { ranker: string; tools: { name: string }[] };
      expect(structured.ranker).toBe('hybrid');
      expect(structured.tools.map((tool) => tool.name)).toEqual(['fx_slow']);
    } finally {
      await client.close();
    }
  }, 120_000);

  it('`list --preset` and `check` show the presets', async () => {
    const listed = await runCli(['list', '--config', file, '--preset', 'talk', '--json']);
    expect(listed.code).toBe(0);
    const surface = JSON.parse(listed.stdout) as { preset?: string; tools: { name: string }[]; presets: unknown[] };
    expect(surface.preset).toBe('talk');
    expect(surface.tools.map((tool) => tool.name)).toEqual(['fx_echo', 'other_echo']);
    const all = JSON.parse((await runCli(['list', '--config', file, '--json'])).stdout) as { presets: unknown[] };
    expect(all.presets).toEqual([
      { name: 'talk', description: 'Echo things back.', tools: ['fx_echo', 'other_echo'] },
      { name: 'wait', tools: ['fx_slow'] },
    ]);
    const text = await runCli(['list', '--config', file]);
    expect(text.stdout).toMatch(/Presets[^\n]*\n\s+talk\s+2 tools\s+Echo things back\.\n\s+wait\s+1 tool\n/);
    const checked = await runCli(['check', '--config', file]);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain('preset talk: 2 packs (2 tools); preset wait: 2 packs (1 tool)');
  });
});

/** A raw request, to check what comes before MCP (auth, Host, paths). */
function raw(
  url: string,
  headers: Record<string, string>,
  body?: string,
  method = 'POST',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('presets over HTTP: /mcp/<name> beside /mcp (real child process, 127.0.0.1)', () => {
  const dir = tempDir();
  let server: HttpChild;
  let base: string;
  beforeAll(async () => {
    const file = writeConfig(dir.path, presetsConfig({ transport: { type: 'http' } }));
    server = await startHttp(['--config', file], { env: { MCP_PACKS_TOKEN: TOKEN } });
    base = server.url;
  });
  afterAll(async () => {
    const exit = await server.stop();
    dir.cleanup();
    expect(exit.code).toBe(0);
  });

  const connect = async (url: string, protocol: (typeof PROTOCOLS)[number]) => {
    const transport = new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
    });
    const client = newClient(protocol, 'presets-http');
    await client.connect(transport);
    return { client, transport };
  };

  it('logs each preset’s URL', async () => {
    // Logged right after the main endpoint's line, which startHttp waited for.
    await vi.waitFor(() => {
      expect(server.stderr()).toContain(`serving preset talk: 2 packs (2 tools) on ${base}/talk`);
      expect(server.stderr()).toContain(`serving preset wait: 2 packs (1 tool) on ${base}/wait`);
    });
  });

  it.each(PROTOCOLS)('each endpoint serves its own tools (%s)', async (protocol) => {
    const talk = await connect(`${base}/talk`, protocol);
    const wait = await connect(`${base}/wait`, protocol);
    const main = await connect(base, protocol);
    try {
      await checkTalk(talk.client);
      expect(await names(wait.client)).toEqual(['fx_slow']);
      expect(await wait.client.callTool({ name: 'fx_slow', arguments: { ms: 0 } })).toMatchObject({
        structuredContent: { waited: 0 },
      });
      await expectNotServed(wait.client, 'fx_echo', { text: 'x' });
      expect(await names(main.client)).toEqual(['fx_echo', 'fx_slow', 'other_echo']);
    } finally {
      await Promise.all([talk.client.close(), wait.client.close(), main.client.close()]);
    }
  });

  it('a preset endpoint has the same token, Host and Origin checks; an unknown one is 404', async () => {
    const headers = { accept: 'application/json, text/event-stream', 'content-type': 'application/json' };
    const init = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
    });
    const auth = { ...headers, authorization: `Bearer ${TOKEN}` };
    expect((await raw(`${base}/talk`, headers, init)).status).toBe(401);
    expect((await raw(`${base}/talk`, { ...auth, host: 'attacker.example' }, init)).status).toBe(403);
    expect((await raw(`${base}/talk`, { ...auth, origin: 'https://attacker.example' }, init)).status).toBe(403);
    expect((await raw(`${base}/talk`, auth, init)).status).toBe(200);
    const missing = await raw(`${base}/nope`, auth, init);
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('the MCP endpoint is /mcp (and its presets at /mcp/<name>)');
    expect(missing.body).not.toContain('talk');
  });

  it('a 2025 session belongs to the endpoint it was opened at', async () => {
    const main = await connect(base, '2025-11-25');
    try {
      const sessionId = main.transport.sessionId as string;
      expect(sessionId).toBeTruthy();
      const elsewhere = await raw(
        `${base}/talk`,
        {
          accept: 'application/json, text/event-stream',
          'content-type': 'application/json',
          authorization: `Bearer ${TOKEN}`,
          'mcp-session-id': sessionId,
          'mcp-protocol-version': '2025-11-25',
        },
        JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }),
      );
      expect(elsewhere.status).toBe(404);
      expect(elsewhere.body).toContain('Session not found');
      // Still good where it was opened.
      expect(await names(main.client)).toEqual(['fx_echo', 'fx_slow', 'other_echo']);
    } finally {
      await main.client.close();
    }
  });
});

describe('presets over stateless HTTP (2025 era without sessions)', () => {
  it('serves each preset per request', async () => {
    const dir = tempDir();
    const file = writeConfig(dir.path, presetsConfig({ transport: { type: 'http', stateless: true } }));
    const server = await startHttp(['--config', file], { env: { MCP_PACKS_TOKEN: TOKEN } });
    try {
      for (const protocol of PROTOCOLS) {
        const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/wait`), {
          requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
        });
        const client = newClient(protocol, 'presets-stateless');
        await client.connect(transport);
        try {
          expect(await names(client)).toEqual(['fx_slow']);
          expect(transport.sessionId).toBeUndefined();
        } finally {
          await client.close();
        }
      }
    } finally {
      expect((await server.stop()).code).toBe(0);
      dir.cleanup();
    }
  });
});

describe('bad presets: every problem with its key path and a fix', () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  it('reports tools no pack offers (hidden ones too) and patterns that match nothing', async () => {
    const file = writeConfig(
      dir.path,
      presetsConfig({
        presets: {
          talk: { tools: ['fx_echo', 'other_ecko', 'fx_write_note', 'web_*'] },
        },
      }),
    );
    const result = await runCli(['check', '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('3 problems');
    expect(result.stderr).toMatch(
      /presets\.talk\.tools\[1\]\n\s+no mounted pack offers a tool "other_ecko"\.\n\s+fix: did you mean "other_echo"\?/,
    );
    expect(result.stderr).toMatch(/presets\.talk\.tools\[2\]\n\s+no mounted pack offers a tool "fx_write_note"/);
    expect(result.stderr).toMatch(/presets\.talk\.tools\[3\]\n\s+"web_\*" matches no mounted tool\.\n\s+fix: /);
  });

  it('reports a bad name, an empty list and a misspelt key', async () => {
    const file = writeConfig(
      dir.path,
      presetsConfig({
        presets: {
          'Talk Tools': { tools: ['fx_echo'] },
          empty: { tools: [] },
          typo: { tools: ['fx_echo'], descripton: 'x' },
        },
      }),
      'names.json',
    );
    const result = await runCli(['check', '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /presets\["Talk Tools"\]\n\s+the name "Talk Tools" is not allowed here: a preset name is lower-case[^\n]*\n\s+fix: name it with lower-case letters/,
    );
    expect(result.stderr).toMatch(/presets\.empty\.tools\n\s+a preset needs at least one tool\./);
    expect(result.stderr).toMatch(
      /presets\.typo\.descripton\n\s+unknown key "descripton"\.\n\s+fix: did you mean "description"\?/,
    );
  });

  it('refuses --preset with an unknown name, a bad name, or over HTTP', async () => {
    const file = writeConfig(dir.path, presetsConfig(), 'good.json');
    for (const command of [[], ['list'], ['check']]) {
      const unknown = await runCli([...command, '--config', file, '--preset', 'tlak']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain(`no preset "tlak" in ${file}; its presets: talk, wait.`);
    }
    const none = await runCli(['list', '--config', writeConfig(dir.path, { packs: [] }, 'none.json'), '--preset', 'x']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('it has no "presets" section');
    const bad = await runCli(['--config', file, '--preset', 'Talk!']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--preset takes a preset name');
    const http = await runCli(['--config', file, '--http', '--preset', 'talk']);
    expect(http.code).toBe(2);
    expect(http.stderr).toContain('over HTTP every preset is served beside the main endpoint, at /mcp/talk');
    const configured = writeConfig(dir.path, presetsConfig({ transport: { type: 'http' } }), 'http.json');
    const implicit = await runCli(['--config', configured, '--preset', 'talk']);
    expect(implicit.code).toBe(2);
    expect(implicit.stderr).toContain("add --stdio, or connect to the preset's endpoint (/mcp/talk)");
  });
});
