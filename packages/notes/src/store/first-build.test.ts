import { execFile } from 'node:child_process';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from './fixtures/temp-dir.js';
import { NoteStore, type NoteStoreOptions } from './note-store.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.resolve(here, '..', '..');

async function openStore(dir: string, options: Partial<NoteStoreOptions> = {}) {
  const store = await NoteStore.open({ dir, watch: false, rescanIntervalMs: 0, ...options });
  return Object.assign(store, { [Symbol.asyncDispose]: () => store.close() });
}

const WORDS = 'amber basalt cobalt dune ember fjord granite harbor indigo juniper kelp lagoon meadow nectar'.split(' ');

/** A folder over the first-build threshold: notes as the store writes them, hand-written ones, and broken ones. */
async function writeFolder(dir: string, count: number): Promise<{ broken: string[] }> {
  await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const words = Array.from({ length: 12 }, (_, w) => WORDS[(i * 7 + w * w) % WORDS.length]).join(' ');
      const tags = i % 3 === 0 ? `\n  - ${WORDS[i % WORDS.length]}` : ' []';
      const text =
        i % 10 === 0
          ? `# Hand note ${i}\n\n${words} note${i}\n`
          : `---\nid: n${i}\ntitle: Note ${i} ${WORDS[i % WORDS.length]}\ntags:${tags}\ncreated: 2024-01-01T00:00:00.000Z\nupdated: 2024-01-01T00:00:00.000Z\nversion: 1\n---\n\n${words} note${i}\n`;
      return writeFile(path.join(dir, `n${i}.md`), text);
    }),
  );
  const broken = ['Broken yaml.md', 'Unclosed.md', 'Duplicate.md'];
  await writeFile(path.join(dir, broken[0] as string), '---\ntitle: [unclosed\n---\n\namber broken\n');
  await writeFile(path.join(dir, broken[1] as string), '---\ntitle: never closed\n\namber unclosed\n');
  await writeFile(path.join(dir, broken[2] as string), '---\nid: n1\ntitle: Copy\n---\n\namber duplicate\n');
  return { broken };
}

const QUERIES = ['amber', 'granite harbor', 'note1234', 'lagoo', 'juniperr', 'kelp meadow nectar', 'hand', 'broken'];

async function results(store: NoteStore) {
  return Promise.all(
    QUERIES.map(async (query) => {
      const { hits, total, matched } = await store.search({ query, limit: 20 });
      return { query, total, matched, hits: hits.map((hit) => [hit.id, hit.score, hit.snippet]) };
    }),
  );
}

describe('a first build of a large folder', () => {
  it('indexes the text on the worker, with the same results as on this thread', async () => {
    await using dir = await tempDir();
    await using workerCache = await tempDir('notes-cache-');
    await using inlineCache = await tempDir('notes-cache-');
    const { broken } = await writeFolder(dir.path, 1200);
    const before = await Promise.all(broken.map((name) => stat(path.join(dir.path, name))));
    const reported: string[] = [];
    // An ample text budget: only a build on the worker leaves text pending when the store opens.
    const budget = { firstBuildTextBudgetMs: 600_000 };
    await using onWorker = await openStore(dir.path, {
      cacheDir: workerCache.path,
      onProblem: (problem) => reported.push(problem.path),
      ...budget,
    });
    expect(onWorker.pendingNotes).toBe(1200);
    await onWorker.indexed();
    expect(onWorker.pendingNotes).toBe(0);
    await using inline = await openStore(dir.path, { cacheDir: inlineCache.path, indexWorker: false, ...budget });
    expect(inline.pendingNotes).toBe(0);

    expect(await results(onWorker)).toEqual(await results(inline));
    expect((await onWorker.search({ query: 'amber' })).hits.length).toBeGreaterThan(0);
    expect(await onWorker.tags()).toEqual(await inline.tags());
    expect((await onWorker.list({ limit: 5 })).total).toBe(1200);

    // Broken files are reported and skipped, and left as they were.
    expect(reported.sort()).toEqual([...broken].sort());
    expect((await onWorker.problems()).map((problem) => problem.path).sort()).toEqual([...broken].sort());
    expect((await onWorker.search({ query: 'unclosed' })).hits).toEqual([]);
    const after = await Promise.all(broken.map((name) => stat(path.join(dir.path, name))));
    expect(after.map((s) => [s.mtimeMs, s.size])).toEqual(before.map((s) => [s.mtimeMs, s.size]));
    // Nothing of the build is left beside the cache.
    expect((await readdir(workerCache.path)).filter((name) => /\.(text-build|building)$/.test(name))).toEqual([]);
  });

  it('serves a note changed while the worker indexes with its new text only', async () => {
    await using dir = await tempDir();
    await using cache = await tempDir('notes-cache-');
    await writeFolder(dir.path, 1100);
    await using store = await openStore(dir.path, { cacheDir: cache.path });
    const note = await store.create({ title: 'Fresh', body: 'zeppelin', tags: ['new'] });
    await writeFile(path.join(dir.path, 'n5.md'), '---\nid: n5\ntitle: Rewritten\n---\n\nwalrus\n');
    await store.refresh();
    await store.indexed();
    expect((await store.search({ query: 'zeppelin' })).hits.map((hit) => hit.id)).toEqual([note.id]);
    expect((await store.search({ query: 'walrus' })).hits.map((hit) => hit.id)).toEqual(['n5']);
    expect((await store.search({ query: 'note5', prefix: false, fuzzy: false })).hits).toEqual([]);
    expect((await store.search({ query: 'note6', prefix: false, fuzzy: false })).hits.map((hit) => hit.id)).toEqual([
      'n6',
    ]);
  });

  it('starts the cache afresh after a process that ended mid-build, and never touches the notes', async () => {
    await using dir = await tempDir();
    await using cache = await tempDir('notes-cache-');
    await writeFolder(dir.path, 1100);
    const snapshot = async () => {
      const names = (await readdir(dir.path)).filter((name) => name.endsWith('.md')).sort();
      return Promise.all(names.map(async (name) => [name, await readFile(path.join(dir.path, name), 'utf8')]));
    };
    const notes = await snapshot();
    // A child process opens the folder and exits at once, without closing: its build is cut off.
    const { stdout } = await run(
      process.execPath,
      [
        '--conditions=@mcp-packs/source',
        '--import',
        'tsx',
        path.join(here, 'fixtures', 'open-and-exit.ts'),
        dir.path,
        cache.path,
      ],
      { cwd: packageDir, timeout: 60_000 },
    );
    expect(JSON.parse(stdout)).toMatchObject({ persistentIndex: true, pendingNotes: 1100 });
    expect((await readdir(cache.path)).some((name) => name.endsWith('.building'))).toBe(true);

    await using store = await openStore(dir.path, { cacheDir: cache.path });
    expect(store.persistentIndex).toBe(true);
    await store.indexed();
    expect((await store.search({ query: 'note1099', prefix: false, fuzzy: false })).hits.map((h) => h.id)).toEqual([
      'n1099',
    ]);
    expect((await store.list({ limit: 1 })).total).toBe(1100);
    expect((await readdir(cache.path)).filter((name) => /\.(text-build|building)$/.test(name))).toEqual([]);
    expect(await snapshot()).toEqual(notes);
  });
});

describe('search ranking', () => {
  it('ranks by BM25 with title and tag hits weighted, not by age', async () => {
    await using dir = await tempDir();
    await using store = await openStore(dir.path);
    // Oldest first: a ranking that fell back to age would put these first.
    const body = await store.create({ title: 'Lunch', body: 'we talked about the budget briefly' });
    const tagged = await store.create({ title: 'Numbers', body: 'q3 figures', tags: ['budget'] });
    const titled = await store.create({ title: 'Budget review', body: 'numbers for q3' });
    const { hits } = await store.search({ query: 'budget' });
    expect(hits.map((hit) => hit.id)).toEqual([titled.id, tagged.id, body.id]);
    const scores = hits.map((hit) => hit.score);
    expect(scores.every((score) => score > 0)).toBe(true);
    expect(scores[0]).toBeGreaterThan(scores[1] as number);
    expect(scores[1]).toBeGreaterThan(scores[2] as number);
  });
});
