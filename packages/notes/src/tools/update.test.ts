import { ERROR_META_KEY, errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { connectNotes, createNote } from './fixtures/connect-notes.js';

describe('notes_update', () => {
  it('appends, finds and replaces, and replaces title, tags and body', async () => {
    await using conn = await connectNotes();
    const note = await createNote(conn, { title: 'List', body: 'milk' });
    expect(structured(await conn.callTool('update', { id: note.id, append: 'eggs' }))).toMatchObject({
      version: 2,
      changed: ['body'],
    });
    const replaced = await conn.callTool('update', { id: note.id, findReplace: { find: 'milk', replace: 'oat milk' } });
    expect(structured(replaced)).toMatchObject({ version: 3, replacements: 1 });
    const full = await conn.callTool('update', {
      id: note.id,
      expectedVersion: 3,
      title: 'Shopping',
      tags: ['home'],
      body: 'done',
    });
    expect(structured(full)).toMatchObject({
      version: 4,
      title: 'Shopping',
      tags: ['home'],
      changed: ['title', 'tags', 'body'],
    });
    expect(resultText(full)).toContain('now at version 4');
    expect(structured(await conn.callTool('read', { id: note.id }))).toMatchObject({ body: 'done' });
  });

  it('returns version_conflict with the current version and what changed', async () => {
    await using conn = await connectNotes();
    const note = await createNote(conn, { title: 'Plan', body: 'v1' });
    await conn.callTool('read', { id: note.id });
    await conn.callTool('update', { id: note.id, expectedVersion: 1, tags: ['moved'] });
    const stale = await conn.callTool('update', { id: note.id, expectedVersion: 1, body: 'mine' });
    expect(errorCode(stale)).toBe('version_conflict');
    expect(stale._meta?.[ERROR_META_KEY]).toMatchObject({
      retryable: true,
      details: { currentVersion: 2, expectedVersion: 1, changed: ['tags'] },
    });
    expect(resultText(stale)).toContain('expectedVersion: 2');
    expect(structured(await conn.callTool('read', { id: note.id }))).toMatchObject({ body: 'v1', version: 2 });
  });

  it('requires expectedVersion for a replace by default, and honours the config', async () => {
    await using conn = await connectNotes();
    const note = await createNote(conn, { title: 'T', body: 'b' });
    expect(errorCode(await conn.callTool('update', { id: note.id, body: 'x' }))).toBe('version_required');
    await using strict = await connectNotes({ expectedVersion: 'required' });
    const other = await createNote(strict, { title: 'T', body: 'b' });
    expect(errorCode(await strict.callTool('update', { id: other.id, append: 'x' }))).toBe('version_required');
  });

  it('refuses two body changes at once and a find/replace with the wrong count', async () => {
    await using conn = await connectNotes();
    const note = await createNote(conn, { title: 'T', body: 'a a' });
    expect(errorCode(await conn.callTool('update', { id: note.id, append: 'x', body: 'y', expectedVersion: 1 }))).toBe(
      'invalid_input',
    );
    const wrong = await conn.callTool('update', { id: note.id, findReplace: { find: 'a', replace: 'b' } });
    expect(errorCode(wrong)).toBe('match_count_mismatch');
    expect(resultText(wrong)).toContain('expectedCount: 2');
  });
});
