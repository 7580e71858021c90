// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${ENV} references are the data under test.
import { existsSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { fixtureConfig, textOf, useCleanups } from './cli-fixtures.ts';
import {
  ChildTransport,
  connectStdio,
  LOCAL_PACK,
  newClient,
  OTHER_PACK,
  PROTOCOLS,
  ROOT,
  writeConfig,
} from './helpers.ts';

const { dir, cleanups } = useCleanups();

describe('mcp-packs over stdio (real child process, real SDK client)', () => {
  it.each(PROTOCOLS)(
    'serves the packs of a config file, with nothing but protocol on stdout (%s)',
    async (protocol) => {
      const base = dir();
      const config = fixtureConfig(base);
      const transport = new ChildTransport(['--config', config], { env: { FIXTURE_SECRET: 'env-secret-value' } });
      const client = newClient(protocol, 'cli-test');
      await client.connect(transport);
      expect(client.getServerVersion()?.name).toBe('test-server');
      expect(client.getServerCapabilities()?.logging).toEqual({});
      expect(client.getInstructions()).toBe('Be brief.\n\n## fixture (tools fx_*)\nUse fixture tools in tests only.');

      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(['fx_echo', 'fx_slow', 'fx_write_note', 'other_echo']);
      const echo = await client.callTool({ name: 'fx_echo', arguments: { text: 'there' } });
      expect(echo.structuredContent).toEqual({ text: 'hi there' });
      const info = await client.readResource({ uri: 'fixture://fx/info' });
      expect(JSON.parse(textOf(info))).toEqual({ greeting: 'hi', root: join(base, 'data') });
      const prompt = await client.getPrompt({ name: 'fx_greet', arguments: { name: 'Ada' } });
      expect(prompt.messages[0]?.content).toEqual({ type: 'text', text: 'hi, Ada' });

      await client.close();
      const exit = await transport.exited;
      expect(exit.code).toBe(0);
      // Every line on stdout was a JSON-RPC message.
      const lines = transport.stdout.split('\n').filter((line) => line !== '');
      expect(lines.length).toBeGreaterThanOrEqual(5);
      for (const line of lines) expect(JSON.parse(line)).toHaveProperty('jsonrpc', '2.0');
      expect(exit.stderr).toContain('serving 2 packs (4 tools) on stdio');
    },
  );

  it.each(PROTOCOLS)(
    'answers a line of bad JSON, a batch or a non-message with the JSON-RPC error, and serves on (%s)',
    async (protocol) => {
      const transport = new ChildTransport(['--config', fixtureConfig(dir())], { env: { FIXTURE_SECRET: 'x' } });
      const client = newClient(protocol, 'cli-test');
      await client.connect(transport);
      const errors = () =>
        transport.stdout
          .split('\n')
          .filter((line) => line.includes('"error"'))
          .map((line) => JSON.parse(line) as { id: unknown; error: { code: number; message: string } });
      transport.child.stdin?.write('{"jsonrpc":"2.0","id":7,"method":\n');
      transport.child.stdin?.write('[{"jsonrpc":"2.0","id":8,"method":"tools/list"}]\n');
      transport.child.stdin?.write('{"jsonrpc":"1.0","id":9,"method":"tools/list"}\n');
      transport.child.stdin?.write('\n');
      await expect.poll(() => errors().length, { timeout: 10_000 }).toBe(3);
      const [parse, batch, invalid] = errors();
      expect(parse).toMatchObject({ id: null, error: { code: -32700 } });
      expect(batch).toMatchObject({ id: null, error: { code: -32600, message: expect.stringMatching(/batch/) } });
      expect(invalid).toMatchObject({ id: 9, error: { code: -32600 } });
      const echo = await client.callTool({ name: 'fx_echo', arguments: { text: 'still here' } });
      expect(echo.structuredContent).toEqual({ text: 'hi still here' });
      await client.close();
      expect((await transport.exited).code).toBe(0);
    },
  );

  it('negotiates the era as a client in the field does: server/discover first, else initialize', async () => {
    const { client } = await connectStdio(['--config', fixtureConfig(dir())], {
      env: { FIXTURE_SECRET: 'x' },
      protocol: 'auto',
    });
    cleanups.push(() => client.close());
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    const legacy = await connectStdio(['--config', fixtureConfig(dir())], {
      env: { FIXTURE_SECRET: 'x' },
      protocol: '2025-11-25',
    });
    cleanups.push(() => legacy.client.close());
    expect(legacy.client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
    expect((await legacy.client.listTools()).tools.map((tool) => tool.name)).toEqual(
      (await client.listTools()).tools.map((tool) => tool.name),
    );
  });

  it('describes itself in two resources, with secrets redacted', async () => {
    const base = dir();
    const config = fixtureConfig(base);
    const { client } = await connectStdio(['--config', config], { env: { FIXTURE_SECRET: 'env-secret-value' } });
    cleanups.push(() => client.close());
    const { resources } = await client.listResources();
    expect(resources.map((resource) => resource.uri)).toEqual(
      expect.arrayContaining(['mcp-packs://server/config', 'mcp-packs://server/packs']),
    );

    const configText = textOf(await client.readResource({ uri: 'mcp-packs://server/config' }));
    for (const secret of ['env-secret-value', 'plain-secret', 'header-secret'])
      expect(configText).not.toContain(secret);
    const shown = JSON.parse(configText) as {
      source: string;
      transport: unknown;
      packs: { use: string; prefix: string | null; readOnly: boolean; config: Record<string, unknown> }[];
    };
    expect(shown.source).toBe(config);
    expect(shown.transport).toEqual({ type: 'stdio' });
    expect(shown.packs[0]).toEqual({
      use: './my-pack.mjs',
      prefix: 'fx',
      readOnly: false,
      config: {
        greeting: 'hi',
        marker: join(base, 'marker.log'),
        root: join(base, 'data'),
        apiKey: '[redacted]',
        headers: { 'X-Api': '[redacted]' },
        label: 'id=${FIXTURE_SECRET}',
      },
    });
    expect(shown.packs[1]).toMatchObject({ use: OTHER_PACK, prefix: 'other', readOnly: true, config: {} });

    const packs = JSON.parse(textOf(await client.readResource({ uri: 'mcp-packs://server/packs' }))) as {
      packs: { name: string; version: string | null; prefix: string; tools: { name: string; annotations: object }[] }[];
    };
    expect(packs.packs.map(({ name, version, prefix }) => ({ name, version, prefix }))).toEqual([
      { name: 'fixture', version: '0.0.1', prefix: 'fx' },
      { name: 'other', version: null, prefix: 'other' },
    ]);
    // As listed: hints equal to the spec's defaults (readOnlyHint false) are left out.
    expect(packs.packs[0]?.tools).toContainEqual({
      name: 'fx_write_note',
      annotations: { destructiveHint: false, idempotentHint: true },
    });
  });

  it.each(PROTOCOLS)(
    'on SIGTERM during a slow call: aborts the call, runs onClose once, exits 0 (%s)',
    async (protocol) => {
      const base = dir();
      const config = fixtureConfig(base);
      const transport = new ChildTransport(['--config', config], { env: { FIXTURE_SECRET: 'x' } });
      const client = newClient(protocol, 'cli-test');
      await client.connect(transport);
      const marker = join(base, 'marker.log');
      const call = client.callTool({ name: 'fx_slow', arguments: { ms: 60_000 } });
      await expect.poll(() => readFileSync(marker, 'utf8'), { timeout: 10_000 }).toContain('slow started');
      transport.child.kill('SIGTERM');
      const result = await call;
      expect(result.isError).toBe(true);
      expect(JSON.stringify(result.content)).toMatch(/cancel/i);
      const exit = await transport.exited;
      expect(exit.code).toBe(0);
      expect(exit.stderr).toContain('shutting down (SIGTERM)');
      const pid = transport.child.pid;
      expect(readFileSync(marker, 'utf8').trim().split('\n')).toEqual([
        `setup ${pid}`,
        'slow started',
        'slow aborted',
        `closed ${pid}`,
      ]);
    },
  );

  it.each(PROTOCOLS)('exits 0 when the client closes stdin, after running onClose once (%s)', async (protocol) => {
    const base = dir();
    const config = fixtureConfig(base);
    const transport = new ChildTransport(['--config', config], { env: { FIXTURE_SECRET: 'x' } });
    const client = newClient(protocol, 'cli-test');
    await client.connect(transport);
    await client.listTools();
    await transport.close();
    const exit = await transport.exited;
    expect(exit.code).toBe(0);
    expect(exit.stderr).toContain('shutting down (stdin closed)');
    const pid = transport.child.pid;
    expect(readFileSync(join(base, 'marker.log'), 'utf8')).toBe(`setup ${pid}\nclosed ${pid}\n`);
  });

  it('serves the built-in default config: safe defaults, and one warning for default packs not installed', async () => {
    const cwd = realpathSync(dir());
    writeFileSync(join(cwd, 'hello.txt'), 'one\nneedle here\n');
    const data = dir();
    // XDG_DATA_HOME keeps the notes pack out of the real home directory (and shows it is honoured).
    const { client, stderr } = await connectStdio([], { cwd, env: { XDG_DATA_HOME: data } });
    cleanups.push(() => client.close());
    const shown = JSON.parse(textOf(await client.readResource({ uri: 'mcp-packs://server/config' }))) as {
      source: string;
      listing: unknown;
      packs: { use: string; prefix: string; mounted?: boolean; config: Record<string, unknown> }[];
    };
    expect(shown.source).toBe('built-in default');
    const byUse = new Map(shown.packs.map((entry) => [entry.use, entry]));
    // The packs this server depends on are mounted with the safe defaults.
    expect(byUse.get('@mcp-packs/filesystem')).toMatchObject({
      prefix: 'fs',
      config: { roots: [cwd], allowWrite: false },
    });
    expect(byUse.get('@mcp-packs/web-fetch')).toMatchObject({ prefix: 'web', config: { allowPrivateNetwork: false } });
    expect(byUse.get('@mcp-packs/sysinfo')).toMatchObject({ prefix: 'sys' });
    expect(byUse.get('@mcp-packs/math')).toMatchObject({ prefix: 'math' });
    expect(byUse.get('@mcp-packs/notes')).toMatchObject({
      prefix: 'notes',
      config: { directory: join(data, 'mcp-packs', 'notes') },
    });
    const { tools } = await client.listTools();
    expect(tools.some((tool) => tool.name.startsWith('fs_'))).toBe(true);
    expect(tools.filter((tool) => tool.name.startsWith('fs_')).every((tool) => tool.annotations?.readOnlyHint)).toBe(
      true,
    );
    // The tools whose work runs in a worker (a thread for content search, a process for math) start from the built
    // packages' bundles.
    const found = await client.callTool({ name: 'fs_search_content', arguments: { query: 'needle' } });
    expect(found.isError).toBeFalsy();
    expect(JSON.stringify(found.content)).toContain('hello.txt');
    const sum = await client.callTool({ name: 'math_evaluate', arguments: { expression: '2^10' } });
    expect(sum.structuredContent).toMatchObject({ value: '1024' });
    // The built packs are listed from the listing.json their build wrote: it matches what each pack's sources list
    // (the committed surface snapshots, made from the sources through a real client).
    const fromSources = new Map<string, { inputSchema: unknown; outputSchema?: unknown }>();
    for (const pack of ['math', 'filesystem', 'sysinfo', 'web-fetch', 'notes']) {
      const file = join(ROOT, '..', '..', 'packages', pack, 'src', '__snapshots__', 'surface.json');
      for (const tool of (JSON.parse(readFileSync(file, 'utf8')) as { tools: { name: string }[] }).tools) {
        fromSources.set(tool.name, tool as never);
      }
    }
    for (const tool of tools) {
      const source = fromSources.get(tool.name);
      expect(source, tool.name).toBeDefined();
      expect(tool.inputSchema, tool.name).toEqual(source?.inputSchema);
      // The default listing is lean: output schemas are listed only with "listing": { "outputSchemas": true }
      // (listing.test.ts checks those against the snapshots too).
      expect(tool.outputSchema, tool.name).toBeUndefined();
    }
    expect(shown.listing).toEqual({ outputSchemas: false });
    // Default packs that are not installed (in this repository, those not merged yet) are named in one warning.
    const missing = shown.packs.filter((entry) => entry.mounted === false).map((entry) => entry.use);
    if (missing.length > 0) {
      expect(stderr()).toContain(`not installed, so not offered: ${missing.join(', ')}`);
    }
  });

  it('on SIGTERM with the default config: one list_changed per pack and list at most, not one per tool (2025-11-25)', async () => {
    // The 2026 era sends list changes only on subscriptions/listen streams; a 2025 connection gets them unasked.
    const transport = new ChildTransport([], { cwd: realpathSync(dir()), env: { XDG_DATA_HOME: dir() } });
    const client = newClient('2025-11-25', 'cli-test');
    await client.connect(transport);
    const { tools } = await client.listTools();
    transport.child.kill('SIGTERM');
    expect((await transport.exited).code).toBe(0);
    const notices = transport.stdout.split('\n').filter((line) => line.includes('list_changed'));
    const packs = new Set(tools.map((tool) => tool.name.split('_')[0])).size;
    expect(tools.length).toBeGreaterThan(3 * packs);
    expect(notices.length).toBeLessThanOrEqual(3 * packs);
  });

  it('compacts its heap once start-up is over, and keeps serving', async () => {
    const cwd = realpathSync(dir());
    const { client, stderr } = await connectStdio(['--log-level', 'debug'], { cwd, env: { XDG_DATA_HOME: dir() } });
    cleanups.push(() => client.close());
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await vi.waitFor(() => expect(stderr()).toContain('start-up over: heap compacted'), { timeout: 10_000 });
    const [, before, after] = /heap compacted from ([\d.]+) to ([\d.]+) MiB/.exec(stderr()) ?? [];
    // The young generation start-up grew is handed back: the heap is smaller afterwards.
    expect(Number(after)).toBeLessThan(Number(before));
    const result = await client.callTool({ name: 'math_evaluate', arguments: { expression: '6 * 7' } });
    expect(result.isError).toBeFalsy();
    expect(JSON.stringify(result.structuredContent)).toContain('42');
  });

  it('writes its compile cache once start-up is over, so a server killed outright still starts warm next time', async () => {
    const countFiles = (root: string): number =>
      existsSync(root)
        ? readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length
        : 0;
    const start = async (cache: string) => {
      const cwd = realpathSync(dir());
      return connectStdio(['--log-level', 'debug'], {
        cwd,
        env: { XDG_DATA_HOME: dir(), NODE_COMPILE_CACHE: cache },
      });
    };
    // Killed right after the handshake, before start-up is over: Node writes no cache.
    const early = join(dir(), 'cache');
    const first = await start(early);
    process.kill(first.transport.pid as number, 'SIGKILL');
    await first.client.close();
    expect(countFiles(early)).toBe(0);
    // Killed after it: the cache was written anyway.
    const settled = join(dir(), 'cache');
    const second = await start(settled);
    await vi.waitFor(() => expect(second.stderr()).toContain('start-up over'), { timeout: 10_000 });
    process.kill(second.transport.pid as number, 'SIGKILL');
    await second.client.close();
    expect(countFiles(settled)).toBeGreaterThan(10);
  });

  it('lists a pack from the listing.json built beside its module, when it fits that pack', async () => {
    const { packListing } = await import('@mcp-packs/core/host');
    const fixture = (await import(LOCAL_PACK)).default;
    const serve = async (listing: unknown) => {
      const base = dir();
      writeFileSync(join(base, 'my-pack.mjs'), `export { default } from ${JSON.stringify(LOCAL_PACK)};\n`);
      writeFileSync(join(base, 'listing.json'), JSON.stringify(listing));
      const { client } = await connectStdio(['--config', writeConfig(base, { packs: [{ use: './my-pack.mjs' }] })]);
      cleanups.push(() => client.close());
      const { tools } = await client.listTools();
      return tools.find((tool) => tool.name === 'fixture_echo')?.inputSchema;
    };
    // A listing made at build time, marked so that it shows: the server lists it and converts nothing.
    const built = packListing(fixture);
    (built.tools.echo as { input: Record<string, unknown> }).input.description = 'from the build listing';
    expect(await serve(built)).toMatchObject({ description: 'from the build listing' });
    // One for another pack, or with other tools, is ignored: the schemas are converted as usual.
    const converted = await serve({ ...built, pack: 'another' });
    expect(converted).toMatchObject({ properties: { text: { type: 'string' } } });
    expect(converted?.description).toBeUndefined();
    const { slow: _slow, ...fewer } = built.tools;
    expect((await serve({ ...built, tools: fewer }))?.description).toBeUndefined();
  });

  it('answers tools/list with an empty list when no pack offers a tool', async () => {
    const { client } = await connectStdio(['--config', writeConfig(dir(), { packs: [] })]);
    cleanups.push(() => client.close());
    expect((await client.listTools()).tools).toEqual([]);
  });

  it('writes its log to --log-file as well as stderr', async () => {
    const base = dir();
    const logFile = join(base, 'logs', 'server.log');
    const transport = new ChildTransport(['--config', fixtureConfig(base), '--log-file', logFile], {
      env: { FIXTURE_SECRET: 'x' },
    });
    const client = newClient('2026-07-28', 'cli-test');
    await client.connect(transport);
    await client.close();
    await transport.exited;
    const log = readFileSync(logFile, 'utf8');
    expect(log).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z \[info\] mcp-packs: serving 2 packs/m);
    expect(log).toContain('stopped');
  });
});
