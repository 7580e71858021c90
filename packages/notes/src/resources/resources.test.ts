import { describe, expect, it } from 'vitest';

/** The text of a resource's first content item, or of a prompt's first message. */
function textOf(item: unknown): string {
  return (item as { text?: string } | undefined)?.text ?? '';
}

import { connectNotes, createNote } from '../tools/fixtures/connect-notes.js';

describe('notes resources and prompt', () => {
  it('reads a note by URI under the prefix, lists recent notes and completes ids', async () => {
    await using conn = await connectNotes({}, 'work');
    const note = await createNote(conn, { title: 'Standup', body: 'Ship it.', tags: ['team'] });
    const read = await conn.client.readResource({ uri: `note://work/${note.id}` });
    expect(read.contents[0]).toMatchObject({ mimeType: 'text/markdown' });
    expect(textOf(read.contents[0])).toContain('Ship it.');
    expect(textOf(read.contents[0])).toContain('version: 1');
    const { resources } = await conn.client.listResources();
    expect(resources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ uri: `note://work/${note.id}`, title: 'Standup' }),
        expect.objectContaining({ uri: 'notes://work/recent' }),
      ]),
    );
    const recent = await conn.client.readResource({ uri: 'notes://work/recent' });
    expect(textOf(recent.contents[0])).toContain(`[Standup](note://work/${note.id})`);
    const completion = await conn.client.complete({
      ref: { type: 'ref/resource', uri: 'note://work/{id}' },
      argument: { name: 'id', value: note.id.slice(0, 3) },
    });
    expect(completion.completion.values).toContain(note.id);
    await expect(conn.client.readResource({ uri: 'note://work/nothere' })).rejects.toMatchObject({ code: -32602 });
  });

  it('builds a summary prompt from the notes that match a query', async () => {
    await using conn = await connectNotes();
    await createNote(conn, { title: 'Roadmap', body: 'Q3: launch the mobile app.', tags: ['plans'] });
    await createNote(conn, { title: 'Unrelated', body: 'Cats.' });
    const prompt = await conn.client.getPrompt({ name: 'notes_summarize', arguments: { query: 'mobile launch' } });
    const text = textOf(prompt.messages[0]?.content);
    expect(text).toContain('Summarise what my notes say about "mobile launch"');
    expect(text).toContain('## Roadmap');
    expect(text).toContain('launch the mobile app');
    expect(text).not.toContain('Cats.');
    const none = await conn.client.getPrompt({ name: 'notes_summarize', arguments: { query: 'zzzqqq' } });
    expect(textOf(none.messages[0]?.content)).toContain('nothing matched');
  });
});
