import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { Catalog } from './catalog.js';
import { tempDir } from './fixtures/temp-dir.js';
import { freshNote } from './folder-reads.js';

const NOTE = '---\nid: plan01\ntitle: Plan\nversion: 1\n---\nalpha\n';

async function openCatalog(root: string): Promise<Catalog & Disposable> {
  const catalog = await Catalog.open({
    root,
    trashDir: '.trash',
    cacheFile: undefined,
    watch: false,
    rescanIntervalMs: 60_000,
    textBudgetMs: 1500,
    textWorker: false,
    syncScanMax: 5000,
    onProblem: () => {},
  });
  return Object.assign(catalog, { [Symbol.dispose]: () => catalog.close() });
}

// A scan stats a file, then reads it later: an editor's save that truncates and then writes can fall between, and
// the catalog keeps the empty read under a stamp that already matches the finished file, so no rescan reads it again.
it('reads a note again when its file was caught half saved, instead of saying not found', async () => {
  await using dir = await tempDir();
  const file = path.join(dir.path, 'plan.md');
  await writeFile(file, NOTE);
  using catalog = await openCatalog(dir.path);
  expect(catalog.live('plan01')?.path).toBe('plan.md');

  catalog.refreshOne('plan.md', '', await stat(file));
  expect(catalog.live('plan01')).toBeUndefined();
  expect(catalog.lost.at('plan01')).toBe('plan.md');

  const { entry, parsed } = await freshNote(catalog, 'plan01');
  expect(entry.path).toBe('plan.md');
  expect(parsed.body).toBe('alpha\n');
  expect(catalog.live('plan01')?.path).toBe('plan.md');
  expect(catalog.lost.at('plan01')).toBeUndefined();
});

it('still says not found when the half-saved file is gone', async () => {
  await using dir = await tempDir();
  const file = path.join(dir.path, 'plan.md');
  await writeFile(file, NOTE);
  using catalog = await openCatalog(dir.path);
  catalog.refreshOne('plan.md', '', await stat(file));
  await writeFile(file, 'no front matter any more\n');
  await expect(freshNote(catalog, 'plan01')).rejects.toMatchObject({ code: 'not_found' });
});
