import { z } from 'zod';
import { definePrompt } from '../define.js';
import type { NotesServices } from '../services.js';

const PER_NOTE_CHARS = 4000;

/** `notes_summarize`: summarise the notes that match a query, with their text included. */
export const summarizePrompt = definePrompt({
  title: 'Summarise notes',
  description: 'Summarise what my notes say about a topic: searches the notes and includes the best matches.',
  argsSchema: z.object({
    query: z.string().describe('The topic or words to look for'),
    limit: z.string().optional().describe('How many notes to include (default 5, at most 20)'),
  }),
  complete: {
    query: async (value, { services }: { services: NotesServices }) =>
      (await (await services.store()).tags())
        .map((item) => item.tag)
        .filter((tag) => tag.toLowerCase().startsWith(value.toLowerCase()))
        .slice(0, 20),
  },
  get: async ({ query, limit }, { services }) => {
    const count = Math.min(20, Math.max(1, Number.parseInt(limit ?? '5', 10) || 5));
    const store = await services.store();
    const { hits } = await store.search({ query, limit: count });
    if (hits.length === 0) {
      return `I searched my notes for "${query}" and nothing matched. Tell me so, and suggest other words to search for.`;
    }
    const notes = await Promise.all(
      hits.map(async (hit) => {
        const note = await store.read({ id: hit.id, maxChars: PER_NOTE_CHARS }).catch(() => undefined);
        if (!note) return '';
        const cut = note.truncated ? `\n[… ${note.bodyLength - note.body.length} more characters]` : '';
        return `## ${note.title} (id ${note.id}, updated ${note.updated}${note.tags.length ? `, tags ${note.tags.join(', ')}` : ''})\n\n${note.body}${cut}`;
      }),
    );
    return (
      `Summarise what my notes say about "${query}". Group related points, note where notes disagree or are out of ` +
      `date, and cite each point with the note's title and id. Here are the ${hits.length} best-matching notes:\n\n` +
      notes.filter(Boolean).join('\n\n---\n\n')
    );
  },
});
