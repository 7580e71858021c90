import type { Entry } from './search-index.js';

/** The most notes remembered at once; the oldest is forgotten first. */
const MAX_LOST = 1024;

/**
 * Live notes whose file last read as no note, or as another one: an editor's save caught between its truncate and
 * its write, or a scan that stat'ed a file before such a save and read it during. A reader that misses an id reads
 * the file it was last at again (see `freshNote`) instead of saying `not_found` for a note that is there.
 */
export class LostNotes {
  readonly #at = new Map<string, string>();

  /** Where the live note `id` was until its file last read as something else. */
  at(id: string): string | undefined {
    return this.#at.get(id);
  }

  /** Record what a file at `path` now holds (`note`), after it held `previous`. */
  track(path: string, previous: Entry | undefined, note: Entry['note']): void {
    if (note) this.#at.delete(note.id);
    const lost = previous?.note && !previous.trashed && previous.note.id !== note?.id ? previous.note.id : undefined;
    if (lost === undefined) return;
    if (this.#at.size >= MAX_LOST) this.#at.delete(this.#at.keys().next().value as string);
    this.#at.set(lost, path);
  }
}
