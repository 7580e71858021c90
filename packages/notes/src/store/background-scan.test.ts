import { execFile } from 'node:child_process';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { tempDir } from './fixtures/temp-dir.js';
import { NoteStore, type NoteStoreOptions } from './note-store.js';

async function openStore(dir: string, options: Partial<NoteStoreOptions> = {}) {
  const store = await NoteStore.open({ dir, watch: true, rescanIntervalMs: 60_000, ...options });
  return Object.assign(store, { [Symbol.asyncDispose]: () => store.close() });
}

/** Change the folder from another process, as an editor or a sync tool would: `ops` run there, in order. */
async function inAnotherProcess(dir: string, ops: string): Promise<void> {
  const script = `const fs = require('node:fs'); const path = require('node:path'); const dir = process.argv[1]; ${ops}`;
  await promisify(execFile)(process.execPath, ['-e', script, dir]);
}

async function titles(store: NoteStore): Promise<string[]> {
  return (await store.list({ limit: 200, sort: 'title' })).notes.map((note) => note.title);
}

const waitFor = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 10_000, interval: 50 });

describe('changes made outside the store are picked up without a scan per call', () => {
  it('through the watcher: files created, edited, renamed and deleted by another process, folders moved in and out', async () => {
    await using dir = await tempDir();
    await using store = await openStore(dir.path);
    const kept = await store.create({ title: 'Kept', body: 'unchanged' });
    const edited = await store.create({ title: 'Edited', body: 'before' });
    await store.create({ title: 'Renamed', body: 'moving' });
    await store.create({ title: 'Deleted', body: 'going' });
    await using elsewhere = await tempDir();
    await mkdir(path.join(elsewhere.path, 'outside'));
    await writeFile(path.join(elsewhere.path, 'outside', 'Moved in.md'), '# Moved in\n\nfrom elsewhere zebrafish\n');

    await inAnotherProcess(
      dir.path,
      `fs.writeFileSync(path.join(dir, 'Created.md'), '# Created\\n\\nby hand platypus\\n');
       const e = path.join(dir, 'Edited.md'); fs.writeFileSync(e, fs.readFileSync(e, 'utf8').replace('before', 'after narwhal'));
       fs.renameSync(path.join(dir, 'Renamed.md'), path.join(dir, 'Renamed by hand.md'));
       fs.rmSync(path.join(dir, 'Deleted.md'));`,
    );
    await waitFor(async () => {
      expect(await titles(store)).toEqual(['Created', 'Edited', 'Kept', 'Renamed']);
      expect((await store.search({ query: 'narwhal' })).hits).toMatchObject([{ id: edited.id, version: 2 }]);
      expect((await store.search({ query: 'platypus' })).hits.map((hit) => hit.title)).toEqual(['Created']);
    });
    expect((await store.list({ limit: 200 })).notes.find((note) => note.title === 'Renamed')?.path).toBe(
      'Renamed by hand.md',
    );

    // A folder moved into the notes folder brings its notes; moved out again, takes them away.
    await rename(path.join(elsewhere.path, 'outside'), path.join(dir.path, 'projects'));
    await waitFor(async () => {
      expect((await store.search({ query: 'zebrafish' })).hits.map((hit) => hit.path)).toEqual([
        'projects/Moved in.md',
      ]);
    });
    // ...and is watched from then on.
    await writeFile(path.join(dir.path, 'projects', 'Later.md'), '# Later\n\nwritten afterwards okapi\n');
    await waitFor(async () => {
      expect((await store.search({ query: 'okapi' })).hits.map((hit) => hit.path)).toEqual(['projects/Later.md']);
    });
    await rename(path.join(dir.path, 'projects'), path.join(elsewhere.path, 'gone'));
    await waitFor(async () => {
      expect(await titles(store)).toEqual(['Created', 'Edited', 'Kept', 'Renamed']);
    });
    expect((await store.read({ id: kept.id })).body).toBe('unchanged');
  });

  it('without a watcher, by a periodic scan that calls start but do not wait for', async () => {
    await using dir = await tempDir();
    await using store = await openStore(dir.path, { watch: false, rescanIntervalMs: 100 });
    const note = await store.create({ title: 'Polled', body: 'quiet' });
    await inAnotherProcess(
      dir.path,
      `const f = path.join(dir, 'Polled.md'); fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('quiet', 'loud axolotl'));
       fs.writeFileSync(path.join(dir, 'New.md'), '# New\\n\\nanother axolotl\\n');`,
    );
    await waitFor(async () => {
      const { hits } = await store.search({ query: 'axolotl' });
      expect(hits.map((hit) => hit.title).sort()).toEqual(['New', 'Polled']);
    });
    expect((await store.read({ id: note.id })).version).toBe(2);
  });

  it('a large cached folder opens on its cache and checks it in the background, missing no change made while closed', async () => {
    await using dir = await tempDir();
    await using cache = await tempDir('notes-cache-');
    const first = await openStore(dir.path, { cacheDir: cache.path });
    const notes = [];
    for (let i = 0; i < 6; i++) notes.push(await first.create({ title: `Note ${i}`, body: `body ${i}` }));
    await first.close();
    const [edited, renamed, deleted] = notes as [(typeof notes)[0], (typeof notes)[0], (typeof notes)[0]];

    // While no server runs: an edit, a rename, a delete, a new file, and a writer's temp file left by a crash.
    const editedFile = path.join(dir.path, edited.path);
    await writeFile(editedFile, (await readFile(editedFile, 'utf8')).replace('body 0', 'body 0 edited meerkat'));
    await rename(path.join(dir.path, renamed.path), path.join(dir.path, 'Elsewhere.md'));
    await rm(path.join(dir.path, deleted.path));
    await writeFile(path.join(dir.path, 'Fresh.md'), '# Fresh\n\nwritten while closed\n');

    // syncScanMax 0: any intact cache is trusted at open (by default only one of over 5,000 files).
    await using store = await openStore(dir.path, { cacheDir: cache.path, syncScanMax: 0 });
    expect(store.persistentIndex).toBe(true);
    await waitFor(async () => {
      expect(await titles(store)).toEqual(['Fresh', 'Note 0', 'Note 1', 'Note 3', 'Note 4', 'Note 5']);
      expect((await store.search({ query: 'meerkat' })).hits).toMatchObject([{ id: edited.id, version: 2 }]);
    });
    expect((await store.list({ limit: 20 })).notes.find((note) => note.id === renamed.id)?.path).toBe('Elsewhere.md');
    // A write meanwhile is checked against the file, never the cache: a stale version is refused.
    const refused = await store.update({ id: edited.id, expectedVersion: 1, body: 'stale' }).catch((error) => error);
    expect(refused.code).toBe('version_conflict');
  });

  it('answers calls while a background scan of the whole folder runs, and keeps a note created racing it', async () => {
    await using dir = await tempDir();
    await using cache = await tempDir('notes-cache-');
    // Files written straight to disk (as a sync tool would): the first open reads them all.
    for (let i = 0; i < 400; i++) {
      await writeFile(path.join(dir.path, `Bulk ${i}.md`), `# Bulk ${i}\n\nword${i} shared text\n`);
    }
    const first = await openStore(dir.path, { cacheDir: cache.path });
    await first.indexed();
    await first.close();
    await writeFile(path.join(dir.path, 'Bulk 7.md'), '# Bulk 7\n\nedited while closed wombat\n');

    // The cache is served at once; the scan that checks every file against it runs in the background meanwhile.
    await using store = await openStore(dir.path, { cacheDir: cache.path, syncScanMax: 0 });
    const [listed, created] = await Promise.all([
      store.list({ limit: 5 }),
      store.create({ title: 'Racing', body: 'written while the scan runs quokka' }),
    ]);
    expect(listed.total).toBeGreaterThanOrEqual(400);
    expect((await store.search({ query: 'quokka' })).hits).toMatchObject([{ id: created.id }]);
    await waitFor(async () => {
      expect((await store.search({ query: 'wombat' })).hits).toMatchObject([{ title: 'Bulk 7' }]);
    });
    // A scan that starts now, after the one at open: the created note is still there, once.
    await store.refresh();
    const all = await store.list({ limit: 200, sort: 'title', order: 'desc' });
    expect(all.total).toBe(401);
    expect(all.notes.filter((note) => note.title === 'Racing')).toHaveLength(1);
  });
});
