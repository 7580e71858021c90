/**
 * `mcp-packs pack new` and `mcp-packs pack check`, run as a pack author would: the built CLI as a child process,
 * the new package type-checked, tested (with CI=true, as its CI would) and built with the real TypeScript and
 * vitest, then checked, changed and checked again.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, FIXTURES, LOCAL_PACK, ROOT, runCli, tempDir } from './helpers.js';

const REPO = join(ROOT, '..', '..');

/** Link what `npm install` would put in the new package's node_modules to this workspace's copies (no network). */
function linkDependencies(dir: string): void {
  const links: Record<string, string> = {
    '@mcp-packs/core': join(REPO, 'packages', 'core'),
    '@mcp-packs/server': ROOT,
    zod: join(REPO, 'packages', 'core', 'node_modules', 'zod'),
    '@modelcontextprotocol/server': join(REPO, 'packages', 'core', 'node_modules', '@modelcontextprotocol', 'server'),
    '@modelcontextprotocol/client': join(ROOT, 'node_modules', '@modelcontextprotocol', 'client'),
    typescript: join(REPO, 'node_modules', 'typescript'),
    vitest: join(REPO, 'node_modules', 'vitest'),
    '@types/node': join(REPO, 'node_modules', '@types', 'node'),
  };
  for (const [name, target] of Object.entries(links)) {
    const link = join(dir, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(realpathSync(target), link, 'dir');
  }
}

/** Run a tool of the new package (tsc, vitest) in it; throws with its output when it fails. */
function runIn(dir: string, script: string, args: string[]): string {
  return execFileSync(process.execPath, [join(dir, 'node_modules', script), ...args], {
    cwd: dir,
    env: childEnv({ CI: 'true', NO_COLOR: '1' }),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('pack new, then pack check', () => {
  const temp = tempDir('mcp-packs-pack-new-');
  const dir = join(temp.path, 'mcp-pack-words');
  afterAll(() => temp.cleanup());

  beforeAll(async () => {
    const created = await runCli(['pack', 'new', '@acme/mcp-pack-words'], { cwd: temp.path });
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('created mcp-pack-words:');
    linkDependencies(dir);
  }, 60_000);

  it('writes a package with the pack, its tests, its snapshot and a README', () => {
    for (const file of ['package.json', 'src/index.ts', 'src/index.test.ts', 'src/__snapshots__/surface.json']) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: '@acme/mcp-pack-words', type: 'module', files: ['dist'] });
    expect(pkg.peerDependencies['@mcp-packs/core']).toMatch(/^\^\d+\.\d+\.\d+$/);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('`words_count_words`');
    const snapshot = JSON.parse(readFileSync(join(dir, 'src/__snapshots__/surface.json'), 'utf8'));
    expect(snapshot.tools.map((tool: { name: string }) => tool.name)).toEqual(['words_count_words']);
  });

  it('type-checks, passes its own tests in CI mode, and builds', () => {
    runIn(dir, 'typescript/bin/tsc', ['-p', 'tsconfig.json']);
    const tests = runIn(dir, 'vitest/vitest.mjs', ['run']);
    expect(tests).toMatch(/Tests\s+4 passed/);
    runIn(dir, 'typescript/bin/tsc', ['-p', 'tsconfig.build.json']);
    expect(existsSync(join(dir, 'dist', 'index.js'))).toBe(true);
  }, 120_000);

  it('passes pack check as created, then names a breaking change and accepts it with --update', async () => {
    const clean = await runCli(['pack', 'check', '.'], { cwd: dir });
    expect(clean.stdout).toContain('lint      ok (0 errors, 0 warnings)');
    expect(clean.stdout).toContain('mount     ok: 1 tool');
    expect(clean.stdout).toContain('surface   same as src/__snapshots__/surface.json');
    expect(clean.code).toBe(0);

    // A new required parameter: every caller of the tool breaks.
    const source = join(dir, 'src', 'index.ts');
    writeFileSync(
      source,
      readFileSync(source, 'utf8').replace(
        "text: z.string().describe('The text to count.')",
        "text: z.string().describe('The text to count.'), language: z.string().describe('Its language.')",
      ),
    );
    runIn(dir, 'typescript/bin/tsc', ['-p', 'tsconfig.build.json']);
    const changed = await runCli(['pack', 'check', '.'], { cwd: dir });
    expect(changed.code).toBe(3);
    expect(changed.stdout).toContain('DIFFERS from src/__snapshots__/surface.json (needs a major version)');
    expect(changed.stdout).toContain('major tool "words_count_words": new required parameter "language"');
    expect(changed.stdout).toContain('+          "language"');

    const json = await runCli(['pack', 'check', dir, '--json']);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      exitCode: 3,
      pack: 'words',
      package: { name: '@acme/mcp-pack-words', version: '0.1.0' },
      surface: { status: 'differs', bump: 'major' },
    });

    const updated = await runCli(['pack', 'check', '.', '--update'], { cwd: dir });
    expect(updated.code).toBe(0);
    expect(updated.stdout).toContain('updated src/__snapshots__/surface.json (the changes need a major version)');
    expect((await runCli(['pack', 'check', '.'], { cwd: dir })).code).toBe(0);
  }, 120_000);

  it('refuses a folder that is not empty and names that are no pack names', async () => {
    const again = await runCli(['pack', 'new', '@acme/mcp-pack-words'], { cwd: temp.path });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('exists and is not empty: pass --dir with a new folder');
    const bad = await runCli(['pack', 'new', 'Weather_Tools'], { cwd: temp.path });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not an npm package name');
    const noName = await runCli(['pack', 'new', 'mcp-9x', '--dir', join(temp.path, 'x')]);
    expect(noName.code).toBe(2);
    expect(noName.stderr).toContain('the pack\'s name would be "9x"');
  });
});

describe('pack check', () => {
  const temp = tempDir('mcp-packs-pack-check-');
  afterAll(() => temp.cleanup());

  it('checks an installed pack by package name against the snapshot its package commits', async () => {
    const result = await runCli(['pack', 'check', '@mcp-packs/math']);
    expect(result.stdout).toContain('pack check: "math" from @mcp-packs/math');
    expect(result.stdout).toContain('surface   same as');
    expect(result.code).toBe(0);
  });

  it('reports a missing --snapshot, writes it with --update, and then passes', async () => {
    const snapshot = join(temp.path, 'fixture-surface.json');
    const missing = await runCli(['pack', 'check', LOCAL_PACK, '--snapshot', snapshot]);
    expect(missing.code).toBe(3);
    expect(missing.stdout).toContain('MISSING: no snapshot at');
    const written = await runCli(['pack', 'check', LOCAL_PACK, '--snapshot', snapshot, '--update']);
    expect(written.code).toBe(0);
    expect(JSON.parse(readFileSync(snapshot, 'utf8')).tools.length).toBeGreaterThan(0);
    expect((await runCli(['pack', 'check', LOCAL_PACK, '--snapshot', snapshot])).code).toBe(0);

    // The same snapshot against another pack: its tools are gone (major) and others are new (minor).
    const other = await runCli(['pack', 'check', join(FIXTURES, 'other-pack.mjs'), '--snapshot', snapshot]);
    expect(other.code).toBe(3);
    expect(other.stdout).toMatch(/major tool "fixture_echo" was removed \(or renamed\)/);
    expect(other.stdout).toMatch(/minor new tool "/);
  });

  it('fails the smoke mount with the config problem and a fix, and passes with --pack-config', async () => {
    const failed = await runCli(['pack', 'check', '@mcp-packs/filesystem']);
    expect(failed.code).toBe(3);
    expect(failed.stdout).toContain('mount     FAILED: the pack refused the config:');
    expect(failed.stdout).toContain('roots');
    expect(failed.stdout).toContain('--pack-config');
    const ok = await runCli([
      'pack',
      'check',
      '@mcp-packs/filesystem',
      '--pack-config',
      JSON.stringify({ roots: [temp.path], writes: 'on', allowDelete: true }),
    ]);
    expect(ok.stdout).toContain('mount     ok: 15 tools');
    expect(ok.code).toBe(0);
  });

  it('exits 2 when there is no pack to check', async () => {
    const nothing = await runCli(['pack', 'check', join(temp.path, 'nope.mjs')]);
    expect(nothing.code).toBe(2);
    expect(nothing.stdout).toContain('cannot load the pack: no file at');
    const notAPack = await runCli(['pack', 'check', join(FIXTURES, 'not-a-pack.mjs')]);
    expect(notAPack.code).toBe(2);
    expect(notAPack.stdout).toContain('exports no pack');
    const notInstalled = await runCli(['pack', 'check', 'mcp-pack-that-is-not-installed']);
    expect(notInstalled.code).toBe(2);
    expect(notInstalled.stdout).toContain('cannot find the package "mcp-pack-that-is-not-installed"');
  });

  it('explains its usage mistakes', async () => {
    for (const [args, message] of [
      [['pack'], 'pack needs a command: check or new'],
      [['pack', 'frob'], 'unknown pack command "frob"'],
      [['pack', 'check'], 'pack check needs the pack'],
      [['pack', 'check', 'a', 'b'], 'pack check takes one argument'],
      [['pack', 'new', 'x', '--update'], '--update goes with pack check'],
    ] as const) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
    }
    const help = await runCli(['pack', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('mcp-packs pack check <module-or-path>');
  });
});
