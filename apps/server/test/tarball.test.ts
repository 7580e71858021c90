import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStdio, FIXTURES, ROOT, runCli, tempDir, writeConfig } from './helpers.ts';

/**
 * A third-party pack as users get one: published to npm (here `npm pack`ed), installed with npm into a project of
 * their own, next to its peer @mcp-packs/core (packed from this repository with `pnpm pack`, as `pnpm publish`
 * would). The server must find it from the config file's directory, and accept a pack built by another copy of core.
 */
describe('a pack installed with npm from a packed tarball', () => {
  const work = tempDir('mcp-packs-tarball-');
  const project = join(work.path, 'my-assistant');
  let config: string;

  beforeAll(() => {
    const quiet = { stdio: ['ignore', 'ignore', 'pipe'] as ('ignore' | 'pipe')[] };
    execFileSync('pnpm', ['pack', '--pack-destination', work.path], {
      cwd: join(ROOT, '..', '..', 'packages', 'core'),
      ...quiet,
    });
    execFileSync('npm', ['pack', '--pack-destination', work.path], { cwd: join(FIXTURES, 'tarball-pack'), ...quiet });
    const tarballs = readdirSync(work.path).filter((file) => file.endsWith('.tgz'));
    expect(tarballs.sort()).toEqual([
      expect.stringMatching(/^mcp-packs-core-.*\.tgz$/),
      'mcp-packs-fixture-tarball-1.2.3.tgz',
    ]);
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-assistant', private: true }));
    // Offline and without peers: zod and the SDK then come from the server, as a host's peers should.
    execFileSync(
      'npm',
      [
        'install',
        '--offline',
        '--no-audit',
        '--no-fund',
        '--legacy-peer-deps',
        ...tarballs.map((t) => join(work.path, t)),
      ],
      { cwd: project, ...quiet },
    );
    config = writeConfig(project, { packs: [{ use: 'mcp-packs-fixture-tarball', prefix: 'tb' }] });
  }, 120_000);
  afterAll(() => work.cleanup());

  it('is resolved from the config file directory and served, with its package version', async () => {
    expect(existsSync(join(project, 'node_modules', '@mcp-packs', 'core', 'dist', 'index.js'))).toBe(true);
    const { client } = await connectStdio(['--config', config]);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(['tb_shout']);
      const result = await client.callTool({ name: 'tb_shout', arguments: { text: 'quiet please' } });
      expect(result.structuredContent).toEqual({ text: 'QUIET PLEASE' });
      const packs = await client.readResource({ uri: 'mcp-packs://server/packs' });
      const text = packs.contents.map((content) => ('text' in content ? content.text : '')).join('');
      expect(JSON.parse(text).packs[0]).toMatchObject({
        use: 'mcp-packs-fixture-tarball',
        name: 'tarball',
        version: '1.2.3',
        prefix: 'tb',
      });
    } finally {
      await client.close();
    }
  });

  it('is checked like any other: a filter naming a tool it lacks fails with the JSON path', async () => {
    const bad = writeConfig(
      project,
      { packs: [{ use: 'mcp-packs-fixture-tarball', tools: { include: ['whisper'] } }] },
      'bad.config.json',
    );
    const result = await runCli(['check', '--config', bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${bad}:5:7  packs[0].tools`);
    expect(result.stderr).toContain('"whisper" is not a tool of pack "tarball" (its tools: shout)');
  });
});
