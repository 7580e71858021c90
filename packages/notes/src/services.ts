import type { NotesConfig } from './config.js';
import type { NoteStore } from './store/note-store.js';

/** What every notes tool, resource and prompt receives as `services`. */
export interface NotesServices {
  store: NoteStore;
  config: NotesConfig;
}
