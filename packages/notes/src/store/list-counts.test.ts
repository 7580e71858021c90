import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './fixtures/temp-dir.js';
import { LIST_PROBLEMS, NoteStore, type NoteStoreOptions } from './note-store.js';

async function openStore(dir: string, options: Partial<NoteStoreOptions> = {}) {
  const store = await NoteStore.open({ dir, watch: false, rescanIntervalMs: 0, ...options });
  return Object.assign(store, { [Symbol.asyncDispose]: () => store.close() });
}

/** What a listing says of the folder: notes live and in the trash, files skipped and the first of them. */
async function counts(store: NoteStore) {
  const live = await store.list({ limit: 1 });
  const trash = await store.list({ limit: 1, trash: true });
  return { live: live.total, trashed: trash.total, skipped: live.problemCount, first: live.problems[0]?.path };
}

describe('list totals and skipped files, kept as files come and go (no count over the folder per call)', () => {
  it('follow creates, deletes, restores and files broken, fixed, renamed and removed by hand, and survive a restart', async () => {
    await using dir = await tempDir();
    await using cache = await tempDir('notes-cache-');
    const store = await openStore(dir.path, { cacheDir: cache.path });
    const a = await store.create({ title: 'Alpha', body: 'one' });
    await store.create({ title: 'Beta', body: 'two' });
    expect(await counts(store)).toEqual({ live: 2, trashed: 0, skipped: 0, first: undefined });

    await store.delete({ id: a.id, expectedVersion: a.version });
    expect(await counts(store)).toMatchObject({ live: 1, trashed: 1 });
    await store.restore({ id: a.id });
    expect(await counts(store)).toMatchObject({ live: 2, trashed: 0 });

    const broken = path.join(dir.path, 'Broken.md');
    await writeFile(broken, '---\ntitle: [unclosed\n---\nbody\n');
    expect(await counts(store)).toEqual({ live: 2, trashed: 0, skipped: 1, first: 'Broken.md' });
    await rename(broken, path.join(dir.path, 'Still broken.md'));
    expect(await counts(store)).toEqual({ live: 2, trashed: 0, skipped: 1, first: 'Still broken.md' });
    await writeFile(path.join(dir.path, 'Still broken.md'), '---\ntitle: Fixed\n---\nbody\n');
    expect(await counts(store)).toEqual({ live: 3, trashed: 0, skipped: 0, first: undefined });
    await writeFile(broken, '---\ntitle: [unclosed\n---\nbody\n');
    await store.close();

    // Restarted on the cache: the counts it kept are still right, and still follow the files.
    await using again = await openStore(dir.path, { cacheDir: cache.path });
    expect(again.persistentIndex).toBe(true);
    expect(await counts(again)).toEqual({ live: 3, trashed: 0, skipped: 1, first: 'Broken.md' });
    await rm(broken);
    await rm(path.join(dir.path, 'Still broken.md'));
    expect(await counts(again)).toEqual({ live: 2, trashed: 0, skipped: 0, first: undefined });
  });

  it(`names the first ${LIST_PROBLEMS} skipped files by path and counts them all`, async () => {
    await using dir = await tempDir();
    await Promise.all(
      Array.from({ length: LIST_PROBLEMS + 5 }, (_, i) =>
        writeFile(path.join(dir.path, `Broken ${String(i).padStart(2, '0')}.md`), '---\ntitle: [x\n---\n'),
      ),
    );
    await writeFile(path.join(dir.path, 'Good.md'), 'fine\n');
    await using store = await openStore(dir.path);
    const listing = await store.list();
    expect(listing.total).toBe(1);
    expect(listing.problemCount).toBe(LIST_PROBLEMS + 5);
    expect(listing.problems.map((problem) => problem.path)).toEqual(
      Array.from({ length: LIST_PROBLEMS }, (_, i) => `Broken ${String(i).padStart(2, '0')}.md`),
    );
    expect(await store.problems()).toHaveLength(LIST_PROBLEMS + 5);
  });
});
