/**
 * @mcp-packs/notes/postgres: the PostgreSQL notes store and its schema migrations, for code that composes the store
 * itself (the pack opens it from its `storage` config). A separate entry, so the pack alone never loads the client.
 */
export { MIGRATIONS_TABLE, type MigrationRun, migrateNotesDatabase, migrationsDir } from './store/pg/migrate.js';
export { PgNoteStore, type PgNoteStoreOptions } from './store/pg/pg-store.js';
export { TENANT_PATTERN } from './store/pg/tenant.js';
