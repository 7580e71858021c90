import { access } from 'node:fs/promises';
import path from 'node:path';
import { errorCode, structured } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { connectNotes, createNote } from './fixtures/connect-notes.js';

describe('notes_delete and notes_restore', () => {
  it('moves a note to the trash and back', async () => {
    await using conn = await connectNotes();
    const note = await createNote(conn, { title: 'Gone soon', body: 'bye' });
    expect(errorCode(await conn.callTool('delete', { id: note.id }))).toBe('version_required');
    const deleted = structured<{ trashPath: string }>(
      await conn.callTool('delete', { id: note.id, expectedVersion: 1 }),
    );
    expect(deleted.trashPath).toBe('.trash/Gone soon.md');
    await access(path.join(conn.dir, '.trash', 'Gone soon.md'));
    expect(errorCode(await conn.callTool('read', { id: note.id }))).toBe('not_found');
    const trash = structured<{ notes: { id: string }[] }>(await conn.callTool('list', { trash: true }));
    expect(trash.notes.map((item) => item.id)).toEqual([note.id]);
    const restored = structured(await conn.callTool('restore', { id: note.id }));
    expect(restored).toMatchObject({ id: note.id, path: 'Gone soon.md', version: 1 });
    expect(structured(await conn.callTool('read', { id: note.id }))).toMatchObject({ body: 'bye' });
    expect(errorCode(await conn.callTool('restore', { id: note.id }))).toBe('not_found');
  });

  it('honours a custom trash folder and refuses a stale version', async () => {
    await using conn = await connectNotes({ trashDir: 'Deleted' });
    const note = await createNote(conn, { title: 'X' });
    expect(errorCode(await conn.callTool('delete', { id: note.id, expectedVersion: 5 }))).toBe('version_conflict');
    await conn.callTool('delete', { id: note.id, expectedVersion: 1 });
    await access(path.join(conn.dir, 'Deleted', 'X.md'));
  });
});
