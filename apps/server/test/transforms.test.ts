// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${ENV} references are the data under test.
/**
 * Per-mount tool transforms from the config file (`packs[].transforms`), through the built CLI as a real child
 * process: over stdio and Streamable HTTP, in both protocol eras, with a real SDK client; in `list`, `check` and the
 * server's own resources; and the problems a bad transform is reported with.
 */
import { type Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectStdio,
  type HttpChild,
  LOCAL_PACK,
  newClient,
  PROTOCOLS,
  runCli,
  startHttp,
  tempDir,
  writeConfig,
} from './helpers.ts';

const TOKEN = 'transforms-token-0123456789';

/** The fixture pack (echo, slow, write_note) as `fx`, with a transform of each kind. */
const TRANSFORMED = {
  use: LOCAL_PACK,
  prefix: 'fx',
  config: { greeting: 'hello' },
  transforms: {
    echo: {
      name: 'say',
      title: 'Say',
      description: 'Say the text back, after the greeting.',
      args: { text: { default: 'world' } },
      tags: ['demo', 'text'],
    },
    fx_slow: { args: { ms: { fixed: 0 } }, annotations: { openWorldHint: true, title: 'Wait' } },
    write_note: { hidden: true },
  },
};

function textOf(result: { contents: ({ text: string } | { blob: string })[] }): string {
  return result.contents.map((content) => ('text' in content ? content.text : '')).join('');
}

function callText(result: unknown): string {
  return ((result as { content?: { text?: string }[] }).content ?? []).map((block) => block.text ?? '').join('');
}

/** What every transport and era must show and do with {@link TRANSFORMED}. */
async function checkTransformed(client: Client): Promise<void> {
  const { tools } = await client.listTools();
  expect(tools.map((tool) => tool.name).sort()).toEqual(['fx_say', 'fx_slow']);
  const say = tools.find((tool) => tool.name === 'fx_say');
  expect(say).toMatchObject({ title: 'Say', description: 'Say the text back, after the greeting.' });
  expect(say?._meta?.['mcp-packs/tags']).toEqual(['demo', 'text']);
  const sayInput = say?.inputSchema as { properties: Record<string, { default?: unknown }>; required?: string[] };
  expect(sayInput.properties.text?.default).toBe('world');
  expect(sayInput.required ?? []).not.toContain('text');
  const slow = tools.find((tool) => tool.name === 'fx_slow');
  expect(Object.keys((slow?.inputSchema as { properties?: object } | undefined)?.properties ?? {})).not.toContain('ms');
  // openWorldHint true is the spec's default, so the listing leaves it out: absent, not false.
  expect(slow?.annotations).toEqual({ readOnlyHint: true, title: 'Wait' });

  expect(await client.callTool({ name: 'fx_say', arguments: {} })).toMatchObject({
    structuredContent: { text: 'hello world' },
  });
  expect(await client.callTool({ name: 'fx_say', arguments: { text: 'there' } })).toMatchObject({
    structuredContent: { text: 'hello there' },
  });
  expect(await client.callTool({ name: 'fx_slow', arguments: {} })).toMatchObject({
    structuredContent: { waited: 0 },
  });
  const refused = await client.callTool({ name: 'fx_slow', arguments: { ms: 5000 } });
  expect(refused.isError).toBe(true);
  expect(callText(refused)).toContain('fixed to 0');
  // The old name and the hidden tool are not served at all.
  for (const name of ['fx_echo', 'fx_write_note']) {
    const gone = await client.callTool({ name, arguments: { text: 'x' } }).catch((error: Error) => error);
    expect(gone instanceof Error ? gone.message : callText(gone)).toMatch(/not found|unknown tool/i);
  }

  const packs = JSON.parse(textOf(await client.readResource({ uri: 'mcp-packs://server/packs' }))) as {
    packs: { tools: { name: string; title?: string; annotations: Record<string, unknown>; tags?: string[] }[] }[];
  };
  expect(packs.packs[0]?.tools).toEqual([
    {
      name: 'fx_say',
      title: 'Say',
      annotations: { readOnlyHint: true, openWorldHint: false },
      tags: ['demo', 'text'],
    },
    { name: 'fx_slow', annotations: { readOnlyHint: true, title: 'Wait' } },
  ]);
  const config = JSON.parse(textOf(await client.readResource({ uri: 'mcp-packs://server/config' }))) as {
    packs: { transforms?: unknown }[];
  };
  expect(config.packs[0]?.transforms).toEqual(TRANSFORMED.transforms);
}

describe('config transforms over stdio (real child process)', () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  it.each(PROTOCOLS)('lists and calls the transformed tools, and documents them (%s)', async (protocol) => {
    const file = writeConfig(dir.path, { packs: [TRANSFORMED] }, `stdio-${protocol}.json`);
    const { client } = await connectStdio(['--config', file], { protocol });
    try {
      await checkTransformed(client);
    } finally {
      await client.close();
    }
  });

  it('a value fixed from the environment is used, and shown to clients as its ${NAME} template only', async () => {
    const file = writeConfig(
      dir.path,
      {
        packs: [
          { use: LOCAL_PACK, prefix: 'fx', transforms: { echo: { args: { text: { fixed: '${ECHO_SECRET}' } } } } },
        ],
      },
      'secret.json',
    );
    const { client } = await connectStdio(['--config', file], { env: { ECHO_SECRET: 'sesame-4711' } });
    try {
      expect(await client.callTool({ name: 'fx_echo', arguments: {} })).toMatchObject({
        structuredContent: { text: 'hello sesame-4711' },
      });
      const config = textOf(await client.readResource({ uri: 'mcp-packs://server/config' }));
      expect(config).toContain('${ECHO_SECRET}');
      expect(config).not.toContain('sesame-4711');
      const listed = JSON.stringify((await client.listTools()).tools);
      expect(listed).not.toContain('sesame-4711');
    } finally {
      await client.close();
    }
  });

  it('search mode searches the transformed tools, and call_tool is as cautious as they are', async () => {
    const file = writeConfig(dir.path, { discovery: { mode: 'search' }, packs: [TRANSFORMED] }, 'search.json');
    const { client } = await connectStdio(['--config', file]);
    try {
      const { tools } = await client.listTools();
      expect(tools.find((tool) => tool.name === 'call_tool')?.annotations).toMatchObject({
        readOnlyHint: true,
        openWorldHint: true,
      });
      const found = await client.callTool({ name: 'search_tools', arguments: { query: 'say text greeting' } });
      const names = (found.structuredContent as { tools: { name: string }[] }).tools.map((tool) => tool.name);
      expect(names[0]).toBe('fx_say');
      expect(names).not.toContain('fx_echo');
      expect(names).not.toContain('fx_write_note');
      const called = await client.callTool({ name: 'call_tool', arguments: { name: 'fx_say', arguments: {} } });
      expect(called.structuredContent).toEqual({ text: 'hello world' });
    } finally {
      await client.close();
    }
  });

  it('`list` shows the final names and the transformed annotations, without hidden tools', async () => {
    const file = writeConfig(dir.path, { packs: [TRANSFORMED] }, 'list.json');
    const listed = await runCli(['list', '--config', file, '--json']);
    expect(listed.code).toBe(0);
    const surface = JSON.parse(listed.stdout) as {
      tools: { name: string; annotations: Record<string, unknown> }[];
      packs: { tools: number }[];
    };
    expect(surface.tools.map((tool) => tool.name)).toEqual(['fx_say', 'fx_slow']);
    expect(surface.tools[1]?.annotations).toEqual({ readOnlyHint: true, title: 'Wait' });
    expect(surface.packs[0]?.tools).toBe(2);
    const text = await runCli(['list', '--config', file]);
    expect(text.stdout).toMatch(/fx_slow\s+fixture\s+read-only, open-world/);
    expect(text.stdout).not.toContain('fx_write_note');
    const checked = await runCli(['check', '--config', file]);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain('1 pack (2 tools)');
  });
});

describe('config transforms over HTTP (real child process, 127.0.0.1)', () => {
  const dir = tempDir();
  let server: HttpChild;
  beforeAll(async () => {
    const file = writeConfig(dir.path, { transport: { type: 'http' }, packs: [TRANSFORMED] });
    server = await startHttp(['--config', file], { env: { MCP_PACKS_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    const exit = await server.stop();
    dir.cleanup();
    expect(exit.code).toBe(0);
  });

  it.each(PROTOCOLS)('lists and calls the transformed tools (%s)', async (protocol) => {
    const transport = new StreamableHTTPClientTransport(new URL(server.url), {
      requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
    });
    const client = newClient(protocol, 'transforms-http');
    await client.connect(transport);
    try {
      await checkTransformed(client);
    } finally {
      await client.close();
    }
  });
});

describe('bad transforms: every problem with its key path and a fix, nothing served', () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  it("reports what core finds against the pack's tools and parameters", async () => {
    const file = writeConfig(dir.path, {
      packs: [
        {
          use: LOCAL_PACK,
          prefix: 'fx',
          transforms: {
            ecko: { title: 'Echo' },
            echo: { args: { txt: { default: 'a' } } },
            slow: { args: { ms: { fixed: 'soon' } } },
            write_note: { annotations: { readOnlyHint: true } },
          },
        },
        {
          use: '@mcp-packs/filesystem',
          prefix: 'fs',
          config: { roots: ['.'] },
          transforms: { read_text_file: { args: { path: { fixed: 7 } } } },
        },
      ],
    });
    for (const command of ['check', 'serve']) {
      const result = await runCli([command, '--config', file]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      const err = result.stderr;
      expect(err).toContain('5 problems');
      expect(err).toMatch(
        /:\d+:\d+ {2}packs\[0\]\.transforms\.ecko\n.*not a tool of pack "fixture"[^\n]*\n\s+fix: did you mean "echo"\?/,
      );
      expect(err).toMatch(/packs\[0\]\.transforms\.echo\.args\.txt\n.*no such parameter[^\n]*"text"/);
      expect(err).toMatch(/packs\[0\]\.transforms\.slow\.args\.ms\.fixed\n.*"soon" is not valid here/);
      expect(err).toMatch(
        /packs\[0\]\.transforms\.write_note\.annotations\.readOnlyHint\n.*never safer\.\n\s+fix: remove "readOnlyHint" here, or set it to false\./,
      );
      expect(err).toMatch(/packs\[1\]\.transforms\.read_text_file\.args\.path\.fixed\n.*7 is not valid here/);
      expect(err).toContain('fix: give a value the parameter "path" accepts');
    }
  });

  it('reports a misspelt transform field with the field probably meant, and a rename onto another tool', async () => {
    const misspelt = writeConfig(
      dir.path,
      { packs: [{ use: LOCAL_PACK, transforms: { echo: { hiden: true, args: { text: { fixd: 'a' } } } } }] },
      'misspelt.json',
    );
    const first = await runCli(['check', '--config', misspelt]);
    expect(first.code).toBe(2);
    expect(first.stderr).toMatch(
      /packs\[0\]\.transforms\.echo\.hiden\n\s+unknown key "hiden"\.\n\s+fix: did you mean "hidden"\?/,
    );
    expect(first.stderr).toMatch(/packs\[0\]\.transforms\.echo\.args\.text\.fixd\n.*\n\s+fix: did you mean "fixed"\?/);

    const clash = writeConfig(
      dir.path,
      { packs: [{ use: LOCAL_PACK, prefix: 'fx', transforms: { slow: { name: 'echo' } } }] },
      'clash.json',
    );
    const second = await runCli(['check', '--config', clash]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/packs\[0\]\.transforms\.slow\.name\n\s+"fx_echo" is also the name of tool "echo"/);
    expect(second.stderr).toContain('fix: choose a name of letters, digits');
  });
});
