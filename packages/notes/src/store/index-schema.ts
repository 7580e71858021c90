/**
 * The index's schema: the tables of the catalog's SQLite cache, and its version. A cache of another version is
 * thrown away and rebuilt (it is only a cache), so any change here bumps {@link SCHEMA_VERSION}.
 */

/** Version 7: maintained counts (notes per trash state, broken files) and an index of broken files. */
export const SCHEMA_VERSION = 7;

/** The full-text table; a text build on the worker creates the very same one (see {@link SearchIndex.adoptText}). */
export const FTS_DDL = `CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
  title, body, tags,
  content='', contentless_delete=1,
  tokenize='unicode61 remove_diacritics 2'
);`;

/** FTS5's shadow tables of a contentless table: together they are the whole full-text index. */
export const FTS_SHADOW_TABLES = ['fts_data', 'fts_idx', 'fts_docsize', 'fts_config'];

/** Every table, index and trigger of the cache (idempotent: run on every open). */
export const DDL = `
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries(
  rowid INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  stamp TEXT NOT NULL,
  trashed INTEGER NOT NULL,
  searchable INTEGER NOT NULL,
  id TEXT,
  title TEXT COLLATE NOCASE,
  tags TEXT,
  created TEXT,
  updated TEXT,
  created_ms REAL,
  updated_ms REAL,
  version INTEGER,
  file_version INTEGER,
  hash TEXT,
  derived INTEGER,
  excerpt TEXT,
  problem TEXT
);
CREATE INDEX IF NOT EXISTS entries_id ON entries(id, trashed);
CREATE INDEX IF NOT EXISTS entries_pending ON entries(rowid) WHERE searchable = 2;
CREATE INDEX IF NOT EXISTS entries_problem ON entries(path) WHERE problem IS NOT NULL;
CREATE TABLE IF NOT EXISTS counts(kind TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
INSERT OR IGNORE INTO counts(kind, n) VALUES ('files', 0), ('live', 0), ('trashed', 0), ('problems', 0);
CREATE TRIGGER IF NOT EXISTS entries_counted AFTER INSERT ON entries BEGIN
  UPDATE counts SET n = n + 1 WHERE kind = 'files'
    OR (kind = 'live' AND new.id IS NOT NULL AND new.trashed = 0)
    OR (kind = 'trashed' AND new.id IS NOT NULL AND new.trashed = 1)
    OR (kind = 'problems' AND new.problem IS NOT NULL);
END;
CREATE TRIGGER IF NOT EXISTS entries_uncounted AFTER DELETE ON entries BEGIN
  UPDATE counts SET n = n - 1 WHERE kind = 'files'
    OR (kind = 'live' AND old.id IS NOT NULL AND old.trashed = 0)
    OR (kind = 'trashed' AND old.id IS NOT NULL AND old.trashed = 1)
    OR (kind = 'problems' AND old.problem IS NOT NULL);
END;
CREATE TABLE IF NOT EXISTS tags(key TEXT NOT NULL, rowid INTEGER NOT NULL, tag TEXT NOT NULL, PRIMARY KEY(key, rowid)) WITHOUT ROWID;
${FTS_DDL}
CREATE VIRTUAL TABLE IF NOT EXISTS vocab USING fts5vocab(fts, 'row');
`;

/** Indexes for listing and tag lookups; dropped during a bulk build and created after it (much faster). */
export const LIST_INDEXES = `
CREATE INDEX IF NOT EXISTS entries_updated ON entries(trashed, updated_ms, id);
CREATE INDEX IF NOT EXISTS entries_created ON entries(trashed, created_ms, id);
CREATE INDEX IF NOT EXISTS entries_title ON entries(trashed, title, id);
CREATE INDEX IF NOT EXISTS tags_rowid ON tags(rowid);
`;
