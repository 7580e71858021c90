/**
 * The size contract of the built-in default config's tools/list (issue #17): at most 600 bytes of JSON per tool on
 * average, as a real SDK client receives it from a composed server. The listing itself is committed
 * (`__snapshots__/default-listing.json`), so every change to what the model reads shows in review. A size, not a
 * timing: it does not drift with the machine.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { Client, type Tool } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Composition, compose, preparePacks } from '../src/compose.ts';
import { type LoadedConfig, loadDefaultConfig } from '../src/config/load.ts';
import { describeSurface } from '../src/surface.ts';
import { ROOT, tempDir } from './helpers.ts';

/** The most bytes per listed tool, on average, the default config may cost. */
const MAX_BYTES_PER_TOOL = 600;

const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

const dir = tempDir();
const compositions: Composition[] = [];
afterAll(async () => {
  await Promise.all(compositions.map((composition) => composition.close()));
  dir.cleanup();
});

/** The default config as the server builds it here: a real (empty) directory to share, notes in a temp dir. */
function defaults(listing?: LoadedConfig['listing']): LoadedConfig {
  const loaded = loadDefaultConfig({
    cwd: realpathSync(dir.path),
    env: { XDG_DATA_HOME: join(dir.path, 'data'), XDG_CACHE_HOME: join(dir.path, 'cache') },
  });
  return listing ? { ...loaded, listing } : loaded;
}

async function listed(loaded: LoadedConfig): Promise<{ composition: Composition; tools: Tool[] }> {
  const composition = await compose(loaded, await preparePacks(loaded), { logSink: () => {} });
  compositions.push(composition);
  const client = new Client({ name: 'listing-test', version: '0' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await composition.createServer().server.connect(serverSide);
  await client.connect(clientSide);
  const { tools } = await client.listTools();
  await client.close();
  return { composition, tools };
}

describe('the default config lists lean tool definitions', () => {
  let composition: Composition;
  let tools: Tool[];
  beforeAll(async () => {
    ({ composition, tools } = await listed(defaults()));
  });

  it('matches the committed listing', async () => {
    const byName = [...tools].sort((a, b) => a.name.localeCompare(b.name));
    await expect(`${JSON.stringify(byName, null, 2)}\n`).toMatchFileSnapshot('./__snapshots__/default-listing.json');
  });

  it(`costs at most ${MAX_BYTES_PER_TOOL} bytes per tool on average, without output schemas`, () => {
    expect(tools.length).toBeGreaterThanOrEqual(30);
    expect(tools.filter((tool) => tool.outputSchema !== undefined)).toEqual([]);
    const bytes = tools.reduce((sum, tool) => sum + bytesOf(tool), 0);
    const perPack = composition.mounts.map(({ prepared }) => {
      const own = tools.filter((tool) => prepared.surface.tools.includes(tool.name));
      const packBytes = own.reduce((sum, tool) => sum + bytesOf(tool), 0);
      return `${prepared.pack.name} ${own.length} tools ${packBytes} B (${Math.round(packBytes / own.length)} B/tool)`;
    });
    expect(bytes / tools.length, `${bytes} B for ${tools.length} tools: ${perPack.join(', ')}`).toBeLessThanOrEqual(
      MAX_BYTES_PER_TOOL,
    );
  });

  it('mcp-packs list prices each pack by its own tools, adding up to the totals', async () => {
    const surface = await describeSurface(composition);
    expect(surface.totals.bytes).toBe(tools.reduce((sum, tool) => sum + bytesOf(tool), 0));
    expect(surface.totals.bytesPerTool).toBe(Math.round(surface.totals.bytes / tools.length));
    for (const pack of surface.packs) {
      const own = tools.filter((tool) => tool.name.startsWith(`${pack.prefix}_`));
      expect(pack.bytes, pack.name).toBe(own.reduce((sum, tool) => sum + bytesOf(tool), 0));
      expect(pack.tokens, pack.name).toBe(own.reduce((sum, tool) => sum + Math.ceil(bytesOf(tool) / 4), 0));
    }
    expect(surface.packs.reduce((sum, pack) => sum + pack.bytes, 0)).toBe(surface.totals.bytes);
  });
});

describe('"listing": { "outputSchemas": true }', () => {
  it("lists each tool's output schema, as the pack's own surface snapshot has it", async () => {
    const { tools } = await listed(defaults({ outputSchemas: true }));
    const fromSources = new Map<string, { name: string; outputSchema?: unknown }>();
    for (const pack of ['math', 'filesystem', 'sysinfo', 'web-fetch', 'notes']) {
      const file = join(ROOT, '..', '..', 'packages', pack, 'src', '__snapshots__', 'surface.json');
      for (const tool of (JSON.parse(readFileSync(file, 'utf8')) as { tools: { name: string }[] }).tools) {
        fromSources.set(tool.name, tool);
      }
    }
    expect(tools.filter((tool) => tool.outputSchema !== undefined).length).toBeGreaterThan(20);
    for (const tool of tools) expect(tool.outputSchema, tool.name).toEqual(fromSources.get(tool.name)?.outputSchema);
  });
});
