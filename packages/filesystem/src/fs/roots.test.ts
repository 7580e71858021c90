import { symlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/temp.js';
import { expandHome, isInside, narrowRoots, resolveConfiguredRoots } from './roots.js';

describe('roots', () => {
  it('isInside respects path boundaries', () => {
    expect(isInside('/data', '/data')).toBe(true);
    expect(isInside('/data/x', '/data')).toBe(true);
    expect(isInside('/data-evil/x', '/data')).toBe(false);
    expect(isInside('/anything', '/')).toBe(true);
  });

  it('expands ~ only at the start', () => {
    expect(expandHome('~')).toBe(homedir());
    expect(expandHome('~/x')).toBe(path.join(homedir(), 'x'));
    expect(expandHome('a/~/x')).toBe('a/~/x');
    expect(expandHome('~user/x')).toBe('~user/x');
  });

  it('resolves configured roots through links and labels duplicates apart', async () => {
    await using dir = await tempDir();
    await dir.write({ 'a/src/x': '', 'b/src/y': '' });
    await symlink(dir.join('a'), dir.join('alias'));
    const { roots, problems } = await resolveConfiguredRoots([dir.join('alias/src'), dir.join('b/src'), 'nul\0']);
    expect(roots.map((r) => [r.path, r.label])).toEqual([
      [dir.join('a/src'), 'src'],
      [dir.join('b/src'), 'src~2'],
    ]);
    expect(problems).toEqual([{ index: 2, message: 'contains a NUL byte' }]);
  });

  it('client roots narrow to what is inside the configured roots', async () => {
    await using dir = await tempDir();
    await dir.write({ 'data/p/x': '', 'data/q/y': '', 'other/z': '' });
    const { roots } = await resolveConfiguredRoots([dir.join('data')]);
    const set = await narrowRoots(roots, [
      { uri: pathToFileURL(dir.join('data/p')).href },
      { uri: pathToFileURL(dir.join('data/p/../p')).href },
      { uri: pathToFileURL(dir.join('other')).href },
    ]);
    expect(set.roots.map((r) => [r.path, r.source])).toEqual([[dir.join('data/p'), 'client']]);
    expect(set.ignored).toHaveLength(1);
    expect(await narrowRoots(roots, [])).toMatchObject({ mode: 'config', roots });
  });
});
