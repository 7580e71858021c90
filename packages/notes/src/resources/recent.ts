import { defineResource } from '../define.js';

/** `notes://<prefix>/recent`: the most recently updated notes, as a Markdown list of links. */
export const recentNotesResource = defineResource({
  uri: 'notes://recent',
  title: 'Recent notes',
  description: 'The most recently updated notes: title, id, tags and a short excerpt, newest first.',
  mimeType: 'text/markdown',
  read: async (_uri, context) => {
    const { notes, total } = await (await context.services.store()).list({
      limit: context.services.config.recentLimit,
    });
    if (notes.length === 0) return 'No notes yet.';
    const lines = notes.map((note) => {
      const tags = note.tags.length ? ` ${note.tags.map((tag) => `#${tag}`).join(' ')}` : '';
      const link = context.resourceUri(`note://${note.id}`);
      return `- [${note.title.replace(/[[\]]/g, '')}](${link}) · ${note.updated}${tags}${note.excerpt ? `\n  ${note.excerpt}` : ''}`;
    });
    return `# Recent notes (${notes.length} of ${total})\n\n${lines.join('\n')}\n`;
  },
});
