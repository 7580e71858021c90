import { defineResourceTemplate } from '../define.js';
import type { NotesServices } from '../services.js';

/** `note://<prefix>/{id}`: one note as Markdown, with completion of ids and a listing of recent notes. */
export const noteResource = defineResourceTemplate({
  uriTemplate: 'note://{id}',
  title: 'Note',
  description: 'A note by id, as Markdown with its front matter (title, tags, dates, version).',
  mimeType: 'text/markdown',
  list: async (context) => {
    const { notes } = await (await context.services.store()).list({ limit: context.services.config.recentLimit });
    return notes.map((note) => ({
      uri: context.resourceUri(`note://${note.id}`),
      name: note.id,
      title: note.title,
      description: note.excerpt,
      mimeType: 'text/markdown',
    }));
  },
  complete: {
    id: async (value, { services }: { services: NotesServices }) =>
      (await services.store()).idsStartingWith(value, 100),
  },
  read: async (_uri, { id }, { services }) => {
    const note = await (await services.store()).read({ id: id ?? '' });
    const tags = note.tags.length ? `\ntags: ${note.tags.map((tag) => `#${tag}`).join(' ')}` : '';
    return `---\nid: ${note.id}\ntitle: ${JSON.stringify(note.title)}${tags}\nupdated: ${note.updated}\nversion: ${note.version}\n---\n\n${note.body}`;
  },
});
