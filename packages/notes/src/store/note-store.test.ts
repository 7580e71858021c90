import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { tempDir } from './fixtures/temp-dir.js';
import { NoteStore, type NoteStoreOptions } from './note-store.js';

async function openStore(dir: string, options: Partial<NoteStoreOptions> = {}) {
  const store = await NoteStore.open({ dir, watch: false, rescanIntervalMs: 0, ...options });
  return Object.assign(store, { [Symbol.asyncDispose]: () => store.close() });
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('NoteStore', () => {
  it('writes Markdown files with front matter that round-trip, keeping keys it does not own', async () => {
    await using dir = await tempDir();
    await using store = await openStore(dir.path);
    const note = await store.create({ title: 'Groceries: weekly', body: '- milk\n', tags: ['home', '#list/food'] });
    expect(note).toMatchObject({ title: 'Groceries: weekly', tags: ['home', 'list/food'], version: 1 });
    const file = path.join(dir.path, note.path);
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(
      new RegExp(`^---\\nid: ${note.id}\\ntitle: 'Groceries: weekly'\\ntags:\\n  - home\\n  - list/food\\n`),
    );
    expect(text).toContain('version: 1\n---\n\n- milk\n');
    // A person adds their own keys (Obsidian aliases); an update keeps them.
    await writeFile(file, text.replace('version: 1\n', 'version: 1\naliases:\n  - shopping\n'));
    await store.update({ id: note.id, expectedVersion: 1, append: '- eggs' });
    const after = await readFile(file, 'utf8');
    expect(after).toContain('aliases:\n  - shopping\n');
    expect(after).toContain('version: 2\n');
    expect((await store.read({ id: note.id })).body).toBe('- milk\n- eggs');
  });

  it('loses none of many writes in flight at once in one process', async () => {
    await using dir = await tempDir();
    await using store = await openStore(dir.path);
    const log = await store.create({ title: 'Log', body: '' });
    const creates = Array.from({ length: 60 }, (_, i) => store.create({ title: `Note ${i}`, body: `body ${i}` }));
    const appends = Array.from({ length: 40 }, (_, i) => store.update({ id: log.id, append: `line ${i}` }));
    const created = await Promise.all(creates);
    await Promise.all(appends);
    expect(new Set(created.map((note) => note.id)).size).toBe(60);
    const files = (await readdir(dir.path)).filter((name) => name.endsWith('.md'));
    expect(files).toHaveLength(61);
    const body = (await store.read({ id: log.id })).body.split('\n');
    expect(body.sort()).toEqual(Array.from({ length: 40 }, (_, i) => `line ${i}`).sort());
    expect((await store.read({ id: log.id })).version).toBe(41);
  });

  it('lets exactly one of concurrent updates with the same expectedVersion win, and says what changed', async () => {
    await using dir = await tempDir();
    await using store = await openStore(dir.path);
    const note = await store.create({ title: 'Plan', body: 'start' });
    await store.read({ id: note.id });
    const attempts = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => store.update({ id: note.id, expectedVersion: 1, body: `plan ${i}` })),
    );
    const won = attempts.filter((attempt) => attempt.status === 'fulfilled');
    const lost = attempts.filter((attempt) => attempt.status === 'rejected') as PromiseRejectedResult[];
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(9);
    for (const { reason } of lost) {
      expect(reason).toMatchObject({
        code: 'version_conflict',
        retryable: true,
        details: { expectedVersion: 1, currentVersion: 2, changed: ['body'] },
      });
      expect(reason.message).toContain('the body changed');
    }
  });

  it('enforces the expectedVersion policy', async () => {
    await using dir = await tempDir();
    await using store = await openStore(dir.path);
    const note = await store.create({ title: 'A', body: 'x' });
    expect(await codeOf(store.update({ id: note.id, body: 'y' }))).toBe('version_required');
    expect(await codeOf(store.delete({ id: note.id }))).toBe('version_required');
    await expect(store.update({ id: note.id, append: 'z' })).resolves.toMatchObject({ version: 2 });
    await using strict = await openStore(dir.path, { versionPolicy: 'required' });
    expect(await codeOf(strict.update({ id: note.id, append: 'z' }))).toBe('version_required');
    await using lax = await openStore(dir.path, { versionPolicy: 'optional' });
    await expect(lax.update({ id: note.id, body: 'replaced' })).resolves.toMatchObject({ version: 3 });
  });

  it('find/replace checks the expected count', async () => {
    await using dir = await tempDir();
    await using store = await openStore(dir.path);
    const note = await store.create({ title: 'Week', body: 'Friday: x. Friday: y.' });
    const mismatch = store.update({ id: note.id, findReplace: { find: 'Friday', replace: 'Monday' } });
    await expect(mismatch).rejects.toMatchObject({
      code: 'match_count_mismatch',
      details: { found: 2, expectedCount: 1 },
    });
    const done = await store.update({
      id: note.id,
      findReplace: { find: 'Friday', replace: 'Monday', expectedCount: 2 },
    });
    expect(done).toMatchObject({ replacements: 2, version: 2, changed: ['body'] });
    expect((await store.read({ id: note.id })).body).toBe('Monday: x. Monday: y.');
  });

  it('sees a file edited by hand between calls (rescan mode and watcher mode)', async () => {
    await using dir = await tempDir();
    await using store = await openStore(dir.path);
    const note = await store.create({ title: 'Trip', body: 'pack the tent' });
    const file = path.join(dir.path, note.path);
    await writeFile(file, (await readFile(file, 'utf8')).replace('pack the tent', 'pack the kayak'));
    expect((await store.search({ query: 'kayak' })).hits.map((hit) => hit.id)).toEqual([note.id]);
    expect((await store.search({ query: 'tent', fuzzy: false })).hits).toEqual([]);

    await using watched = await openStore(dir.path, { watch: true, rescanIntervalMs: 60_000 });
    await writeFile(path.join(dir.path, 'Handwritten.md'), '# Ideas\n\nA zeppelin garden.\n');
    await vi.waitFor(async () => {
      const { hits } = await watched.search({ query: 'zeppelin' });
      expect(hits.map((hit) => hit.title)).toEqual(['Handwritten']);
    }, 5000);
  });

  it('ranks title hits first, matches prefixes, typos and accents, and filters by tag', async () => {
    await using dir = await tempDir();
    await using store = await openStore(dir.path);
    const a = await store.create({ title: 'Budget review', body: 'numbers for q3', tags: ['work/finance'] });
    const b = await store.create({ title: 'Lunch', body: 'talked about the budget briefly', tags: ['personal'] });
    await store.create({ title: 'Café visit', body: 'great espresso', tags: ['personal'] });
    const ranked = (await store.search({ query: 'budget' })).hits.map((hit) => hit.id);
    expect(ranked).toEqual([a.id, b.id]);
    expect((await store.search({ query: 'budg' })).hits).toHaveLength(2);
    expect((await store.search({ query: 'budgat' })).hits.map((hit) => hit.id)).toContain(a.id);
    expect((await store.search({ query: 'cafe' })).hits.map((hit) => hit.title)).toEqual(['Café visit']);
    expect((await store.search({ query: 'budget', tag: 'work' })).hits.map((hit) => hit.id)).toEqual([a.id]);
    const snippet = (await store.search({ query: 'briefly' })).hits[0]?.snippet;
    expect(snippet).toContain('**briefly**');
    const any = await store.search({ query: 'espresso budget' });
    expect(any.matched).toBe('any');
    expect(any.hits).toHaveLength(3);
  });

  it('ranks a very common word among the most recently changed matches, and says so', async () => {
    await using dir = await tempDir();
    await Promise.all(
      Array.from({ length: 2100 }, (_, i) => writeFile(path.join(dir.path, `n${i}.md`), `common words in note ${i}\n`)),
    );
    await using store = await openStore(dir.path, { firstBuildTextBudgetMs: 0 });
    // A first build of a large folder: ready once the files are read, text indexed in the background.
    const early = await store.list({ limit: 1 });
    expect(early.total).toBe(2100);
    await store.indexed();
    const result = await store.search({ query: 'common', limit: 5 });
    expect(result.pending).toBe(0);
    expect(result).toMatchObject({ windowed: true, matched: 'all' });
    expect(result.total).toBeGreaterThanOrEqual(1000);
    expect(result.hits).toHaveLength(5);
    const narrow = await store.search({ query: 'common 1234' });
    expect(narrow).toMatchObject({ total: 1, windowed: false });
    expect(narrow.hits[0]?.title).toBe('n1234');
  });

  it('pages search results with a cursor tied to the query', async () => {
    await using dir = await tempDir();
    await using store = await openStore(dir.path);
    for (let i = 0; i < 7; i++) await store.create({ title: `Apple ${i}`, body: 'apple pie' });
    const first = await store.search({ query: 'apple', limit: 3 });
    const seen = first.hits.map((hit) => hit.id);
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await store.search({ query: 'apple', limit: 3, cursor });
      seen.push(...page.hits.map((hit) => hit.id));
      cursor = page.nextCursor;
    }
    expect(new Set(seen).size).toBe(7);
    expect(await codeOf(store.search({ query: 'pie', cursor: first.nextCursor as string }))).toBe('invalid_cursor');
  });

  it('keeps list paging stable while notes are created concurrently', async () => {
    await using dir = await tempDir();
    await using store = await openStore(dir.path);
    const original = new Set<string>();
    for (let i = 0; i < 25; i++) original.add((await store.create({ title: `Old ${i}`, body: '' })).id);
    for (const sort of ['updated', 'created', 'title'] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let round = 0;
      do {
        const page = await store.list({ sort, limit: 4, ...(cursor ? { cursor } : {}) });
        seen.push(...page.notes.map((note) => note.id));
        cursor = page.nextCursor;
        // Other writers insert between pages.
        await Promise.all([0, 1].map((k) => store.create({ title: `New ${sort} ${round} ${k}`, body: '' })));
        round++;
      } while (cursor);
      const old = seen.filter((id) => original.has(id));
      expect(old).toHaveLength(25);
      expect(new Set(seen).size).toBe(seen.length);
    }
  });

  it('lists by tag (nested tags included), sorts by title and counts tags', async () => {
    await using dir = await tempDir();
    await using store = await openStore(dir.path);
    await store.create({ title: 'beta', tags: ['project/alpha'] });
    await store.create({ title: 'Alpha', tags: ['Project'] });
    await store.create({ title: 'gamma', tags: ['home'] });
    const page = await store.list({ tag: 'project', sort: 'title' });
    expect(page.notes.map((note) => note.title)).toEqual(['Alpha', 'beta']);
    expect(await store.tags()).toEqual([
      { tag: 'home', count: 1 },
      { tag: 'Project', count: 1 },
      { tag: 'project/alpha', count: 1 },
    ]);
  });

  it('moves deleted notes to the trash and restores them, never overwriting', async () => {
    await using dir = await tempDir();
    await using store = await openStore(dir.path);
    const note = await store.create({ title: 'Old idea', body: 'keep me' });
    expect(await codeOf(store.delete({ id: note.id, expectedVersion: 7 }))).toBe('version_conflict');
    const deleted = await store.delete({ id: note.id, expectedVersion: 1 });
    expect(deleted.trashPath).toBe('.trash/Old idea.md');
    expect(await readFile(path.join(dir.path, '.trash', 'Old idea.md'), 'utf8')).toContain('keep me');
    expect(await codeOf(store.read({ id: note.id }))).toBe('not_found');
    expect((await store.list({ trash: true })).notes.map((item) => item.id)).toEqual([note.id]);
    expect((await store.search({ query: 'keep' })).hits).toEqual([]);
    // The old name is taken meanwhile: restore goes beside it.
    const other = await store.create({ title: 'Old idea', body: 'a different note' });
    expect(other.path).toBe('Old idea.md');
    const restored = await store.restore({ id: note.id });
    expect(restored.path).toBe('Old idea 2.md');
    expect((await store.read({ id: note.id })).body).toBe('keep me');
    expect((await store.read({ id: other.id })).body).toBe('a different note');
    expect(await codeOf(store.restore({ id: note.id }))).toBe('not_found');
  });

  it('refuses bad and path-like ids, huge bodies and broken titles without touching files', async () => {
    await using dir = await tempDir();
    await using store = await openStore(dir.path, { maxBodyBytes: 1000 });
    for (const id of ['../x', '..', 'a/b', '.hidden', '', 'x'.repeat(65), 'a b', 'C:\\x', '%2e%2e']) {
      expect(await codeOf(store.read({ id }))).toBe('invalid_id');
      expect(await codeOf(store.update({ id, append: 'x' }))).toBe('invalid_id');
      expect(await codeOf(store.delete({ id, expectedVersion: 1 }))).toBe('invalid_id');
    }
    expect(await codeOf(store.read({ id: 'nosuchnote' }))).toBe('not_found');
    expect(await codeOf(store.create({ title: 'Big', body: 'é'.repeat(501) }))).toBe('body_too_large');
    const small = await store.create({ title: 'Small', body: 'x'.repeat(990) });
    expect(await codeOf(store.update({ id: small.id, append: 'y'.repeat(20) }))).toBe('body_too_large');
    expect(await codeOf(store.create({ title: 'two\nlines' }))).toBe('invalid_title');
    expect(await codeOf(store.create({ title: '   ' }))).toBe('invalid_title');
    expect(await codeOf(store.create({ title: 'ok', tags: ['has space'] }))).toBe('invalid_tag');
    expect((await readdir(dir.path)).filter((name) => name.endsWith('.md'))).toEqual(['Small.md']);
  });

  it('takes odd Unicode titles, names files safely and finds them by exact title', async () => {
    await using dir = await tempDir();
    await using store = await openStore(dir.path);
    const titles = [
      '日本語のメモ',
      'Ünïcödé / slashes: and "quotes"?',
      '👩‍💻 emoji *stars*',
      'CON',
      '...dots...',
      'e\u0301te\u0301',
    ];
    for (const title of titles) {
      const note = await store.create({ title, body: title });
      expect(note.path).not.toMatch(/[/\\:*?"<>|]|^\./);
      const read = await store.read({ title });
      expect(read.id).toBe(note.id);
      expect(read.title).toBe(title.normalize('NFC'));
    }
    expect((await store.search({ query: '日本語のメモ' })).hits).toHaveLength(1);
    expect((await store.search({ query: 'unicode' })).hits).toHaveLength(1);
    await store.create({ title: '日本語のメモ' });
    expect(await codeOf(store.read({ title: '日本語のメモ' }))).toBe('ambiguous_title');
  });

  it('reports broken files and skips them, leaving them byte for byte as they were', async () => {
    await using dir = await tempDir();
    const broken = '---\ntitle: [unclosed\n---\nbody\n';
    const badId = '---\nid: ../../etc/passwd\ntitle: sneaky\n---\nbody\n';
    await writeFile(path.join(dir.path, 'Broken.md'), broken);
    await writeFile(path.join(dir.path, 'Bad id.md'), badId);
    await writeFile(path.join(dir.path, 'Plain.md'), 'Just text, no front matter.\n');
    await writeFile(path.join(dir.path, 'Dup.md'), '---\nid: plain\n---\nsame id as the derived one\n');
    const problems: string[] = [];
    await using store = await openStore(dir.path, { onProblem: (problem) => problems.push(problem.path) });
    const listing = await store.list();
    expect(listing.notes.map((note) => note.title).sort()).toEqual(['Dup', 'Plain']);
    expect(listing.problems.map((problem) => [problem.path, problem.code])).toEqual([
      ['Bad id.md', 'invalid_id'],
      ['Broken.md', 'invalid_front_matter'],
    ]);
    expect(problems.sort()).toEqual(['Bad id.md', 'Broken.md']);
    // A file without an id gets one from its path, and keeps it once written through the store.
    const plain = listing.notes.find((note) => note.title === 'Plain');
    expect(plain?.id).toMatch(/^plain/);
    await store.update({ id: plain?.id as string, append: 'more' });
    expect(await readFile(path.join(dir.path, 'Plain.md'), 'utf8')).toContain(`id: ${plain?.id}`);
    expect(await readFile(path.join(dir.path, 'Broken.md'), 'utf8')).toBe(broken);
    expect(await readFile(path.join(dir.path, 'Bad id.md'), 'utf8')).toBe(badId);
  });

  it('resumes a first build that was interrupted, and never serves a stale text', async () => {
    await using dir = await tempDir();
    await using cache = await tempDir('notes-cache-');
    await Promise.all(
      Array.from({ length: 1500 }, (_, i) => writeFile(path.join(dir.path, `n${i}.md`), `alpha ${i} omega\n`)),
    );
    const first = await openStore(dir.path, { cacheDir: cache.path, firstBuildTextBudgetMs: 0 });
    expect(first.pendingNotes).toBe(1500);
    // Closed at once: the text is still pending.
    await first.close();
    await using second = await openStore(dir.path, { cacheDir: cache.path });
    expect(second.pendingNotes).toBe(1500);
    // Edited meanwhile: the new text wins over the pending one.
    await writeFile(path.join(dir.path, 'n7.md'), 'alpha 7 zebra\n');
    await second.refresh();
    await second.indexed();
    expect((await second.search({ query: 'omega', limit: 1 })).total).toBe(1000);
    expect((await second.search({ query: 'zebra' })).hits.map((hit) => hit.title)).toEqual(['n7']);
    expect((await second.search({ query: '7 omega' })).matched).toBe('any');
    expect((await second.search({ query: 'alpha 1499' })).hits.map((hit) => hit.title)).toEqual(['n1499']);
  });

  it('keeps its index in a cache file and re-reads only changed files on reopen', async () => {
    await using dir = await tempDir();
    await using cache = await tempDir('notes-cache-');
    const first = await openStore(dir.path, { cacheDir: cache.path });
    expect(first.persistentIndex).toBe(true);
    const a = await first.create({ title: 'Persisted', body: 'walrus' });
    // A second store on the same folder cannot take the cache file, so it indexes in memory.
    await using second = await openStore(dir.path, { cacheDir: cache.path });
    expect(second.persistentIndex).toBe(false);
    expect((await second.search({ query: 'walrus' })).hits.map((hit) => hit.id)).toEqual([a.id]);
    await first.close();
    const file = path.join(dir.path, a.path);
    await writeFile(file, (await readFile(file, 'utf8')).replace('walrus', 'narwhal'));
    await using reopened = await openStore(dir.path, { cacheDir: cache.path });
    expect(reopened.persistentIndex).toBe(true);
    expect((await reopened.search({ query: 'narwhal' })).hits.map((hit) => hit.id)).toEqual([a.id]);
    expect((await reopened.search({ query: 'walrus', fuzzy: false })).hits).toEqual([]);
    expect((await stat(cache.path)).isDirectory()).toBe(true);
  });
});
