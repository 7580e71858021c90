/** The servers server.bench.ts measures, each in the eras it speaks, with the files they run from in `work`. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { StdioServer, ToolCallSpec } from './server-clients.ts';
import { CLI, ERAS, FIXTURE_PACK, key, serverDir } from './server-common.ts';
import { oneToolPackSource, rawHttpSource, rawStdioSource } from './server-sources.ts';

/** Write the raw floor, the one-tool pack and the configs into `work`; name every server and server/era pair. */
export function prepareServers(work: string) {
  const rawStdio = join(work, 'raw-stdio.mjs');
  const rawHttp = join(work, 'raw-http.mjs');
  writeFileSync(rawStdio, rawStdioSource());
  writeFileSync(rawHttp, rawHttpSource());
  const fixtureConfig = join(work, 'fixture.config.json');
  writeFileSync(fixtureConfig, JSON.stringify({ packs: [{ use: FIXTURE_PACK, prefix: 'fx' }] }));
  const oneToolPack = join(work, 'one-tool-pack.mjs');
  writeFileSync(oneToolPack, oneToolPackSource());
  const oneToolConfig = join(work, 'one-tool.config.json');
  writeFileSync(oneToolConfig, JSON.stringify({ packs: [{ use: oneToolPack, prefix: null }] }));
  const referencePackage = createRequire(import.meta.url).resolve(
    '@modelcontextprotocol/server-filesystem/package.json',
  );
  const referenceBin = join(dirname(referencePackage), 'dist', 'index.js');
  const referenceVersion = (JSON.parse(readFileSync(referencePackage, 'utf8')) as { version: string }).version;
  // The built-in default config keeps notes in the user's data dir: keep it, and the cache dir, in the temp dir.
  const userDirs = { XDG_DATA_HOME: join(work, 'data'), XDG_CACHE_HOME: join(work, 'cache') };

  const echo: ToolCallSpec = { name: 'echo', arguments: { text: 'hi' } };
  const servers: Record<string, StdioServer> = {
    rawV2: { command: process.execPath, args: [rawStdio], eras: ERAS, cheapCall: echo },
    reference: {
      command: process.execPath,
      args: [referenceBin, work],
      eras: ['2025-11-25'],
      cheapCall: { name: 'list_allowed_directories', arguments: {} },
    },
    mcpPacksDefault: {
      command: process.execPath,
      args: [CLI],
      cwd: work,
      env: userDirs,
      eras: ERAS,
      cheapCall: { name: 'fs_list_allowed_directories', arguments: {} },
    },
    mcpPacksFixture: {
      command: process.execPath,
      args: [CLI, '--config', fixtureConfig],
      env: userDirs,
      eras: ERAS,
      cheapCall: { name: 'fx_echo', arguments: { text: 'hi' } },
    },
    mcpPacksOneTool: {
      command: process.execPath,
      args: [CLI, '--config', oneToolConfig],
      env: userDirs,
      eras: ERAS,
      cheapCall: echo,
    },
  };
  // Each of our packs that is installed, alone (as in the default config), to see what each adds at start.
  const ownPacks: Record<string, Record<string, unknown>> = {
    math: {},
    filesystem: { roots: [work], allowWrite: false },
    sysinfo: {},
    'web-fetch': { allowPrivateNetwork: false },
    notes: { directory: join(work, 'notes') },
  };
  for (const [name, config] of Object.entries(ownPacks)) {
    if (!existsSync(join(serverDir, 'node_modules', '@mcp-packs', name))) continue;
    const file = join(work, `${name}.config.json`);
    writeFileSync(file, JSON.stringify({ packs: [{ use: `@mcp-packs/${name}`, config }] }));
    servers[`pack:${name}`] = { command: process.execPath, args: [CLI, '--config', file], env: userDirs, eras: ERAS };
  }
  const entries = Object.entries(servers).flatMap(([name, server]) =>
    server.eras.map((era) => ({ name, era, key: key(name, era), server })),
  );
  const keys = entries.map((entry) => entry.key);
  return { rawHttp, oneToolConfig, referenceVersion, userDirs, echo, servers, entries, keys };
}

/** What `prepareServers` made. */
export type Prepared = ReturnType<typeof prepareServers>;
/** One server in one era. */
export type Entry = Prepared['entries'][number];
