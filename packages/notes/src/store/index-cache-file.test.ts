import { existsSync } from 'node:fs';
import { readFile, realpath, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { cacheFileFor } from './cache-dir.js';
import { tempDir } from './fixtures/temp-dir.js';
import { NoteStore } from './note-store.js';

const NOTES = 300;

/** A folder of notes, opened once with a cache so that a cache file is written, then closed cleanly. */
async function folderWithCache(dir: string, cacheDir: string): Promise<string> {
  await Promise.all(
    Array.from({ length: NOTES }, (_, i) =>
      writeFile(path.join(dir, `Note ${i}.md`), `# Note ${i}\n\nword${i} and the shared word quokka.\n`),
    ),
  );
  const store = await NoteStore.open({ dir, cacheDir, watch: false });
  await store.indexed();
  await store.close();
  const file = cacheFileFor(cacheDir, await realpath(dir));
  expect(existsSync(`${file}-wal`)).toBe(false);
  return file;
}

/** Open on the (spoiled) cache: every note must be there and searchable, and the cache in use again. */
async function expectRebuilt(dir: string, cacheDir: string): Promise<void> {
  const store = await NoteStore.open({ dir, cacheDir, watch: false, rescanIntervalMs: 0 });
  try {
    await store.indexed();
    expect(store.persistentIndex).toBe(true);
    expect((await store.list({ limit: 1 })).total).toBe(NOTES);
    expect(
      (await store.search({ query: 'word123', fuzzy: false, prefix: false })).hits.map((hit) => hit.title),
    ).toEqual(['Note 123']);
    expect((await store.search({ query: 'quokka' })).total).toBeGreaterThan(0);
  } finally {
    await store.close();
  }
}

describe('an index cache that cannot be trusted is rebuilt, never used', () => {
  it('a torn cache file (cut short after a clean close)', async () => {
    await using dir = await tempDir();
    await using cache = await tempDir('notes-cache-');
    const file = await folderWithCache(dir.path, cache.path);
    await truncate(file, Math.floor((await stat(file)).size / 2));
    await expectRebuilt(dir.path, cache.path);
  });

  it('a file that is not a database at all', async () => {
    await using dir = await tempDir();
    await using cache = await tempDir('notes-cache-');
    const file = await folderWithCache(dir.path, cache.path);
    await writeFile(file, Buffer.alloc(64 * 1024, 0x5a));
    await expectRebuilt(dir.path, cache.path);
  });

  it("another program's SQLite database in its place, and one with a first page overwritten", async () => {
    await using dir = await tempDir();
    await using cache = await tempDir('notes-cache-');
    const file = await folderWithCache(dir.path, cache.path);
    const original = await readFile(file);
    await writeFile(file, '');
    const foreign = new DatabaseSync(file);
    foreign.exec("CREATE TABLE entries(x TEXT); INSERT INTO entries VALUES ('not ours');");
    foreign.close();
    await expectRebuilt(dir.path, cache.path);

    const spoiled = Buffer.from(original);
    spoiled.fill(0x41, 0, 100); // the SQLite header
    await writeFile(file, spoiled);
    await expectRebuilt(dir.path, cache.path);
  });
});
