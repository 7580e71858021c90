import { definePack, ToolError } from '@mcp-packs/core';
import { notesConfigSchema } from './config.js';
import { notesErrors } from './error-map.js';
import { openNotesStore, storeLabel } from './open-store.js';
import { summarizePrompt } from './prompts/summarize.js';
import { noteResource } from './resources/note.js';
import { recentNotesResource } from './resources/recent.js';
import type { NotesServices } from './services.js';
import type { NotesStore } from './store/notes-store.js';
import { createTool } from './tools/create.js';
import { deleteTool } from './tools/delete.js';
import { listTool } from './tools/list.js';
import { readTool } from './tools/read.js';
import { restoreTool } from './tools/restore.js';
import { searchTool } from './tools/search.js';
import { tagsTool } from './tools/tags.js';
import { updateTool } from './tools/update.js';
import { notesView } from './views/notes-view.js';

/**
 * The notes pack: a folder of Markdown notes with ranked search, safe to share between several clients.
 *
 * @example
 * await mountPack(server, notesPack, { config: { directory: '~/notes' } });
 */
export const notesPack = definePack({
  name: 'notes',
  version: '0.1.0',
  description:
    'A local notes store: Markdown files with front matter in one folder (Obsidian-friendly), ranked full-text search, and writes that are never lost.',
  instructions: (tools) => {
    const named = (key: string) => (tools.has(key) ? tools.name(key) : undefined);
    const find = [named('search'), named('list')].filter(Boolean).join(' or ');
    const changes = [named('update'), named('delete')].filter(Boolean).join(' or ');
    return [
      find ? `Find notes with ${find}${named('read') ? `, then ${named('read')} for the full text` : ''}.` : '',
      changes
        ? `Every note has a version; pass the version you read as expectedVersion to ${changes}. On version_conflict, read the note again and re-apply your change.`
        : '',
      named('update') ? `Prefer ${named('update')} with append or findReplace over replacing a whole body.` : '',
      named('delete')
        ? `${named('delete')} moves a note to the trash${named('restore') ? `; ${named('restore')} undoes it` : ''}.`
        : '',
    ]
      .filter(Boolean)
      .join(' ');
  },
  configSchema: notesConfigSchema,
  errors: notesErrors,
  setup: ({ config, log, onClose }): NotesServices => {
    // Opened on first use (or at start with openAtStart), never inside setup: a large folder's first scan, or a store
    // that cannot be opened, never holds up the server or its other packs, and a session that never uses notes pays
    // nothing for them. Calls wait for the store; if it could not be opened they say why, and the next call tries
    // again (a database that comes up after the server, a folder mounted late), so no restart is needed.
    let opening: Promise<NotesStore> | undefined;
    let ready: Promise<NotesStore> | undefined;
    let closed = false;
    const open = (): Promise<NotesStore> => {
      if (ready) return ready;
      if (closed) {
        return Promise.reject(
          new ToolError('The notes pack is shutting down.', {
            code: 'store_unavailable',
            hint: 'The server is stopping; try again once it has restarted.',
          }),
        );
      }
      const attempt = openNotesStore(config, log);
      opening = attempt;
      const settled = attempt.catch((error: unknown) => {
        // Calls waiting on this attempt get its error; the next call starts a new one.
        if (ready === settled) ready = undefined;
        const reason = error instanceof Error ? error.message : String(error);
        const what = storeLabel(config);
        log.error(`cannot open ${what}: ${reason}`);
        throw new ToolError(`${what.charAt(0).toUpperCase()}${what.slice(1)} could not be opened: ${reason}`, {
          code: 'store_unavailable',
          retryable: true,
          hint:
            config.storage.kind === 'postgres'
              ? 'Tell the user: the notes database must be reachable with the configured url and migrated. Each call tries again, so once it is fixed the notes tools work without a restart.'
              : 'Tell the user: the notes folder must be a directory the server can write. Each call tries again, so once it is fixed the notes tools work without a restart.',
          cause: error,
        });
      });
      ready = settled;
      // Reported to each call that needs the store, not as an unhandled rejection.
      settled.catch(() => {});
      return settled;
    };
    if (config.openAtStart) void open();
    onClose(async () => {
      closed = true;
      const store = await opening?.catch(() => undefined);
      await store?.close();
    });
    return { store: open, config };
  },
  tools: {
    create: createTool,
    read: readTool,
    update: updateTool,
    delete: deleteTool,
    restore: restoreTool,
    list: listTool,
    search: searchTool,
    tags: tagsTool,
  },
  resources: { recent: recentNotesResource, view: notesView },
  resourceTemplates: { note: noteResource },
  prompts: { summarize: summarizePrompt },
});
