/**
 * The pieces behind search_tools, in process: terms (identifiers split into words), what a ranker sees of a tool,
 * BM25 ranking with its field weights, and rank fusion.
 */
import { describe, expect, it } from 'vitest';
import { createBm25Ranker } from '../src/discovery/bm25.ts';
import { createHybridRanker } from '../src/discovery/hybrid.ts';
import type { Ranker } from '../src/discovery/ranker.ts';
import { semanticText } from '../src/discovery/semantic.ts';
import { term, words } from '../src/discovery/terms.ts';
import { toolDocument } from '../src/discovery/tool-document.ts';

describe('terms', () => {
  it('splits snake_case, kebab-case, camelCase and acronyms into lower-case words', () => {
    expect(words('fs_read_text_file')).toEqual(['fs', 'read', 'text', 'file']);
    expect(words('readTextFile and get-HTTPResponse2')).toEqual([
      'read',
      'text',
      'file',
      'and',
      'get',
      'http',
      'response2',
    ]);
    expect(term('The')).toBeNull();
    expect(term('Files')).toBe('files');
  });
});

describe('toolDocument', () => {
  it('takes the parameters, and one level of nested ones, with their descriptions', () => {
    const document = toolDocument({
      name: 'x_send',
      title: 'Send',
      description: 'Send a message.',
      inputSchema: {
        type: 'object',
        properties: {
          to: { type: 'string', description: 'Recipient' },
          options: { type: 'object', properties: { retries: { type: 'integer' } } },
        },
      },
    });
    expect(document).toEqual({
      name: 'x_send',
      title: 'Send',
      description: 'Send a message.',
      parameters: [{ name: 'to', description: 'Recipient' }, { name: 'options' }, { name: 'retries' }],
    });
    expect(semanticText(document)).toBe('x send. Send. Send a message.');
  });
});

describe('bm25', () => {
  const documents = [
    { name: 'calendar_create_event', description: 'Create an event in the calendar.', parameters: [] },
    { name: 'mail_send', description: 'Send an email. Mentions calendar invites.', parameters: [] },
    { name: 'files_read', description: 'Read a file.', parameters: [{ name: 'path', description: 'File path' }] },
  ];

  it('weighs the name above the description, and matches parameter names', async () => {
    const ranker = await createBm25Ranker(documents);
    expect((await ranker.rank('calendar', 5)).map((hit) => hit.name)).toEqual(['calendar_create_event', 'mail_send']);
    expect((await ranker.rank('which path', 5))[0]?.name).toBe('files_read');
    expect(await ranker.rank('the of and', 5)).toEqual([]);
  });

  it('forgives a typo in a longer word', async () => {
    const ranker = await createBm25Ranker(documents);
    expect((await ranker.rank('calender', 1))[0]?.name).toBe('calendar_create_event');
  });

  it('matches other forms of a word by its stem, below the word as written', async () => {
    const ranker = await createBm25Ranker([
      { name: 'notes_delete', description: 'Move a note to the trash.', parameters: [] },
      { name: 'deploy_site', description: 'Publish the site.', parameters: [] },
      { name: 'deployments_list', description: 'List past releases.', parameters: [] },
    ]);
    expect((await ranker.rank('deleting notes', 1))[0]?.name).toBe('notes_delete');
    // "deployment" has its own word in one name, and only the stem in the other: both found, the word first.
    expect((await ranker.rank('deployments', 5)).map((hit) => hit.name)).toEqual(['deployments_list', 'deploy_site']);
  });

  it('matches a longer word a request word begins, but a known word is not taken for a typo', async () => {
    const ranker = await createBm25Ranker([
      { name: 'mongodb_find', description: 'Find documents in a collection.', parameters: [] },
      { name: 'sheet_read', description: 'Read cells of a sheet.', parameters: [] },
      { name: 'sheep_count', description: 'Count the sheep in a field.', parameters: [] },
    ]);
    expect((await ranker.rank('mongo', 1))[0]?.name).toBe('mongodb_find');
    // "sheet" is a word the tools use, so it does not also fuzzily match "sheep" (distance 1).
    expect((await ranker.rank('sheet', 5)).map((hit) => hit.name)).toEqual(['sheet_read']);
  });
});

describe('hybrid', () => {
  const fixed = (names: string[]): Ranker => ({
    kind: 'fixed',
    rank: async (_query, limit) => names.slice(0, limit).map((name, i) => ({ name, score: names.length - i })),
  });

  it('prefers what both rankers place high, and weighs each ranker', async () => {
    const fused = createHybridRanker([fixed(['a', 'b', 'c']), fixed(['b', 'c', 'a'])]);
    expect((await fused.rank('q', 3))[0]?.name).toBe('b');
    const weighted = createHybridRanker([fixed(['a', 'b']), { ranker: fixed(['b', 'a']), weight: 0.5 }]);
    expect((await weighted.rank('q', 2)).map((hit) => hit.name)).toEqual(['a', 'b']);
  });
});
