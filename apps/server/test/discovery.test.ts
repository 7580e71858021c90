/**
 * Tool discovery (`discovery` in the config) through a real SDK client over stdio against the built CLI, in both
 * protocol eras: "all" lists every tool; "search" lists search_tools and call_tool (and `list`), and call_tool
 * behaves as calling the tool itself (results, errors, progress, cancellation, questions to the user); "auto"
 * switches on the tool count; and the config is checked like every other key.
 */
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, describe, expect, it } from 'vitest';
import {
  connectStdio,
  FIXTURES,
  LOCAL_PACK,
  OTHER_PACK,
  PROTOCOLS,
  type Protocol,
  runCli,
  tempDir,
  writeConfig,
} from './helpers.ts';

const ASK_PACK = join(FIXTURES, 'ask-pack.mjs');
const dir = tempDir();
afterAll(() => dir.cleanup());

let configs = 0;
function config(discovery: unknown, extra: Record<string, unknown> = {}): string {
  return writeConfig(
    dir.path,
    {
      ...(discovery === undefined ? {} : { discovery }),
      packs: [
        { use: LOCAL_PACK, prefix: 'fx' },
        { use: OTHER_PACK, prefix: 'other' },
        { use: '@mcp-packs/math' },
        { use: ASK_PACK },
      ],
      ...extra,
    },
    `config-${++configs}.json`,
  );
}

const ALL = [
  'ask_delete_thing',
  'fx_echo',
  'fx_slow',
  'fx_write_note',
  'math_convert_units',
  'math_derivative',
  'math_evaluate',
  'math_plot',
  'math_simplify',
  'math_solve_linear',
  'math_statistics',
  'other_echo',
];

async function connect(file: string, protocol: Protocol) {
  const connection = await connectStdio(['--config', file], { protocol });
  return connection;
}

async function names(client: Client): Promise<string[]> {
  return (await client.listTools()).tools.map((tool) => tool.name).sort();
}

function text(result: { content?: unknown }): string {
  return ((result.content ?? []) as { type: string; text?: string }[]).map((block) => block.text ?? '').join('\n');
}

interface Found {
  tools: { name: string; description: string; inputSchema: { properties?: Record<string, unknown> } }[];
  ranker: string;
}

describe.each(PROTOCOLS)('discovery over stdio (%s)', (protocol) => {
  it('"all" (and no discovery key) lists every tool', async () => {
    for (const file of [config(undefined), config({ mode: 'all' })]) {
      const { client } = await connect(file, protocol);
      expect(await names(client)).toEqual(ALL);
      await client.close();
    }
  });

  describe('"search"', () => {
    const file = config({ mode: 'search' });
    let client: Client;
    afterAll(async () => client?.close());

    it('lists search_tools and call_tool only, the same list on every connection', async () => {
      client = (await connect(file, protocol)).client;
      const listed = await client.listTools();
      expect(listed.tools.map((tool) => tool.name)).toEqual(['search_tools', 'call_tool']);
      const search = listed.tools[0];
      expect(search?.description).toContain('12 tools');
      expect(search?.inputSchema.required).toEqual(['query']);
      const other = (await connect(file, protocol)).client;
      expect(JSON.stringify((await other.listTools()).tools)).toBe(JSON.stringify(listed.tools));
      await other.close();
    });

    it('tells the model how tools are found, in the instructions', () => {
      const instructions = client.getInstructions() ?? '';
      expect(instructions).toContain('## Finding tools');
      expect(instructions).toContain('call_tool');
    });

    it('search_tools finds tools by what they do, with their full input schemas', async () => {
      const result = await client.callTool({
        name: 'search_tools',
        arguments: { query: 'take the derivative of an expression', limit: 3 },
      });
      expect(result.isError).toBeFalsy();
      const found = result.structuredContent as unknown as Found;
      expect(found.ranker).toBe('bm25');
      expect(found.tools.length).toBeLessThanOrEqual(3);
      expect(found.tools[0]?.name).toBe('math_derivative');
      expect(Object.keys(found.tools[0]?.inputSchema.properties ?? {})).toContain('expression');
      expect(JSON.parse(text(result))).toEqual(found);

      const unit = await client.callTool({ name: 'search_tools', arguments: { query: 'convert miles to kilometers' } });
      expect((unit.structuredContent as unknown as Found).tools[0]?.name).toBe('math_convert_units');
    });

    it('search_tools refuses bad arguments as a tool error', async () => {
      const result = await client.callTool({ name: 'search_tools', arguments: { query: '', limit: 99 } });
      expect(result.isError).toBe(true);
      expect(text(result)).toMatch(/Invalid arguments for search_tools: query: .*limit/);
    });

    it('call_tool forwards to the tool: its result, structured as the tool returns it', async () => {
      const result = await client.callTool({
        name: 'call_tool',
        arguments: { name: 'fx_echo', arguments: { text: 'hi' } },
      });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toEqual({ text: 'hello hi' });
      // The tool stays callable by its own name.
      const direct = await client.callTool({ name: 'fx_echo', arguments: { text: 'direct' } });
      expect(direct.structuredContent).toEqual({ text: 'hello direct' });
    });

    it("call_tool answers the tool's own errors: invalid input, as when called by name", async () => {
      const through = await client.callTool({
        name: 'call_tool',
        arguments: { name: 'fx_echo', arguments: { text: 3 } },
      });
      const direct = await client.callTool({ name: 'fx_echo', arguments: { text: 3 } });
      expect(through.isError).toBe(true);
      expect(through).toEqual(direct);
      const evaluate = await client.callTool({
        name: 'call_tool',
        arguments: { name: 'math_evaluate', arguments: { expression: 'import("fs")' } },
      });
      expect(evaluate.isError).toBe(true);
      expect(evaluate).toEqual(
        await client.callTool({ name: 'math_evaluate', arguments: { expression: 'import("fs")' } }),
      );
    });

    it('call_tool with an unknown name is a tool error with suggestions', async () => {
      const typo = await client.callTool({ name: 'call_tool', arguments: { name: 'fx_ecko', arguments: {} } });
      expect(typo.isError).toBe(true);
      expect(text(typo)).toContain('no tool "fx_ecko"');
      expect(text(typo)).toContain('"fx_echo"');
      expect(typo._meta).toMatchObject({ code: 'unknown_tool' });
      const vague = await client.callTool({ name: 'call_tool', arguments: { name: 'derivative' } });
      expect(vague.isError).toBe(true);
      expect(text(vague)).toContain('math_derivative');
      const self = await client.callTool({ name: 'call_tool', arguments: { name: 'call_tool' } });
      expect(self.isError).toBe(true);
      const missing = await client.callTool({ name: 'call_tool', arguments: { arguments: {} } });
      expect(missing.isError).toBe(true);
      expect(text(missing)).toContain('Invalid arguments for call_tool: name');
    });

    it('call_tool passes progress on, and a cancelled call_tool cancels the tool', async () => {
      const seen: number[] = [];
      const done = await client.callTool(
        { name: 'call_tool', arguments: { name: 'fx_slow', arguments: { ms: 300 } } },
        { onprogress: (progress) => seen.push(progress.progress) },
      );
      expect(done.isError).toBeFalsy();
      expect(seen).toEqual([0]);
      const abort = new AbortController();
      const pending = client.callTool(
        { name: 'call_tool', arguments: { name: 'fx_slow', arguments: { ms: 60_000 } } },
        { signal: abort.signal },
      );
      setTimeout(() => abort.abort('stop'), 300);
      await expect(pending).rejects.toThrow();
      expect(
        (await client.callTool({ name: 'call_tool', arguments: { name: 'fx_echo', arguments: { text: 'after' } } }))
          .structuredContent,
      ).toEqual({ text: 'hello after' });
    });
  });

  it('call_tool carries questions to the user (elicitation) both ways', async () => {
    const { StdioClientTransport } = await import('@modelcontextprotocol/client/stdio');
    const { newClient, childEnv, CLI, ROOT } = await import('./helpers.ts');
    const client = newClient(protocol, 'ask-test', { elicitation: true });
    const asked: string[] = [];
    client.setRequestHandler('elicitation/create', async (request) => {
      asked.push((request.params as { message: string }).message);
      return { action: 'accept', content: {} };
    });
    class InPlace extends StdioClientTransport {}
    await client.connect(
      new InPlace({
        command: process.execPath,
        args: [CLI, '--config', config({ mode: 'search' })],
        env: childEnv(),
        cwd: ROOT,
      }),
    );
    const result = await client.callTool({
      name: 'call_tool',
      arguments: { name: 'ask_delete_thing', arguments: { name: 'the draft' } },
    });
    expect(result.structuredContent).toEqual({ deleted: true, answer: 'accept' });
    expect(asked).toEqual(['Delete the draft?']);
    await client.close();
  });

  it('"search" with "list" lists those tools directly as well, defined as "all" lists them', async () => {
    const all = (await connect(config({ mode: 'all' }), protocol)).client;
    const everyTool = new Map((await all.listTools()).tools.map((tool) => [tool.name, tool]));
    await all.close();
    const { client } = await connect(config({ mode: 'search', list: ['fx_echo', 'math_evaluate'] }), protocol);
    const listed = (await client.listTools()).tools;
    expect(listed.map((tool) => tool.name)).toEqual(['search_tools', 'call_tool', 'fx_echo', 'math_evaluate']);
    expect(listed[2]).toEqual(everyTool.get('fx_echo'));
    expect(listed[3]).toEqual(everyTool.get('math_evaluate'));
    // Lean by default: no output schema listed, and the client takes the structured result all the same.
    expect(listed[2]?.outputSchema).toBeUndefined();
    expect((await client.callTool({ name: 'fx_echo', arguments: { text: 'x' } })).structuredContent).toEqual({
      text: 'hello x',
    });
    await client.close();
    const full = (
      await connect(config({ mode: 'search', list: ['fx_echo'] }, { listing: { outputSchemas: true } }), protocol)
    ).client;
    const [, , echo] = (await full.listTools()).tools;
    expect(echo?.outputSchema).toBeDefined();
    expect((await full.callTool({ name: 'fx_echo', arguments: { text: 'y' } })).structuredContent).toEqual({
      text: 'hello y',
    });
    await full.close();
  });

  it('search_tools answers with the definitions "all" lists (name, title, description, input schema, annotations)', async () => {
    const all = (await connect(config({ mode: 'all' }), protocol)).client;
    const everyTool = new Map((await all.listTools()).tools.map((tool) => [tool.name, tool]));
    await all.close();
    const { client } = await connect(config({ mode: 'search' }), protocol);
    const result = await client.callTool({ name: 'search_tools', arguments: { query: 'evaluate math', limit: 20 } });
    const found = (result.structuredContent as unknown as Found).tools;
    expect(found.length).toBeGreaterThan(3);
    for (const tool of found) {
      const { name, title, description, inputSchema, annotations } = everyTool.get(tool.name) ?? {};
      expect(tool).toEqual({
        name,
        ...(title === undefined ? {} : { title }),
        description,
        inputSchema,
        ...(annotations === undefined ? {} : { annotations }),
      });
    }
    await client.close();
  });

  it('"auto" searches above the threshold and lists every tool at or below it', async () => {
    const above = (await connect(config({ mode: 'auto', autoAbove: 11 }), protocol)).client;
    expect(await names(above)).toEqual(['call_tool', 'search_tools']);
    await above.close();
    const below = (await connect(config({ mode: 'auto', autoAbove: 12 }), protocol)).client;
    expect(await names(below)).toEqual(ALL);
    await below.close();
    // The default threshold (40) is above these 12 tools.
    const byDefault = (await connect(config({ mode: 'auto' }), protocol)).client;
    expect(await names(byDefault)).toEqual(ALL);
    await byDefault.close();
  });
});

describe('the hybrid ranker', () => {
  it('answers search_tools with the local embedding model and BM25 fused', async () => {
    const { client } = await connect(config({ mode: 'search', ranker: 'hybrid' }), '2026-07-28');
    const result = await client.callTool({
      name: 'search_tools',
      arguments: { query: 'how many kilometres is 26 miles', limit: 3 },
    });
    const found = result.structuredContent as unknown as Found & { note?: string };
    expect(found.note).toBeUndefined();
    expect(found.ranker).toBe('hybrid');
    expect(found.tools.map((tool) => tool.name)).toContain('math_convert_units');
    await client.close();
  });
});

describe('discovery config', () => {
  it('reports every problem with its path and a fix', async () => {
    const file = config({ mode: 'serch', rankr: 'bm25', autoAbove: -1, list: ['fx_ecko'] });
    const result = await runCli(['check', '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('discovery.mode');
    expect(result.stderr).toMatch(/"all"|'all'/);
    expect(result.stderr).toContain('discovery.rankr');
    expect(result.stderr).toContain('did you mean "ranker"?');
    expect(result.stderr).toContain('discovery.autoAbove');
  });

  it('names tools in "list" that no pack offers', async () => {
    const result = await runCli(['check', '--config', config({ mode: 'search', list: ['fx_ecko'] })]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('discovery.list[0]');
    expect(result.stderr).toContain('no mounted pack offers a tool "fx_ecko"');
    expect(result.stderr).toContain('did you mean "fx_echo"?');
  });

  it('check and list say how tools are found', async () => {
    const checked = await runCli(['check', '--config', config({ mode: 'search', ranker: 'hybrid' })]);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain('found with search_tools (hybrid)');
    const listed = await runCli(['list', '--json', '--config', config({ mode: 'search' })]);
    const surface = JSON.parse(listed.stdout) as { tools: { name: string }[] };
    expect(surface.tools.map((tool) => tool.name)).toEqual(['search_tools', 'call_tool']);
  });
});
