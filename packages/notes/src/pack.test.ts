import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isConfigError } from '@mcp-packs/core';
import { connectPack, errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { describe, expect, it, vi } from 'vitest';
import notesPackDefault, { notesPack } from './index.js';
import type { NoteStore } from './store/note-store.js';

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

  it('opens the folder on first use, or at start with openAtStart', async () => {
    const base = await mkdtemp(path.join(os.tmpdir(), 'notes-open-'));
    try {
      const lazy = path.join(base, 'lazy');
      await using conn = await connectPack(notesPack, {
        config: { directory: lazy, indexCacheDir: base },
        logSink: () => {},
      });
      // Opening creates a missing folder, so its absence shows nothing was opened by mounting (or listing).
      expect((await conn.client.listTools()).tools.length).toBeGreaterThan(0);
      expect(existsSync(lazy)).toBe(false);
      expect(structured(await conn.callTool('notes_create', { title: 'First' }))).toMatchObject({ version: 1 });
      expect(existsSync(path.join(lazy, 'First.md'))).toBe(true);

      const eager = path.join(base, 'eager');
      await using early = await connectPack(notesPack, {
        config: { directory: eager, indexCacheDir: base, openAtStart: true },
        logSink: () => {},
      });
      await vi.waitFor(() => expect(existsSync(eager)).toBe(true), { timeout: 10_000 });
      expect(structured(await early.callTool('notes_list', {}))).toMatchObject({ notes: [] });
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });

  it('a folder that cannot be opened fails the calls, not the mount, until it is fixed', async () => {
    const base = await mkdtemp(path.join(os.tmpdir(), 'notes-unopenable-'));
    try {
      const notAFolder = path.join(base, 'file.txt');
      await writeFile(notAFolder, 'not a folder');
      const logs: string[] = [];
      await using conn = await connectPack(notesPack, {
        config: { directory: notAFolder, indexCacheDir: base },
        logSink: (entry) => logs.push(String(entry.message)),
      });
      const result = await conn.callTool('notes_search', { query: 'anything' });
      expect(errorCode(result)).toBe('store_unavailable');
      expect(resultText(result)).toContain(notAFolder);
      expect(errorCode(await conn.callTool('notes_create', { title: 'x' }))).toBe('store_unavailable');
      expect(logs.join('\n')).toContain(`cannot open the notes folder ${notAFolder}`);
      expect(await readFile(notAFolder, 'utf8')).toBe('not a folder');
      // Fixed while the server runs: the next call opens the folder, no restart.
      await rm(notAFolder);
      await mkdir(notAFolder);
      expect(structured(await conn.callTool('notes_create', { title: 'Back', body: 'x' }))).toMatchObject({
        version: 1,
      });
      expect(structured<{ total: number }>(await conn.callTool('notes_list', {})).total).toBe(1);
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });

  it('lets two mounts share one folder (and one cache folder): each sees the other’s notes', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'notes-two-mounts-'));
    const cache = await mkdtemp(path.join(os.tmpdir(), 'notes-two-mounts-cache-'));
    try {
      const config = { directory: dir, indexCacheDir: cache, watch: false, rescanIntervalMs: 0 };
      await using home = await connectPack(notesPack, { config, prefix: 'home', logSink: () => {} });
      await using work = await connectPack(notesPack, { config, prefix: 'work', logSink: () => {} });
      // One of them keeps the index in the shared cache folder, the other in a private file.
      const persistent = [await home.mounted.services.store(), await work.mounted.services.store()].map(
        (store) => (store as NoteStore).persistentIndex,
      );
      expect(persistent.sort()).toEqual([false, true]);
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
