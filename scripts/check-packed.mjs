#!/usr/bin/env node
// Packed, not linked: pack every publishable workspace package the way `pnpm publish` would, install the
// tarballs into a fresh temp project with npm (not the workspace), and use them as a user would: mount a pack on a
// plain McpServer of either SDK major (v2 `@modelcontextprotocol/server`, v1 `@modelcontextprotocol/sdk`) and call a
// tool through that SDK's real client, and run the installed `mcp-packs` over stdio in both protocol eras.
// Catches missing `files`, wrong `exports`, and dependencies that only exist in the workspace.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'mcp-packs-packed-'));
const tarballs = join(work, 'tarballs');
const project = join(work, 'project');
mkdirSync(tarballs);
mkdirSync(project);

const run = (command, args, cwd) =>
  execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

try {
  const publishable = [];
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, group))) {
      const dir = join(root, group, name);
      let manifest;
      try {
        manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      } catch {
        continue;
      }
      if (manifest.private) continue;
      publishable.push(manifest.name);
      run('pnpm', ['pack', '--pack-destination', tarballs], dir);
    }
  }
  console.log(`packed: ${publishable.join(', ')}`);

  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'packed-consumer', private: true, type: 'module' }),
  );
  const files = readdirSync(tarballs).map((file) => join(tarballs, file));
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...files,
      '@modelcontextprotocol/server@^2.4.0',
      '@modelcontextprotocol/client@^2.4.0',
      '@modelcontextprotocol/sdk@^1.32.2',
      'zod@^4',
    ],
    project,
  );

  // 1. The ten-line user script: mount an installed pack on a plain McpServer and call a tool through a client,
  // on each SDK major.
  const mountScript = (sdk, imports) =>
    `import { mountPack } from '@mcp-packs/core/host';
import { sysinfoPack } from '@mcp-packs/sysinfo';
${imports}
const server = new McpServer({ name: 'mine', version: '1.0.0' }, { capabilities: { logging: {} } });
await mountPack(server, sysinfoPack, { config: { timeZone: 'UTC' } });
const [a, b] = InMemoryTransport.createLinkedPair();
const client = new Client({ name: 'me', version: '1.0.0' });
await server.connect(b); await client.connect(a);
const result = await client.callTool({ name: 'sys_current_time', arguments: {} });
if (result.isError || result.structuredContent?.timeZone !== 'UTC') throw new Error('unexpected ' + JSON.stringify(result));
console.log('mount an installed pack on a plain ${sdk} McpServer: ok');
await client.close();
`;
  writeFileSync(
    join(project, 'mount-v2.mjs'),
    mountScript(
      'SDK v2',
      `import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport, McpServer } from '@modelcontextprotocol/server';`,
    ),
  );
  process.stdout.write(run('node', ['mount-v2.mjs'], project));
  writeFileSync(
    join(project, 'mount-v1.mjs'),
    mountScript(
      'SDK v1',
      `import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';`,
    ),
  );
  process.stdout.write(run('node', ['mount-v1.mjs'], project));

  // 2. The installed CLI over stdio, driven by a real client, in each era.
  writeFileSync(
    join(project, 'stdio.mjs'),
    `import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
for (const [mode, expected] of [['auto', '2026-07-28'], ['legacy', '2025-11-25']]) {
  const client = new Client({ name: 'packed', version: '0' }, { versionNegotiation: { mode } });
  await client.connect(new StdioClientTransport({ command: 'node_modules/.bin/mcp-packs', args: [], stderr: 'ignore' }));
  const info = client.getServerVersion();
  if (info?.name !== 'mcp-packs') throw new Error('unexpected server ' + JSON.stringify(info));
  if (client.getNegotiatedProtocolVersion() !== expected) throw new Error('negotiated ' + client.getNegotiatedProtocolVersion());
  const tools = (await client.listTools()).tools;
  console.log('mcp-packs over stdio from tarballs, ' + expected + ': ok (' + tools.length + ' tools)');
  await client.close();
}
`,
  );
  process.stdout.write(run('node', ['stdio.mjs'], project));
  const listed = run(join(project, 'node_modules/.bin/mcp-packs'), ['list', '--json'], project);
  if (!Array.isArray(JSON.parse(listed).tools))
    throw new Error(`mcp-packs list --json printed ${listed.slice(0, 200)}`);
  process.stdout.write('mcp-packs list --json from tarballs: ok\n');
  process.stdout.write(
    `mcp-packs --version: ${execFileSync(join(project, 'node_modules/.bin/mcp-packs'), ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) || '(stderr)'}\n`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
