/**
 * The PostgreSQL notes store: the {@link NotesStore} contract over one database shared by any number of servers.
 *
 * Every operation is one short transaction that first sets the tenant (`mcp_notes.tenant`, transaction-local), so
 * row-level security confines it to that tenant's rows. Writes are optimistic: a note is read, changed in memory, and
 * written with `UPDATE ... WHERE version = $n`; a write that lost the race changes no row and is retried against the
 * new version (or refused with `version_conflict` when the caller pinned `expectedVersion`), so no update is lost.
 */
import pg from 'pg';
import { NoteStoreError } from '../errors.js';
import { newNoteId, normalizeTitle } from '../names.js';
import {
  bodyWindow,
  changedBody,
  changedFields,
  checkBody,
  checkedTags,
  checkedTitle,
  checkId,
  checkUpdate,
  checkVersionGiven,
  excerptOf,
  notInTrash,
  oneTitleMatch,
} from '../note-rules.js';
import type {
  ListInput,
  ListPage,
  Note,
  NoteInput,
  NoteSummary,
  NotesStore,
  NoteUpdate,
  ReadInput,
  SearchInput,
  SearchPage,
  UpdateResult,
  VersionPolicy,
} from '../notes-store.js';
import { listNotes, searchNotes } from './pg-queries.js';
import {
  busyError,
  checkVersion,
  isUnavailable,
  liveNote,
  type NoteRow,
  rememberVersion,
  SUMMARY_COLUMNS,
  summaryOf,
  tagPaths,
  unavailableError,
} from './pg-rows.js';
import { SEARCH_SETTINGS_SQL } from './pg-search.js';
import { TENANT_PATTERN } from './tenant.js';

/** How a {@link PgNoteStore} is set up. */
export interface PgNoteStoreOptions {
  /** `postgres://user:password@host:port/database`. */
  url: string;
  /** Whose notes this store sees and writes (row-level security). */
  tenant: string;
  /** Largest body accepted, in bytes of UTF-8. Default 1 MiB. */
  maxBodyBytes?: number;
  /** When `expectedVersion` is required. Default `required-for-replace`. */
  versionPolicy?: VersionPolicy;
  /** Connections kept open. Default 10. */
  poolSize?: number;
  /** Told about connection errors that happen between calls (a restarted database, a dropped connection). */
  onError?: (error: Error) => void;
}

const RETRIES = 50;

/**
 * Notes in a PostgreSQL database, one tenant's view of them. Open with {@link PgNoteStore.open} (the schema must be
 * migrated: `migrateNotesDatabase`); {@link forTenant} gives another tenant's view over the same connections.
 *
 * @example
 * const store = await PgNoteStore.open({ url: process.env.NOTES_DATABASE_URL, tenant: 'team-a' });
 * const note = await store.create({ title: 'Standup', body: 'ship it' });
 * await store.close();
 */
export class PgNoteStore implements NotesStore {
  readonly tenant: string;
  readonly maxBodyBytes: number;
  readonly versionPolicy: VersionPolicy;
  readonly #pool: pg.Pool;
  readonly #owner: boolean;
  #closed = false;

  private constructor(pool: pg.Pool, owner: boolean, options: Omit<PgNoteStoreOptions, 'url'>) {
    PgNoteStore.#checkTenant(options.tenant);
    this.#pool = pool;
    this.#owner = owner;
    this.tenant = options.tenant;
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.versionPolicy = options.versionPolicy ?? 'required-for-replace';
  }

  static #checkTenant(tenant: string): void {
    if (!TENANT_PATTERN.test(tenant)) {
      throw new Error(
        `The tenant must be 1-128 letters, digits, "_", ".", ":", "@" or "-", starting with a letter or digit; got ${JSON.stringify(tenant)}.`,
      );
    }
  }

  /**
   * Connect, check the schema is there and that the role cannot bypass row-level security (a superuser, or a role
   * with BYPASSRLS, would see every tenant's notes).
   */
  static async open(options: PgNoteStoreOptions): Promise<PgNoteStore> {
    PgNoteStore.#checkTenant(options.tenant);
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      application_name: 'mcp-packs-notes',
    });
    pool.on('error', (error) => options.onError?.(error));
    const store = new PgNoteStore(pool, true, options);
    try {
      const { rows } = await pool.query<{ bypass: boolean; schema: boolean }>(
        `SELECT (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user) AS bypass,
                to_regclass('notes') IS NOT NULL AND to_regclass('note_versions') IS NOT NULL AS schema`,
      );
      const facts = rows[0];
      if (facts?.bypass) {
        throw new Error(
          'The database role is a superuser or has BYPASSRLS, so row-level security would not keep tenants apart. Connect as a plain role (scripts/postgres.sh creates one, "notes") that owns the notes tables.',
        );
      }
      if (!facts?.schema) {
        throw new Error(
          'The notes tables are missing. Run the migrations first (mcp-packs-notes-migrate --url ...), or set storage.migrate: true.',
        );
      }
    } catch (error) {
      await pool.end().catch(() => {});
      throw error;
    }
    return store;
  }

  /** The same database seen as another tenant (sharing this store's connections; closing it closes nothing). */
  forTenant(tenant: string): PgNoteStore {
    return new PgNoteStore(this.#pool, false, {
      tenant,
      maxBodyBytes: this.maxBodyBytes,
      versionPolicy: this.versionPolicy,
    });
  }

  // -------------------------------------------------------------------------------------------------------------
  // Writes

  async create(input: NoteInput): Promise<NoteSummary> {
    const tags = checkedTags(input.tags ?? []);
    const title = checkedTitle(input.title);
    const body = input.body ?? '';
    checkBody(body, this.maxBodyBytes);
    const now = new Date().toISOString();
    for (let attempt = 0; ; attempt++) {
      const id = newNoteId();
      try {
        return await this.#tx(async (client) => {
          const { rows } = await client.query<NoteRow>(
            `INSERT INTO notes (id, title, tags, tag_paths, body, excerpt, created, updated, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 1) RETURNING ${SUMMARY_COLUMNS}`,
            [id, title, tags, tagPaths(tags), body, excerptOf(body), now],
          );
          await rememberVersion(client, id, 1, title, tags, body, now);
          return summaryOf(rows[0] as NoteRow);
        });
      } catch (error) {
        // A clash of random ids (50 bits): take another.
        if ((error as { code?: string }).code !== '23505' || attempt >= 5) throw error;
      }
    }
  }

  async update(input: NoteUpdate): Promise<UpdateResult> {
    const { title, tags } = checkUpdate(input, this.versionPolicy);
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      const result = await this.#tx(async (client) => {
        const row = await liveNote(client, input.id);
        await checkVersion(client, row, input.expectedVersion);
        const { body, replacements } = changedBody(row.body, input, row.version);
        checkBody(body, this.maxBodyBytes);
        const changed = changedFields(row, { title, tags, body });
        const extra = replacements === undefined ? {} : { replacements };
        if (changed.length === 0) return { ...summaryOf(row), changed, ...extra };
        const nextTitle = title ?? row.title;
        const nextTags = tags ?? row.tags;
        const now = new Date().toISOString();
        const { rows } = await client.query<NoteRow>(
          `UPDATE notes SET title = $3, tags = $4, tag_paths = $5, body = $6, excerpt = $7, updated = $8,
             version = version + 1
           WHERE id = $1 AND version = $2 AND trashed IS NULL RETURNING ${SUMMARY_COLUMNS}`,
          [input.id, row.version, nextTitle, nextTags, tagPaths(nextTags), body, excerptOf(body), now],
        );
        // Another writer got there first: read the note again (and conflict, if the caller pinned a version).
        if (rows.length === 0) return undefined;
        await rememberVersion(client, input.id, row.version + 1, nextTitle, nextTags, body, now);
        return { ...summaryOf(rows[0] as NoteRow), changed, ...extra };
      });
      if (result) return result;
    }
    throw busyError();
  }

  async delete(input: { id: string; expectedVersion?: number }): Promise<NoteSummary & { trashPath: string }> {
    checkId(input.id);
    checkVersionGiven(this.versionPolicy, input.expectedVersion, true, 'delete');
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      const result = await this.#tx(async (client) => {
        const row = await liveNote(client, input.id);
        await checkVersion(client, row, input.expectedVersion);
        const { rows } = await client.query<NoteRow>(
          `UPDATE notes SET trashed = now() WHERE id = $1 AND version = $2 AND trashed IS NULL
           RETURNING ${SUMMARY_COLUMNS}`,
          [input.id, row.version],
        );
        if (rows.length === 0) return undefined;
        const trashed = summaryOf(rows[0] as NoteRow);
        return { ...trashed, path: summaryOf(row).path, trashPath: trashed.path };
      });
      if (result) return result;
    }
    throw busyError();
  }

  async restore(input: { id: string }): Promise<NoteSummary> {
    checkId(input.id);
    return this.#tx(async (client) => {
      const { rows } = await client.query<NoteRow>(
        `UPDATE notes SET trashed = NULL WHERE id = $1 AND trashed IS NOT NULL RETURNING ${SUMMARY_COLUMNS}`,
        [input.id],
      );
      if (rows[0]) return summaryOf(rows[0]);
      const live = await client.query('SELECT 1 FROM notes WHERE id = $1', [input.id]);
      throw notInTrash(input.id, live.rows.length > 0);
    });
  }

  // -------------------------------------------------------------------------------------------------------------
  // Reads

  async read(input: ReadInput): Promise<Note> {
    return this.#tx(async (client) => {
      let id = input.id;
      if (id === undefined) {
        if (input.title === undefined) throw new NoteStoreError('invalid_input', 'Give an id or a title.');
        const title = normalizeTitle(input.title);
        const exact = await client.query<{ id: string }>(
          'SELECT id FROM notes WHERE trashed IS NULL AND title = $1 ORDER BY id LIMIT 50',
          [title],
        );
        const rows = exact.rows.length
          ? exact.rows
          : (
              await client.query<{ id: string }>(
                'SELECT id FROM notes WHERE trashed IS NULL AND lower(title) = lower($1) ORDER BY id LIMIT 50',
                [title],
              )
            ).rows;
        id = oneTitleMatch(
          title,
          rows.map((row) => row.id),
        );
      }
      checkId(id);
      const row = await liveNote(client, id);
      return { ...summaryOf(row), ...bodyWindow(row.body, input.offset, input.maxChars) };
    }, true);
  }

  async list(input: ListInput = {}): Promise<ListPage> {
    return this.#tx((client) => listNotes(client, input), true);
  }

  async search(input: SearchInput): Promise<SearchPage> {
    return this.#tx((client) => searchNotes(client, input), true, SEARCH_SETTINGS_SQL);
  }

  async tags(): Promise<{ tag: string; count: number }[]> {
    return this.#tx(async (client) => {
      const { rows } = await client.query<{ tag: string; count: string }>(
        `SELECT min(t) AS tag, count(*) AS count FROM notes, unnest(tags) AS t WHERE trashed IS NULL
         GROUP BY lower(t) ORDER BY count(*) DESC, lower(t)`,
      );
      return rows.map((row) => ({ tag: row.tag, count: Number(row.count) }));
    }, true);
  }

  async idsStartingWith(prefix: string, limit = 100): Promise<string[]> {
    return this.#tx(async (client) => {
      const { rows } = await client.query<{ id: string }>(
        `SELECT id FROM notes WHERE trashed IS NULL AND id LIKE $1 ESCAPE '\\' ORDER BY updated DESC LIMIT $2`,
        [`${prefix.replace(/[\\%_]/g, '\\$&')}%`, limit],
      );
      return rows.map((row) => row.id);
    }, true);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#owner) await this.#pool.end();
  }

  // -------------------------------------------------------------------------------------------------------------
  // Internals

  /** Run `fn` in one transaction as this tenant (with `settings`, SQL run after BEGIN); connection failures become `unavailable`. */
  async #tx<T>(fn: (client: pg.PoolClient) => Promise<T>, readOnly = false, settings = ''): Promise<T> {
    if (this.#closed) throw new NoteStoreError('closed', 'The notes store is closed.');
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw unavailableError(error);
    }
    let broken = false;
    try {
      // One round trip; the tenant matched TENANT_PATTERN, so it needs no escaping beyond the quotes.
      await client.query(
        `BEGIN${readOnly ? ' READ ONLY' : ''}; SELECT set_config('mcp_notes.tenant', '${this.tenant}', true)${settings ? `; ${settings}` : ''}`,
      );
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      broken = isUnavailable(error);
      if (!broken) await client.query('ROLLBACK').catch(() => {});
      throw broken ? unavailableError(error) : error;
    } finally {
      client.release(broken);
    }
  }
}
