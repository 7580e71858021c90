/**
 * The PostgreSQL schema of the notes store, applied with node-pg-migrate: plain SQL migrations shipped in the
 * package's `migrations/` folder, recorded in the `notes_migrations` table, and run under node-pg-migrate's advisory
 * lock, so several servers starting at once against one database apply each migration exactly once.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The table that records which migrations ran. */
export const MIGRATIONS_TABLE = 'notes_migrations';

/** The package's `migrations/` folder, found from this module (it sits under `src/` or `dist/`). */
export function migrationsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === '@mcp-packs/notes') {
      return path.join(dir, 'migrations');
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('Cannot find the migrations folder of @mcp-packs/notes.');
    dir = parent;
  }
}

/** What {@link migrateNotesDatabase} did. */
export interface MigrationRun {
  /** The migrations applied (or, going down, undone) by this run, by name; empty when the schema was current. */
  applied: string[];
}

/**
 * Bring the notes schema of the database at `url` up to date (or undo `count` migrations with `direction: 'down'`).
 * Safe to run from several processes at once: they wait for each other on an advisory lock.
 */
export async function migrateNotesDatabase(options: {
  url: string;
  direction?: 'up' | 'down';
  count?: number;
  dryRun?: boolean;
  log?: (message: string) => void;
}): Promise<MigrationRun> {
  const { runner } = await import('node-pg-migrate');
  const log = options.log ?? (() => {});
  const applied = await runner({
    databaseUrl: options.url,
    dir: migrationsDir(),
    migrationsTable: MIGRATIONS_TABLE,
    direction: options.direction ?? 'up',
    ...(options.count === undefined ? {} : { count: options.count }),
    ...(options.direction === 'down' && options.count === undefined ? { count: 1 } : {}),
    checkOrder: true,
    singleTransaction: true,
    advisoryLockMode: 'wait',
    dryRun: options.dryRun ?? false,
    logger: { debug: () => {}, info: log, warn: log, error: log },
  });
  return { applied: applied.map((migration) => migration.name) };
}
