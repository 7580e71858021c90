-- The notes pack's PostgreSQL schema: notes (live and trashed) and their version history, one tenant per row,
-- isolated by row-level security on the tenant the store sets per transaction (mcp_notes.tenant).

-- Up Migration

CREATE EXTENSION IF NOT EXISTS unaccent;

-- Words as the folder store matches them: case and accents ignored, no stemming (prefix matching instead).
CREATE TEXT SEARCH CONFIGURATION notes_text (COPY = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION notes_text
  ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, simple;

-- Title weighs most (A), then tags (B, nested levels as words too), then the body (C; its first 300,000 characters,
-- which keeps every vector under PostgreSQL's 1 MB limit).
CREATE FUNCTION notes_search_vector(title text, tags text[], body text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('notes_text'::regconfig, coalesce(title, '')), 'A')
      || setweight(to_tsvector('notes_text'::regconfig, translate(array_to_string(tags, ' '), '/_-', '   ')), 'B')
      || setweight(to_tsvector('notes_text'::regconfig, left(coalesce(body, ''), 300000)), 'C')
  $$;

CREATE TABLE notes (
  tenant text NOT NULL DEFAULT current_setting('mcp_notes.tenant'),
  id text NOT NULL,
  title text NOT NULL,
  tags text[] NOT NULL DEFAULT '{}',
  -- Every tag and each of its parents, lower-cased ('work/q3' → 'work', 'work/q3'): what a tag filter matches.
  tag_paths text[] NOT NULL DEFAULT '{}',
  body text NOT NULL DEFAULT '',
  excerpt text NOT NULL DEFAULT '',
  created timestamptz NOT NULL,
  updated timestamptz NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  -- When the note went to the trash; NULL for a live note.
  trashed timestamptz,
  search tsvector GENERATED ALWAYS AS (notes_search_vector(title, tags, body)) STORED,
  PRIMARY KEY (tenant, id)
);

CREATE INDEX notes_search_idx ON notes USING gin (search);
CREATE INDEX notes_tag_paths_idx ON notes USING gin (tag_paths);
-- Keyset paging of live notes in each sort, exact title lookups, and the trash.
CREATE INDEX notes_live_updated_idx ON notes (tenant, updated, id) WHERE trashed IS NULL;
CREATE INDEX notes_live_created_idx ON notes (tenant, created, id) WHERE trashed IS NULL;
CREATE INDEX notes_live_title_idx ON notes (tenant, lower(title), id) WHERE trashed IS NULL;
CREATE INDEX notes_live_exact_title_idx ON notes (tenant, title) WHERE trashed IS NULL;
CREATE INDEX notes_trashed_idx ON notes (tenant, trashed) WHERE trashed IS NOT NULL;

-- Every version written (create and update), so a conflict can say what changed since the version a caller read.
CREATE TABLE note_versions (
  tenant text NOT NULL DEFAULT current_setting('mcp_notes.tenant'),
  id text NOT NULL,
  version integer NOT NULL,
  title text NOT NULL,
  tags text[] NOT NULL,
  body text NOT NULL,
  updated timestamptz NOT NULL,
  PRIMARY KEY (tenant, id, version),
  FOREIGN KEY (tenant, id) REFERENCES notes (tenant, id) ON DELETE CASCADE
);

-- Row-level security: a session sees and writes only the rows of the tenant it set, the tables' owner included.
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE notes FORCE ROW LEVEL SECURITY;
CREATE POLICY notes_tenant ON notes
  USING (tenant = current_setting('mcp_notes.tenant', true))
  WITH CHECK (tenant = current_setting('mcp_notes.tenant', true));

ALTER TABLE note_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE note_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY note_versions_tenant ON note_versions
  USING (tenant = current_setting('mcp_notes.tenant', true))
  WITH CHECK (tenant = current_setting('mcp_notes.tenant', true));

-- Down Migration

DROP TABLE note_versions;
DROP TABLE notes;
DROP FUNCTION notes_search_vector(text, text[], text);
DROP TEXT SEARCH CONFIGURATION notes_text;
