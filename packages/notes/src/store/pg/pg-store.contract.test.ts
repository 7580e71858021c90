import { afterAll, beforeAll } from 'vitest';
import { describeNotesStore } from '../fixtures/notes-store-contract.js';
import { type TestDatabase, testDatabase } from './fixtures/test-postgres.js';
import { PgNoteStore } from './pg-store.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await testDatabase();
}, 120_000);
afterAll(() => database?.dispose());

// Each test is a tenant of its own: row-level security gives it an empty store.
describeNotesStore('postgres', async (options) => {
  const store = await PgNoteStore.open({
    url: database.url,
    tenant: `t-${Math.random().toString(36).slice(2, 10)}`,
    ...options,
  });
  return { store, dispose: () => store.close() };
});
