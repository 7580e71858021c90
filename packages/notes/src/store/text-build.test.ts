import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from './fixtures/temp-dir.js';
import { type Entry, FTS_DDL, SearchIndex } from './search-index.js';
import { TextBuild } from './text-build.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.resolve(here, '..', '..');

function pendingEntry(rowid: number, title: string, tags: string[]): Entry {
  return {
    rowid,
    path: `${title}.md`,
    trashed: false,
    stamp: `1:${rowid}:1`,
    note: {
      id: `id${rowid}`,
      title,
      tags,
      created: '2025-01-01T00:00:00.000Z',
      updated: '2025-01-01T00:00:00.000Z',
      version: 1,
      fileVersion: 1,
      hash: 'h',
      derivedId: false,
      excerpt: '',
    },
    problem: undefined,
    searchable: true,
    pending: true,
  };
}

function hits(index: SearchIndex, text: string): number[] {
  return index.search({ text, prefix: true, fuzzy: true, limit: 10, offset: 0 }).hits.map((hit) => hit.rowid);
}

describe('TextBuild', () => {
  it('builds the full-text table on a worker thread, and the index takes it in', async () => {
    await using root = await tempDir();
    const index = new SearchIndex(undefined, root.path);
    try {
      const build = TextBuild.start(index.textBuildFile, FTS_DDL) as TextBuild;
      expect(build).toBeDefined();
      const notes = [
        pendingEntry(1, 'Walrus facts', ['sea']),
        pendingEntry(2, 'Groceries', ['home']),
        pendingEntry(3, 'Gone', []),
      ];
      for (const entry of notes) index.put(entry, undefined, 'unused');
      build.add(1, 'Walrus facts', 'tusks and whiskers', 'sea');
      build.add(2, 'Groceries', 'milk, eggs and a walrus-shaped cake', 'home');
      build.add(3, 'Gone', 'zeppelin', '');
      // The note at rowid 3 goes away while the worker runs: its text must not be found afterwards.
      index.remove(notes[2] as Entry);
      expect(index.pendingCount()).toBe(2);
      expect(await build.finish()).toBe(true);
      index.adoptText(build.file);
      const vocabulary = await build.vocabulary();
      expect(vocabulary?.[0]).toContain('walrus');
      if (vocabulary) index.adoptVocabulary(...vocabulary);
      build.discard();
      expect(existsSync(build.file)).toBe(false);
      expect(index.pendingCount()).toBe(0);
      expect(hits(index, 'walrus')).toEqual([1, 2]);
      expect(hits(index, 'whiskrs')).toEqual([1]);
      expect(hits(index, 'zeppelin')).toEqual([]);
      expect(hits(index, 'home')).toEqual([2]);
    } finally {
      index.close();
    }
  });

  it('says so when the build fails, and leaves no file', async () => {
    await using root = await tempDir();
    const file = path.join(root.path, 'missing', 'folder', 'build.sqlite');
    const build = TextBuild.start(file, FTS_DDL) as TextBuild;
    // More batches than may be in flight: adding them waits for the worker, which says at once that it failed.
    for (let rowid = 1; rowid <= 20_000; rowid++) build.add(rowid, 'a', 'b', '');
    expect(build.usable).toBe(false);
    expect(await build.finish()).toBe(false);
    expect(build.usable).toBe(false);
    expect(existsSync(file)).toBe(false);
  });

  it('starts whatever flags the host process runs with', async () => {
    await using root = await tempDir();
    const script = `
      import { TextBuild } from './src/store/text-build.ts';
      import { FTS_DDL } from './src/store/search-index.ts';
      const build = TextBuild.start(process.argv.at(-1) + '/build.sqlite', FTS_DDL);
      build.add(1, 'title', 'body', '');
      process.stdout.write(JSON.stringify(await build.finish()));
      build.discard();
    `;
    const { stdout } = await run(
      process.execPath,
      ['--conditions=@mcp-packs/source', '--import', 'tsx', '--input-type=module', '-e', script, root.path],
      { cwd: packageDir, timeout: 60_000 },
    );
    expect(JSON.parse(stdout)).toBe(true);
  });
});
