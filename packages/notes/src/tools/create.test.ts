import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { errorCode, hintsOf, resultText, structured } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { connectNotes } from './fixtures/connect-notes.js';

describe('notes_create', () => {
  it('creates a Markdown file and returns its id and version', async () => {
    await using conn = await connectNotes();
    const result = await conn.callTool('notes_create', { title: 'First', body: 'hello', tags: ['a'] });
    const note = structured<{ id: string; version: number; path: string }>(result);
    expect(note).toMatchObject({ title: 'First', tags: ['a'], version: 1, path: 'First.md' });
    expect(resultText(result)).toContain(`Created note ${note.id}`);
    expect(await readFile(path.join(conn.dir, 'First.md'), 'utf8')).toContain('hello');
  });

  it('is listed with the right annotations, and every tool has some', async () => {
    await using conn = await connectNotes();
    const { tools } = await conn.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(
      ['create', 'delete', 'list', 'read', 'restore', 'search', 'tags', 'update'].map((key) => `notes_${key}`),
    );
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, hintsOf(tool.annotations)]));
    expect(byName.notes_create).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: false });
    expect(byName.notes_update).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(byName.notes_delete).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    for (const name of ['notes_read', 'notes_list', 'notes_search', 'notes_tags']) {
      expect(byName[name]).toMatchObject({ readOnlyHint: true, openWorldHint: false });
    }
  });

  it('refuses a body over the configured cap and a multi-line title, as tool errors', async () => {
    await using conn = await connectNotes({ maxBodyBytes: 100 });
    const big = await conn.callTool('create', { title: 'Big', body: 'x'.repeat(101) });
    expect(errorCode(big)).toBe('body_too_large');
    expect(resultText(big)).toContain('the limit is 100');
    expect(errorCode(await conn.callTool('create', { title: 'a\nb' }))).toBe('invalid_title');
    expect(errorCode(await conn.callTool('create', { body: 'no title' }))).toBe('invalid_input');
    expect((await conn.callTool('create', { body: 'no title' })).isError).toBe(true);
  });

  it('loses none of many creates in flight at once', async () => {
    await using conn = await connectNotes();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => conn.callTool('create', { title: `Same title`, body: `n${i}` })),
    );
    const ids = results.map((result) => structured<{ id: string }>(result).id);
    expect(new Set(ids).size).toBe(40);
    const listed = structured<{ total: number }>(await conn.callTool('list', { limit: 1 }));
    expect(listed.total).toBe(40);
  });
});
