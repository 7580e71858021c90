import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { connectNotes, createNote } from './fixtures/connect-notes.js';

interface Page {
  notes: { id: string; title: string }[];
  total: number;
  nextCursor?: string;
  skippedCount: number;
  skippedFiles: { path: string }[];
}

describe('notes_list', () => {
  it('pages with a cursor that stays stable while notes are created', async () => {
    await using conn = await connectNotes();
    const ids: string[] = [];
    for (let i = 0; i < 9; i++) ids.push((await createNote(conn, { title: `N${i}` })).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = structured<Page>(
        await conn.callTool('list', { sort: 'created', order: 'asc', limit: 4, ...(cursor ? { cursor } : {}) }),
      );
      seen.push(...page.notes.map((note) => note.id));
      cursor = page.nextCursor;
      await createNote(conn, { title: 'inserted meanwhile' });
    } while (cursor);
    expect(seen.slice(0, 9)).toEqual(ids);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('filters by tag, reports broken files, and refuses a foreign cursor', async () => {
    await using conn = await connectNotes();
    await createNote(conn, { title: 'A', tags: ['work/q3'] });
    await createNote(conn, { title: 'B', tags: ['home'] });
    await writeFile(path.join(conn.dir, 'Broken.md'), '---\nversion: [\n---\n');
    const result = await conn.callTool('list', { tag: 'work' });
    const page = structured<Page>(result);
    expect(page.notes.map((note) => note.title)).toEqual(['A']);
    expect(page.skippedCount).toBe(1);
    expect(page.skippedFiles[0]?.path).toBe('Broken.md');
    expect(resultText(result)).toContain('skipped as broken');
    const all = structured<Page>(await conn.callTool('list', { limit: 1 }));
    expect(errorCode(await conn.callTool('list', { sort: 'title', cursor: all.nextCursor }))).toBe('invalid_cursor');
    expect(errorCode(await conn.callTool('list', { cursor: 'garbage' }))).toBe('invalid_cursor');
  });
});
