import { errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { connectNotes, createNote } from './fixtures/connect-notes.js';

describe('notes_read', () => {
  it('reads by id or by exact title, and pages long bodies', async () => {
    await using conn = await connectNotes({ readMaxChars: 100 });
    const note = await createNote(conn, { title: 'Long one', body: 'a'.repeat(150), tags: ['x'] });
    const first = await conn.callTool('read', { id: note.id });
    expect(structured(first)).toMatchObject({ id: note.id, bodyLength: 150, truncated: true, nextOffset: 100 });
    expect(resultText(first)).toContain('read again with offset 100');
    const rest = structured<{ body: string; truncated: boolean }>(
      await conn.callTool('read', { id: note.id, offset: 100 }),
    );
    expect(rest).toMatchObject({ truncated: false });
    expect(rest.body).toHaveLength(50);
    expect(structured(await conn.callTool('read', { title: 'Long one' }))).toMatchObject({ id: note.id });
  });

  it('says what is wrong with a missing, bad or path-like id', async () => {
    await using conn = await connectNotes();
    const missing = await conn.callTool('read', { id: 'nope' });
    expect(errorCode(missing)).toBe('not_found');
    expect(resultText(missing)).toContain('Hint:');
    expect(errorCode(await conn.callTool('read', { id: '../x' }))).toBe('invalid_id');
    expect(errorCode(await conn.callTool('read', { id: '../../etc/passwd' }))).toBe('invalid_id');
    expect(errorCode(await conn.callTool('read', {}))).toBe('invalid_input');
  });

  it('refuses an ambiguous title and lists the ids', async () => {
    await using conn = await connectNotes();
    const a = await createNote(conn, { title: 'Twin' });
    const b = await createNote(conn, { title: 'Twin' });
    const result = await conn.callTool('read', { title: 'Twin' });
    expect(errorCode(result)).toBe('ambiguous_title');
    expect(resultText(result)).toContain(a.id);
    expect(resultText(result)).toContain(b.id);
  });
});
