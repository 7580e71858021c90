import type { NotesConfig } from './config.js';
import type { NotesStore } from './store/notes-store.js';

/** What every notes tool, resource and prompt receives as `services`. */
export interface NotesServices {
  /**
   * The store, once open. The first call opens it (or `setup` does, in the background, with `openAtStart`), so a large
   * folder (or one that cannot be opened) never holds up the server: calls wait for it, and fail with
   * `store_unavailable` if it could not be opened.
   */
  store(): Promise<NotesStore>;
  config: NotesConfig;
}
