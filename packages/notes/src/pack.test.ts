import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isConfigError } from '@mcp-packs/core';
import { connectPack, structured } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import notesPackDefault, { notesPack } from './index.js';

describe('notesPack', () => {
  it('is the default export too, and refuses bad config before serving', async () => {
    expect(notesPackDefault).toBe(notesPack);
    const missing = await connectPack(notesPack, { config: {} as never, logSink: () => {} }).catch((error) => error);
    expect(isConfigError(missing)).toBe(true);
    expect(String(missing.message)).toContain('directory');
    const outside = await connectPack(notesPack, {
      config: { directory: os.tmpdir(), trashDir: '../elsewhere' },
      logSink: () => {},
    }).catch((error) => error);
    expect(isConfigError(outside)).toBe(true);
    expect(String(outside.message)).toContain('trashDir');
  });

  it('lets two mounts share one folder (and one cache folder): each sees the other’s notes', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'notes-two-mounts-'));
    const cache = await mkdtemp(path.join(os.tmpdir(), 'notes-two-mounts-cache-'));
    try {
      const config = { directory: dir, indexCacheDir: cache, watch: false, rescanIntervalMs: 0 };
      await using home = await connectPack(notesPack, { config, prefix: 'home', logSink: () => {} });
      await using work = await connectPack(notesPack, { config, prefix: 'work', logSink: () => {} });
      expect(home.mounted.services.store.persistentIndex).toBe(true);
      expect(work.mounted.services.store.persistentIndex).toBe(false);
      const note = structured<{ id: string }>(await home.callTool('home_create', { title: 'Shared', body: 'pelican' }));
      const found = structured<{ results: { id: string }[] }>(await work.callTool('work_search', { query: 'pelican' }));
      expect(found.results.map((hit) => hit.id)).toEqual([note.id]);
      const updated = await work.callTool('work_update', { id: note.id, append: 'and a heron' });
      expect(structured(updated)).toMatchObject({ version: 2 });
      expect(structured(await home.callTool('home_read', { id: note.id }))).toMatchObject({
        body: 'pelican\nand a heron',
        version: 2,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
      await rm(cache, { recursive: true, force: true });
    }
  });
});
