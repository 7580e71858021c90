import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bumpCovers, bumpsFromChangesets, requiredBump } from './surface-changes.mjs';

const tool = (name, extra = {}) => ({
  name,
  description: `${name} things`,
  inputSchema: { type: 'object', properties: { a: { type: 'string' } } },
  ...extra,
});

describe('requiredBump', () => {
  const before = { tools: [tool('read'), tool('write')], prompts: [{ name: 'p', arguments: [{ name: 'q' }] }] };

  it('needs nothing when nothing changed', () => {
    expect(requiredBump(before, structuredClone(before), '1.2.3')).toEqual({ bump: 'none', reasons: [] });
  });

  it('calls a removed tool or a changed input schema breaking (minor while 0.x)', () => {
    const removed = { ...before, tools: [tool('read')] };
    expect(requiredBump(before, removed, '1.0.0')).toEqual({
      bump: 'major',
      reasons: ['tools: "write" was removed or renamed'],
    });
    expect(requiredBump(before, removed, '0.3.0').bump).toBe('minor');
    const changed = { ...before, tools: [tool('read', { inputSchema: { type: 'object' } }), tool('write')] };
    expect(requiredBump(before, changed, '1.0.0').reasons).toEqual(['tools: "read" changed its input schema']);
  });

  it('needs a patch for an added tool or a new description', () => {
    const added = { ...before, tools: [...before.tools, tool('move')] };
    expect(requiredBump(before, added, '1.0.0')).toEqual({ bump: 'patch', reasons: ['tools: "move" was added'] });
    const described = { ...before, tools: [tool('read', { description: 'better' }), tool('write')] };
    expect(requiredBump(before, described, '1.0.0').bump).toBe('patch');
    const fieldText = {
      ...before,
      tools: [
        tool('read', { inputSchema: { type: 'object', properties: { a: { type: 'string', description: 'A' } } } }),
        tool('write'),
      ],
    };
    expect(requiredBump(before, fieldText, '1.0.0').bump).toBe('patch');
  });
});

describe('bumpsFromChangesets', () => {
  it('takes the largest bump per package from the front matter', () => {
    const bumps = bumpsFromChangesets([
      '---\n"@mcp-packs/math": patch\n"@mcp-packs/core": minor\n---\n\nText.\n',
      '---\n"@mcp-packs/math": minor\n---\n\nMore.\n',
    ]);
    expect(Object.fromEntries(bumps)).toEqual({ '@mcp-packs/math': 'minor', '@mcp-packs/core': 'minor' });
    expect(bumpCovers(bumps.get('@mcp-packs/math'), 'patch')).toBe(true);
    expect(bumpCovers(undefined, 'patch')).toBe(false);
  });
});

describe('check-surface-changesets.mjs on a real clone', () => {
  const here = dirname(fileURLToPath(import.meta.url));
  const repo = join(here, '..');
  const work = mkdtempSync(join(tmpdir(), 'surface-check-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('fails a tool removed without a changeset, and passes once one of the right size is added', () => {
    const clone = join(work, 'repo');
    execFileSync('git', ['clone', '-q', repo, clone]);
    for (const file of ['surface-changes.mjs', 'check-surface-changesets.mjs']) {
      copyFileSync(join(here, file), join(clone, 'scripts', file));
    }
    const run = () =>
      spawnSync(process.execPath, [join(clone, 'scripts', 'check-surface-changesets.mjs'), '--base', 'HEAD'], {
        cwd: clone,
        encoding: 'utf8',
      });
    expect(run().status).toBe(0);

    const snapshot = join(clone, 'packages', 'sysinfo', 'src', '__snapshots__', 'surface.json');
    const surface = JSON.parse(readFileSync(snapshot, 'utf8'));
    surface.tools = surface.tools.filter((t) => t.name !== 'sys_convert_time');
    writeFileSync(snapshot, `${JSON.stringify(surface, null, 2)}\n`);
    const failed = run();
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('@mcp-packs/sysinfo needs a "minor" changeset (it has none)');
    expect(failed.stderr).toContain('"sys_convert_time" was removed or renamed');

    writeFileSync(
      join(clone, '.changeset', 'drop-convert.md'),
      '---\n"@mcp-packs/sysinfo": patch\n---\n\nToo small.\n',
    );
    expect(run().stderr).toContain('(it has patch)');
    writeFileSync(
      join(clone, '.changeset', 'drop-convert.md'),
      '---\n"@mcp-packs/sysinfo": minor\n---\n\nDrop convert_time.\n',
    );
    expect(run().status).toBe(0);
  });
});
