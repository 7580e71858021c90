import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { NoteStoreError } from './errors.js';
import { tempDir } from './fixtures/temp-dir.js';
import { NoteStore, type NoteStoreOptions } from './note-store.js';

async function openStore(dir: string, options: Partial<NoteStoreOptions> = {}) {
  const store = await NoteStore.open({ dir, watch: false, rescanIntervalMs: 0, ...options });
  return Object.assign(store, { [Symbol.asyncDispose]: () => store.close() });
}

async function errorOf(promise: Promise<unknown>): Promise<NoteStoreError | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error as NoteStoreError;
  }
}

/**
 * Edit a note the way another editor would: front matter (and its version) untouched unless `from` is in it. The
 * last occurrence is replaced: a short `from` such as `a\n` can also end the id line, and the body comes last.
 */
async function handEdit(file: string, from: string, to: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  const at = text.lastIndexOf(from);
  expect(at).toBeGreaterThanOrEqual(0);
  await writeFile(file, text.slice(0, at) + to + text.slice(at + from.length));
}

describe('a note edited by hand under an unchanged version', () => {
  it('is a newer version: a stale whole-body replace fails, and the next write persists the bump', async () => {
    await using dir = await tempDir();
    await using store = await openStore(dir.path);
    const note = await store.create({ title: 'Plan', body: 'alpha\n' });
    const file = path.join(dir.path, note.path);
    const read = await store.read({ id: note.id });
    expect(read.version).toBe(1);

    await handEdit(file, 'alpha\n', 'alpha\nwritten in Obsidian\n');
    expect(await readFile(file, 'utf8')).toContain('version: 1\n');

    const error = await errorOf(store.update({ id: note.id, expectedVersion: 1, body: 'model text\n' }));
    expect(error?.code).toBe('version_conflict');
    expect(error?.message).toMatch(/edited outside the server/);
    expect(error?.details).toMatchObject({
      currentVersion: 2,
      expectedVersion: 1,
      changed: ['body'],
      editedOutside: true,
    });
    // Nothing was written: the hand edit is intact, and the file itself was not rewritten to record the bump.
    const onDisk = await readFile(file, 'utf8');
    expect(onDisk).toContain('written in Obsidian');
    expect(onDisk).toContain('version: 1\n');

    // The tools report the bumped version everywhere.
    expect((await store.read({ id: note.id })).version).toBe(2);
    expect((await store.list()).notes.find((n) => n.id === note.id)?.version).toBe(2);
    expect((await store.search({ query: 'obsidian' })).hits[0]).toMatchObject({ id: note.id, version: 2 });

    // Delete with the stale version fails too.
    expect((await errorOf(store.delete({ id: note.id, expectedVersion: 1 })))?.code).toBe('version_conflict');

    // With the version it now reports, the replace goes through and the file records version 3.
    const updated = await store.update({
      id: note.id,
      expectedVersion: 2,
      body: 'alpha\nwritten in Obsidian\nand more\n',
    });
    expect(updated.version).toBe(3);
    expect(await readFile(file, 'utf8')).toContain('version: 3\n');
    expect((await store.read({ id: note.id })).version).toBe(3);
  });

  it('also catches a title or tags edit; a hand edit of other keys or a touch changes nothing', async () => {
    await using dir = await tempDir();
    await using store = await openStore(dir.path);
    const note = await store.create({ title: 'Tagged', body: 'x', tags: ['a'] });
    const file = path.join(dir.path, note.path);
    await handEdit(file, 'version: 1\n', 'version: 1\ncssclasses:\n  - wide\n');
    await writeFile(file, await readFile(file, 'utf8')); // a save without changes
    expect((await store.read({ id: note.id })).version).toBe(1);
    await handEdit(file, '  - a\n', '  - b\n');
    const error = await errorOf(store.update({ id: note.id, expectedVersion: 1, tags: ['c'] }));
    expect(error?.code).toBe('version_conflict');
    expect(error?.details).toMatchObject({ currentVersion: 2, changed: ['tags'] });
    expect((await store.read({ id: note.id })).tags).toEqual(['b']);
  });

  it('counts each hand edit, and append and findReplace still apply to the current text', async () => {
    await using dir = await tempDir();
    await using store = await openStore(dir.path);
    const note = await store.create({ title: 'Log', body: 'one\n' });
    const file = path.join(dir.path, note.path);
    await handEdit(file, 'one\n', 'one\ntwo\n');
    expect((await store.read({ id: note.id })).version).toBe(2);
    await handEdit(file, 'two\n', 'two\nthree\n');
    expect((await store.read({ id: note.id })).version).toBe(3);
    await handEdit(file, 'three\n', 'three\nfour\n');
    const appended = await store.update({ id: note.id, append: 'five' });
    expect(appended.version).toBe(5);
    expect((await store.read({ id: note.id })).body).toBe('one\ntwo\nthree\nfour\nfive');
  });

  it('is detected at the write even when the edit kept the mtime, size and inode', async () => {
    await using dir = await tempDir();
    await using store = await openStore(dir.path);
    const note = await store.create({ title: 'Same size', body: 'abc\n' });
    const file = path.join(dir.path, note.path);
    const { utimes, stat } = await import('node:fs/promises');
    const before = await stat(file);
    await handEdit(file, 'abc\n', 'xyz\n');
    await utimes(file, before.atime, before.mtime);
    const error = await errorOf(store.update({ id: note.id, expectedVersion: 1, body: 'model\n' }));
    expect(error?.code).toBe('version_conflict');
    expect(await readFile(file, 'utf8')).toContain('xyz\n');
  });

  it('survives a restart: the index cache remembers, so an edit made while the server was down is caught', async () => {
    await using dir = await tempDir();
    await using cache = await tempDir();
    const first = await openStore(dir.path, { cacheDir: cache.path });
    const note = await first.create({ title: 'Kept', body: 'before\n' });
    const file = path.join(dir.path, note.path);
    await handEdit(file, 'before\n', 'before\nhand edit one\n');
    expect((await first.read({ id: note.id })).version).toBe(2);
    await first.close();

    // Restarted: the bump made before is still reported.
    const second = await openStore(dir.path, { cacheDir: cache.path });
    expect(second.persistentIndex).toBe(true);
    expect((await second.read({ id: note.id })).version).toBe(2);
    await second.close();

    // Edited while no server runs: the next start counts it.
    await handEdit(file, 'hand edit one\n', 'hand edit one\nhand edit two\n');
    await using third = await openStore(dir.path, { cacheDir: cache.path });
    expect((await third.list()).notes[0]?.version).toBe(3);
    expect((await errorOf(third.update({ id: note.id, expectedVersion: 2, body: 'stale\n' })))?.code).toBe(
      'version_conflict',
    );
    const written = await third.update({ id: note.id, expectedVersion: 3, body: 'fresh\n' });
    expect(written.version).toBe(4);
    expect(await readFile(file, 'utf8')).toContain('version: 4\n');
  });

  it('is seen through the watcher and by a periodic rescan', async () => {
    await using dir = await tempDir();
    await using watched = await openStore(dir.path, { watch: true, rescanIntervalMs: 60_000 });
    const note = await watched.create({ title: 'Watched', body: 'quiet\n' });
    await handEdit(path.join(dir.path, note.path), 'quiet\n', 'quiet\nzeppelin\n');
    await vi.waitFor(
      async () => {
        const { hits } = await watched.search({ query: 'zeppelin' });
        expect(hits[0]).toMatchObject({ id: note.id, version: 2 });
      },
      { timeout: 5000, interval: 50 },
    );
    await using scanned = await openStore(dir.path, { rescanIntervalMs: 0 });
    await handEdit(path.join(dir.path, note.path), 'zeppelin\n', 'zeppelin\nairship\n');
    expect((await scanned.search({ query: 'airship' })).hits[0]).toMatchObject({ id: note.id, version: 2 });
    expect((await scanned.list()).notes[0]?.version).toBe(2);
  });

  it('keeps the bump through delete and restore', async () => {
    await using dir = await tempDir();
    await using store = await openStore(dir.path);
    const note = await store.create({ title: 'Bin', body: 'a\n' });
    await handEdit(path.join(dir.path, note.path), 'a\n', 'b\n');
    expect((await store.read({ id: note.id })).version).toBe(2);
    const deleted = await store.delete({ id: note.id, expectedVersion: 2 });
    expect(deleted.version).toBe(2);
    expect((await store.list({ trash: true })).notes[0]?.version).toBe(2);
    const restored = await store.restore({ id: note.id });
    expect(restored.version).toBe(2);
    expect((await errorOf(store.update({ id: note.id, expectedVersion: 1, body: 'c' })))?.code).toBe(
      'version_conflict',
    );
  });

  it('two servers on one folder: neither lets a stale replace through, whichever saw the edit', async () => {
    await using dir = await tempDir();
    await using cache = await tempDir();
    await using a = await openStore(dir.path, { cacheDir: cache.path });
    const note = await a.create({ title: 'Shared', body: 'base\n' });
    const file = path.join(dir.path, note.path);
    // B starts (a private index: the cache is held by A) and reads version 1, as does A.
    await using b = await openStore(dir.path, { cacheDir: cache.path });
    expect(b.persistentIndex).toBe(false);
    expect((await a.read({ id: note.id })).version).toBe(1);
    expect((await b.read({ id: note.id })).version).toBe(1);

    await handEdit(file, 'base\n', 'base\nby hand\n');
    // Both count the hand edit; a model holding version 1 on either server is refused.
    expect((await errorOf(a.update({ id: note.id, expectedVersion: 1, body: 'from a\n' })))?.code).toBe(
      'version_conflict',
    );
    expect((await errorOf(b.update({ id: note.id, expectedVersion: 1, body: 'from b\n' })))?.code).toBe(
      'version_conflict',
    );
    expect((await a.read({ id: note.id })).version).toBe(2);

    // B writes version 3 over the hand-edited text it has read; A holding 2 (the hand edit) is then refused.
    const fromB = await b.update({ id: note.id, expectedVersion: 2, append: 'from b' });
    expect(fromB.version).toBe(3);
    const error = await errorOf(a.update({ id: note.id, expectedVersion: 2, body: 'from a\n' }));
    expect(error?.code).toBe('version_conflict');
    expect(error?.details).toMatchObject({ currentVersion: 3 });
    const fromA = await a.update({ id: note.id, expectedVersion: 3, append: 'from a' });
    expect(fromA.version).toBe(4);
    expect((await b.read({ id: note.id })).body).toBe('base\nby hand\nfrom b\nfrom a');

    // A server that first saw the note after a hand edit counts the edit from there: it cannot know older text.
    await handEdit(file, 'from a', 'from a\nlater');
    await using c = await openStore(dir.path);
    expect((await c.read({ id: note.id })).version).toBe(4);
    expect((await a.read({ id: note.id })).version).toBe(5);
  });
});
