/** Opens the store the config names: the folder store, or the PostgreSQL store (migrating its schema first if asked). */
import path from 'node:path';
import type { Logger } from '@mcp-packs/core';
import type { NotesConfig } from './config.js';
import { defaultCacheDir, expandHome } from './store/cache-dir.js';
import { NoteStore } from './store/note-store.js';
import type { NotesStore } from './store/notes-store.js';

/** What the store is, for messages: `the notes folder /x` or `the notes database (tenant t)`. */
export function storeLabel(config: NotesConfig): string {
  if (config.storage.kind === 'postgres') return `the notes database (tenant ${config.storage.tenant})`;
  return `the notes folder ${path.resolve(expandHome(config.directory ?? '.'))}`;
}

/** Open the store `config` names. The PostgreSQL client is loaded only for a postgres store. */
export async function openNotesStore(config: NotesConfig, log: Logger): Promise<NotesStore> {
  const storage = config.storage;
  if (storage.kind === 'postgres') {
    if (storage.migrate) {
      const { migrateNotesDatabase } = await import('./store/pg/migrate.js');
      const { applied } = await migrateNotesDatabase({ url: storage.url });
      if (applied.length > 0) log.info(`notes database: applied migrations ${applied.join(', ')}`);
    }
    const { PgNoteStore } = await import('./store/pg/pg-store.js');
    return PgNoteStore.open({
      url: storage.url,
      tenant: storage.tenant,
      maxBodyBytes: config.maxBodyBytes,
      versionPolicy: config.expectedVersion,
      poolSize: storage.poolSize,
      onError: (error) => log.warning(`notes database connection: ${error.message}`),
    });
  }
  return NoteStore.open({
    dir: path.resolve(expandHome(config.directory as string)),
    trashDir: config.trashDir,
    maxBodyBytes: config.maxBodyBytes,
    versionPolicy: config.expectedVersion,
    ...(config.persistIndex ? { cacheDir: path.resolve(expandHome(config.indexCacheDir ?? defaultCacheDir())) } : {}),
    watch: config.watch,
    rescanIntervalMs: config.rescanIntervalMs,
    lockTimeoutMs: config.lockTimeoutMs,
    onProblem: (problem) =>
      log.warning(`skipping ${problem.path}: ${problem.message} (left untouched; fix it by hand)`, {
        path: problem.path,
        code: problem.code,
      }),
  });
}
