/**
 * @mcp-packs/notes: a local notes store for MCP. Markdown files with YAML front matter in one folder, ranked
 * full-text search, and writes that are never lost, even with several servers on one folder.
 */
export { type NotesConfig, type NotesConfigInput, notesConfigSchema } from './config.js';
export { notesPack, notesPack as default } from './pack.js';
export { summarizePrompt } from './prompts/summarize.js';
export { noteResource } from './resources/note.js';
export { recentNotesResource } from './resources/recent.js';
export type { NotesServices } from './services.js';
export { type NoteErrorCode, NoteStoreError } from './store/errors.js';
export { NoteStore, type NoteStoreOptions } from './store/note-store.js';
export type {
  ListInput,
  ListPage,
  ListSort,
  Note,
  NoteInput,
  NoteSummary,
  NotesStore,
  NoteUpdate,
  Problem,
  ReadInput,
  SearchHit,
  SearchInput,
  SearchPage,
  UpdateResult,
  VersionPolicy,
} from './store/notes-store.js';
export { createTool } from './tools/create.js';
export { deleteTool } from './tools/delete.js';
export { listTool } from './tools/list.js';
export { readTool } from './tools/read.js';
export { restoreTool } from './tools/restore.js';
export { searchTool } from './tools/search.js';
export { tagsTool } from './tools/tags.js';
export { updateTool } from './tools/update.js';
export { NOTES_VIEW_URI, notesView } from './views/notes-view.js';
