import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resultText, structured } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { connectNotes, createNote } from './fixtures/connect-notes.js';

interface Results {
  results: { id: string; title: string; snippet: string; score: number }[];
  matched: 'all' | 'any';
  nextCursor?: string;
}

describe('notes_search', () => {
  it('ranks, marks hits in snippets, matches prefixes and typos, and filters by tag', async () => {
    await using conn = await connectNotes();
    const a = await createNote(conn, {
      title: 'Quarterly budget',
      body: 'Revenue grew. The budget for q3 is fixed.',
      tags: ['work'],
    });
    const b = await createNote(conn, { title: 'Dinner', body: 'Mentioned the budget over dinner.', tags: ['home'] });
    const result = await conn.callTool('search', { query: 'budget' });
    const found = structured<Results>(result);
    expect(found.results.map((hit) => hit.id)).toEqual([a.id, b.id]);
    expect(found.results[0]?.score).toBeGreaterThanOrEqual(found.results[1]?.score ?? Number.POSITIVE_INFINITY);
    expect(found.results[0]?.snippet).toContain('**budget**');
    expect(resultText(result)).toContain('Quarterly budget');
    expect(structured<Results>(await conn.callTool('search', { query: 'quarter' })).results[0]?.id).toBe(a.id);
    expect(structured<Results>(await conn.callTool('search', { query: 'revenu' })).results[0]?.id).toBe(a.id);
    expect(structured<Results>(await conn.callTool('search', { query: 'dinnr' })).results[0]?.id).toBe(b.id);
    expect(
      structured<Results>(await conn.callTool('search', { query: 'budget', tag: 'home' })).results.map((hit) => hit.id),
    ).toEqual([b.id]);
    expect(resultText(await conn.callTool('search', { query: 'xylophone' }))).toContain('No notes match');
  });

  it('sees a note edited by hand between calls', async () => {
    await using conn = await connectNotes();
    const note = await createNote(conn, { title: 'Garden', body: 'plant tomatoes' });
    const file = path.join(conn.dir, note.path);
    await writeFile(file, (await readFile(file, 'utf8')).replace('tomatoes', 'artichokes'));
    expect(
      structured<Results>(await conn.callTool('search', { query: 'artichokes' })).results.map((hit) => hit.id),
    ).toEqual([note.id]);
  });

  it('takes query syntax characters as plain words', async () => {
    await using conn = await connectNotes();
    await createNote(conn, { title: 'C++ notes', body: 'templates AND "concepts" NEAR(x) col:val*' });
    for (const query of ['"unbalanced', 'AND OR NOT', 'NEAR(', 'col:val*', '^*', 'C++']) {
      const result = await conn.callTool('search', { query });
      expect(result.isError).toBeFalsy();
    }
  });
});
