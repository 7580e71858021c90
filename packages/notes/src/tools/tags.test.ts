import { structured } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { connectNotes, createNote } from './fixtures/connect-notes.js';

describe('notes_tags', () => {
  it('counts tags across notes case-insensitively, most used first', async () => {
    await using conn = await connectNotes();
    await createNote(conn, { title: 'A', tags: ['work', 'idea'] });
    await createNote(conn, { title: 'B', tags: ['Work'] });
    await createNote(conn, { title: 'C' });
    expect(structured(await conn.callTool('tags'))).toEqual({
      tags: [
        { tag: 'Work', count: 2 },
        { tag: 'idea', count: 1 },
      ],
      total: 2,
    });
  });
});
