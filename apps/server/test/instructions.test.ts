/**
 * The server's instructions name only tools a client can call: each pack writes its part for the tools its mount
 * offers, so a tool left out by config (writes off), readOnly or a filter is never recommended to the model.
 */
import { realpathSync } from 'node:fs';
import { filesystemPack } from '@mcp-packs/filesystem';
import { mathPack } from '@mcp-packs/math';
import { notesPack } from '@mcp-packs/notes';
import { sysinfoPack } from '@mcp-packs/sysinfo';
import { webFetchPack } from '@mcp-packs/web-fetch';
import { afterEach, describe, expect, it } from 'vitest';
import { type Composition, compose, preparePacks } from '../src/compose.ts';
import { loadConfigFile, loadDefaultConfig } from '../src/config/load.ts';
import { tempDir, writeConfig } from './helpers.ts';

const packs = [filesystemPack, mathPack, notesPack, sysinfoPack, webFetchPack];
const ALL_KEYS = new Set(packs.flatMap((pack) => Object.keys(pack.tools)));

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function composed(loaded: ReturnType<typeof loadDefaultConfig>): Promise<Composition> {
  const composition = await compose(loaded, await preparePacks(loaded), { logSink: () => {} });
  cleanups.push(() => composition.close());
  return composition;
}

/** Every word of the instructions that names a tool of one of our packs (bare or prefixed) but is not offered. */
function unofferedMentions(composition: Composition): string[] {
  const offered = new Set(composition.mounts.flatMap((mount) => mount.prepared.surface.tools));
  const prefixes = composition.mounts.map((mount) => mount.prepared.surface.prefix).filter((p) => p !== null);
  const words = composition.instructions?.match(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g) ?? [];
  return words.filter((word) => {
    if (offered.has(word)) return false;
    const bare = prefixes.reduce(
      (name, prefix) => (name.startsWith(`${prefix}_`) ? name.slice(prefix.length + 1) : name),
      word,
    );
    return ALL_KEYS.has(word) || ALL_KEYS.has(bare);
  });
}

describe('server instructions', () => {
  it('the built-in default names only mounted tools, each by its final name', async () => {
    const home = tempDir();
    cleanups.push(home.cleanup);
    const composition = await composed(
      loadDefaultConfig({ cwd: realpathSync(home.path), env: { XDG_DATA_HOME: home.path, XDG_CACHE_HOME: home.path } }),
    );
    expect(composition.instructions).toContain('fs_read_text_file');
    expect(composition.instructions).toContain('sys_current_time');
    // Writes are off by default: no edit_file or write_file advice.
    expect(composition.instructions).not.toMatch(/edit_file|write_file/);
    expect(unofferedMentions(composition)).toEqual([]);
  });

  it('follows prefixes, readOnly mounts, filters and config', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const file = writeConfig(dir.path, {
      packs: [
        { use: '@mcp-packs/filesystem', prefix: 'files', config: { roots: [dir.path], allowWrite: true } },
        { use: '@mcp-packs/notes', readOnly: true, config: { directory: `${dir.path}/notes` } },
        { use: '@mcp-packs/sysinfo', tools: { exclude: ['current_time'] } },
        { use: '@mcp-packs/web-fetch', tools: { include: ['extract_links'] } },
        { use: '@mcp-packs/math', prefix: null },
      ],
    });
    const composition = await composed(loadConfigFile(file, { XDG_CACHE_HOME: dir.path }));
    const text = composition.instructions ?? '';
    expect(text).toContain('Prefer files_edit_file over files_write_file');
    expect(text).toContain('notes_search');
    expect(text).not.toMatch(/notes_update|notes_delete|expectedVersion/);
    expect(text).not.toContain('current_time');
    expect(text).toContain('web_extract_links');
    expect(text).not.toContain('web_fetch');
    expect(text).toContain('one evaluate batch');
    expect(unofferedMentions(composition)).toEqual([]);
  });
});
