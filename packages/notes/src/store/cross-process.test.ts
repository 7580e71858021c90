import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from './fixtures/temp-dir.js';
import { splitNote } from './front-matter.js';
import { NoteStore } from './note-store.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.resolve(here, '..', '..');

interface Report {
  name: string;
  created: string[];
  wins: number[];
  conflicts: number;
}

function hammer(dir: string, name: string, creates: number, updates: number, sharedId: string): Promise<Report> {
  return run(
    process.execPath,
    [
      '--conditions=@mcp-packs/source',
      '--import',
      'tsx',
      path.join(here, 'fixtures', 'hammer.ts'),
      dir,
      name,
      String(creates),
      String(updates),
      sharedId,
    ],
    { cwd: packageDir, timeout: 90_000 },
  ).then(({ stdout }) => JSON.parse(stdout) as Report);
}

describe('two processes on one folder', () => {
  it('lose no create, let exactly one update per version win, and leave no file corrupt', async () => {
    await using dir = await tempDir();
    const seed = await NoteStore.open({ dir: dir.path, watch: false });
    const shared = await seed.create({ title: 'Shared', body: 'start' });
    await seed.close();

    const [a, b] = await Promise.all([
      hammer(dir.path, 'alpha', 150, 40, shared.id),
      hammer(dir.path, 'beta', 150, 40, shared.id),
    ]);

    // Every create landed, as a readable file with the id it reported.
    const files = (await readdir(dir.path)).filter((name) => name.endsWith('.md'));
    expect(files).toHaveLength(301);
    const ids = new Set<string>();
    for (const file of files) {
      const { data } = splitNote(await readFile(path.join(dir.path, file), 'utf8'));
      ids.add(String(data.id));
    }
    for (const id of [...a.created, ...b.created]) expect(ids.has(id)).toBe(true);
    expect(ids.size).toBe(301);

    // Every version of the shared note was won by exactly one writer, in order, with nothing lost.
    const wins = [...a.wins, ...b.wins].sort((x, y) => x - y);
    expect(wins).toEqual(Array.from({ length: 80 }, (_, i) => i + 2));
    const store = await NoteStore.open({ dir: dir.path, watch: false });
    const final = await store.read({ id: shared.id });
    await store.close();
    expect(final.version).toBe(81);
    const lines = final.body.split('\n');
    expect(lines).toHaveLength(81);
    expect(lines.filter((line) => line.startsWith('alpha saw'))).toHaveLength(40);
    expect(lines.filter((line) => line.startsWith('beta saw'))).toHaveLength(40);
    // No temp file or lock is left behind.
    expect((await readdir(dir.path)).filter((name) => name.startsWith('.mcp-notes'))).toEqual([]);
  }, 120_000);
});
