// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${ENV} references are the data under test.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureConfig, useCleanups } from './cli-fixtures.ts';
import { connectStdio, FIXTURES, LOCAL_PACK, OTHER_PACK, runCli, writeConfig } from './helpers.ts';

const { dir, cleanups } = useCleanups();

describe('mcp-packs command line', () => {
  it('prints help and version on stdout; bad usage exits 2', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage:');
    expect(help.stdout).toContain('mcp-packs list [--config FILE] [--preset NAME] [--json]');
    const version = await runCli(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    for (const args of [
      ['--nope'],
      ['serve', 'list'],
      ['frobnicate'],
      ['--port', 'x', '--http'],
      ['check', '--json'],
    ]) {
      const bad = await runCli(args);
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.stdout).toBe('');
      expect(bad.stderr).toContain('Try mcp-packs --help');
    }
    const level = await runCli(['check'], { env: { MCP_PACKS_LOG_LEVEL: 'loud' } });
    expect(level.code).toBe(2);
    expect(level.stderr).toContain('MCP_PACKS_LOG_LEVEL');
  });

  it('check: exit 0 for a good config', async () => {
    const base = dir();
    const result = await runCli(['check', '--config', fixtureConfig(base)], { env: { FIXTURE_SECRET: 'x' } });
    expect(result.stderr).not.toContain('[error]');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`ok: ${join(base, 'mcp-packs.config.json')} serves 2 packs (4 tools)\n`);
  });

  it('check: every problem at once, by file, line and JSON path, with a fix; exit 2; nothing served', async () => {
    const base = dir();
    const file = writeConfig(
      base,
      `{
  "packs": [
    { "use": "@mcp-packs/does-not-exist" },
    { "use": "./not-here.mjs" },
    { "use": ${JSON.stringify(join(FIXTURES, 'not-a-pack.mjs'))} },
    { "use": ${JSON.stringify(join(FIXTURES, 'throws-on-import.mjs'))} },
    { "use": ${JSON.stringify(LOCAL_PACK)}, "prefix": "fx", "config": { "greeting": 5, "colour": "red" } },
    { "use": ${JSON.stringify(LOCAL_PACK)}, "prefix": "fy", "tools": { "include": ["nope"] } },
    { "use": ${JSON.stringify(OTHER_PACK)}, "prefix": "fy" },
    { "use": ${JSON.stringify(OTHER_PACK)}, "prefix": null },
    { "use": ${JSON.stringify(LOCAL_PACK)}, "prefix": null, "tools": { "include": ["echo"] } },
    { "use": "x", "prefx": "y", "config": { "key": "\${UNSET_FOR_TEST}" } }
  ]
}
`,
    );
    const result = await runCli(['check', '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const expected: [string, string][] = [
      ['3:7  packs[0].use', 'cannot find the package "@mcp-packs/does-not-exist"'],
      ['4:7  packs[1].use', `no file at ${join(base, 'not-here.mjs')}`],
      ['5:7  packs[2].use', 'exports no pack (it exports `default`, `helper`)'],
      ['6:7  packs[3].use', 'failed to load: boom while importing'],
      ['7:', 'packs[4].config.greeting'],
      ['7:', 'packs[4].config.colour\n    unknown key "colour"'],
      ['8:', 'packs[5].tools'],
      ['9:', 'packs[6].prefix\n    the prefix "fy" is already used by packs[5]'],
      ['11:5  packs[8]', 'tool "echo" is also offered by packs[7]'],
      ['12:', 'packs[9].prefx'],
      ['12:', 'packs[9].config.key\n    the environment variable UNSET_FOR_TEST is not set'],
    ];
    for (const [place, text] of expected) {
      expect(result.stderr).toContain(`${file}:${place}`);
      expect(result.stderr).toContain(text);
    }
    expect(result.stderr).toContain(`problems in ${file}; nothing was served`);
    expect(result.stderr).toContain('fix: did you mean "prefix"?');
  });

  it('loads a lone module whose peers (@mcp-packs/core, zod) are not installed next to it, from the server', async () => {
    const base = dir();
    writeFileSync(
      join(base, 'lonely.mjs'),
      `import { definePack, defineTool } from '@mcp-packs/core';
import { z } from 'zod';
export default definePack({
  name: 'lonely',
  description: 'A pack in a folder without node_modules.',
  tools: {
    ping: defineTool({
      description: 'Answer pong.',
      inputSchema: z.object({}),
      annotations: { readOnlyHint: true },
      execute: () => 'pong',
    }),
  },
});
`,
    );
    const config = writeConfig(base, { packs: [{ use: './lonely.mjs' }] });
    const { client } = await connectStdio(['--config', config], { cwd: base });
    cleanups.push(() => client.close());
    const result = await client.callTool({ name: 'lonely_ping', arguments: {} });
    expect(result.content).toEqual([{ type: 'text', text: 'pong' }]);
  });

  it('an explicit config naming a pack that is not installed is an error (exit 2), not a warning', async () => {
    const file = writeConfig(dir(), { packs: [{ use: '@mcp-packs/not-installed-anywhere' }] });
    const result = await runCli(['--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('packs[0].use');
    expect(result.stderr).toContain('cannot find the package "@mcp-packs/not-installed-anywhere"');
  });

  it('MCP_PACKS_CONFIG names the config when --config is absent', async () => {
    const base = dir();
    const result = await runCli(['check'], { env: { MCP_PACKS_CONFIG: fixtureConfig(base), FIXTURE_SECRET: 'x' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(base);
  });

  it('list: final names, packs, annotations, token estimates and totals; resources and prompts', async () => {
    const base = dir();
    const config = fixtureConfig(base);
    const text = await runCli(['list', '--config', config], { env: { FIXTURE_SECRET: 'x' } });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^test-server \(mcp-packs [\d.]+\): 2 packs, 4 tools, ~\d+ tokens/);
    expect(text.stdout).toMatch(/fx_write_note +fixture +writes, idempotent, open-world +\d+/);
    expect(text.stdout).toMatch(/other_echo +other +read-only, open-world +\d+/);
    expect(text.stdout).toContain('fixture://fx/info');
    expect(text.stdout).toContain('fx_greet');

    const json = await runCli(['list', '--json', '--config', config], { env: { FIXTURE_SECRET: 'x' } });
    const surface = JSON.parse(json.stdout) as {
      tools: { name: string; pack: string; annotations: object; bytes: number; tokens: number }[];
      packs: { name: string; tools: number; bytes: number; tokens: number }[];
      totals: { tools: number; bytes: number; bytesPerTool: number; tokens: number; tokenEstimate: string };
      resources: { uri: string; pack: string }[];
      prompts: { name: string; pack: string }[];
    };
    expect(surface.tools.map((tool) => [tool.name, tool.pack])).toEqual([
      ['fx_echo', 'fixture'],
      ['fx_slow', 'fixture'],
      ['fx_write_note', 'fixture'],
      ['other_echo', 'other'],
    ]);
    for (const tool of surface.tools) expect(tool.tokens).toBe(Math.ceil(tool.bytes / 4));
    expect(surface.totals.tools).toBe(4);
    expect(surface.totals.tokens).toBe(surface.tools.reduce((sum, tool) => sum + tool.tokens, 0));
    expect(surface.totals.tokenEstimate).toContain('/ 4');
    expect(surface.totals.bytes).toBe(surface.tools.reduce((sum, tool) => sum + tool.bytes, 0));
    expect(surface.totals.bytesPerTool).toBe(Math.round(surface.totals.bytes / 4));
    // Per mount: the sums over its own tools, which add up to the totals (no tool here is the server's own).
    const own = (pack: string) => surface.tools.filter((tool) => tool.pack === pack);
    expect(surface.packs.map(({ name, tools, bytes, tokens }) => ({ name, tools, bytes, tokens }))).toEqual(
      ['fixture', 'other'].map((name) => ({
        name,
        tools: own(name).length,
        bytes: own(name).reduce((sum, tool) => sum + tool.bytes, 0),
        tokens: own(name).reduce((sum, tool) => sum + tool.tokens, 0),
      })),
    );
    const fixture = surface.packs[0] as { bytes: number; tokens: number };
    expect(text.stdout).toMatch(new RegExp(`fx +fixture\\S* +\\S+ +3 +${fixture.bytes} +${fixture.tokens}\\n`));
    expect(text.stdout).toMatch(new RegExp(`total +4 +${surface.totals.bytes} +${surface.totals.tokens}\\n`));
    expect(surface.resources).toContainEqual({ uri: 'fixture://fx/info', name: 'fx_info', pack: 'fixture' });
    expect(surface.resources).toContainEqual({
      uri: 'mcp-packs://server/config',
      name: 'server_config',
      pack: 'server',
    });
    expect(surface.prompts).toEqual([{ name: 'fx_greet', pack: 'fixture', description: 'Greet someone.' }]);
  });

  it('list: readOnly and tool filters shape what is offered', async () => {
    const config = writeConfig(dir(), {
      packs: [
        { use: LOCAL_PACK, prefix: 'ro', readOnly: true },
        { use: LOCAL_PACK, prefix: 'only', tools: { include: ['only_echo'] } },
        { use: LOCAL_PACK, prefix: 'but', tools: { exclude: ['slow', 'echo'] } },
      ],
    });
    const result = await runCli(['list', '--json', '--config', config]);
    const surface = JSON.parse(result.stdout) as { tools: { name: string }[] };
    expect(surface.tools.map((tool) => tool.name)).toEqual(['ro_echo', 'ro_slow', 'only_echo', 'but_write_note']);
  });
});
