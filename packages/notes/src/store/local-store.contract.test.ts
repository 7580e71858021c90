import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describeNotesStore } from './fixtures/notes-store-contract.js';
import { NoteStore } from './note-store.js';

describeNotesStore('folder', async (options) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'notes-contract-'));
  const store = await NoteStore.open({ dir, watch: false, rescanIntervalMs: 0, ...options });
  return {
    store,
    dispose: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
