-- Searching that can use its indexes. Under row-level security, PostgreSQL uses a condition in an index only when its
-- operator is LEAKPROOF (or it is the policy's own), and only a superuser can mark one so; the full-text `@@` and the
-- array `@>` are not, so on `notes` every search and tag filter read all of the tenant's rows. `note_search` holds
-- what matching needs for live notes (tenant, id, updated, tag paths, the weighted vector), kept by triggers on
-- `notes`; its row-level security is enabled but not forced, so the owner (the store) can use the GIN indexes, and
-- every query of it names the tenant. Rows shown to a caller still come from `notes`, under its forced policy.
-- `note_counts` keeps each tenant's live and trashed totals, so listing needs no count of the rows.

-- Up Migration

CREATE TABLE note_search (
  tenant text NOT NULL,
  id text NOT NULL,
  updated timestamptz NOT NULL,
  tag_paths text[] NOT NULL,
  search tsvector NOT NULL,
  PRIMARY KEY (tenant, id)
);
-- Vectors out of line, uncompressed: a bitmap scan reads narrow rows (id, updated) and ranking detoasts only the
-- vectors it ranks.
ALTER TABLE note_search ALTER COLUMN search SET STORAGE EXTERNAL;
ALTER TABLE note_search SET (toast_tuple_target = 128);
CREATE INDEX note_search_search_idx ON note_search USING gin (search);
CREATE INDEX note_search_tag_paths_idx ON note_search USING gin (tag_paths);
ALTER TABLE note_search ENABLE ROW LEVEL SECURITY;
CREATE POLICY note_search_tenant ON note_search
  USING (tenant = current_setting('mcp_notes.tenant', true))
  WITH CHECK (tenant = current_setting('mcp_notes.tenant', true));

CREATE TABLE note_counts (
  tenant text PRIMARY KEY,
  live bigint NOT NULL DEFAULT 0,
  trashed bigint NOT NULL DEFAULT 0
);
ALTER TABLE note_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE note_counts FORCE ROW LEVEL SECURITY;
CREATE POLICY note_counts_tenant ON note_counts
  USING (tenant = current_setting('mcp_notes.tenant', true))
  WITH CHECK (tenant = current_setting('mcp_notes.tenant', true));

CREATE FUNCTION notes_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was_live boolean := TG_OP <> 'INSERT' AND OLD.trashed IS NULL;
  is_live boolean := TG_OP <> 'DELETE' AND NEW.trashed IS NULL;
  row_tenant text := CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant ELSE NEW.tenant END;
  row_id text := CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END;
BEGIN
  IF is_live THEN
    IF NOT was_live OR NEW.updated IS DISTINCT FROM OLD.updated OR NEW.search IS DISTINCT FROM OLD.search
        OR NEW.tag_paths IS DISTINCT FROM OLD.tag_paths THEN
      INSERT INTO note_search (tenant, id, updated, tag_paths, search)
        VALUES (NEW.tenant, NEW.id, NEW.updated, NEW.tag_paths, NEW.search)
        ON CONFLICT (tenant, id) DO UPDATE
        SET updated = EXCLUDED.updated, tag_paths = EXCLUDED.tag_paths, search = EXCLUDED.search;
    END IF;
  ELSIF was_live THEN
    DELETE FROM note_search WHERE tenant = row_tenant AND id = row_id;
  END IF;
  IF TG_OP <> 'UPDATE' OR was_live <> is_live THEN
    INSERT INTO note_counts AS c (tenant, live, trashed)
      VALUES (row_tenant,
              (CASE WHEN is_live THEN 1 ELSE 0 END) - (CASE WHEN was_live THEN 1 ELSE 0 END),
              (CASE WHEN TG_OP <> 'DELETE' AND NOT is_live THEN 1 ELSE 0 END)
                - (CASE WHEN TG_OP <> 'INSERT' AND NOT was_live THEN 1 ELSE 0 END))
      ON CONFLICT (tenant) DO UPDATE SET live = c.live + EXCLUDED.live, trashed = c.trashed + EXCLUDED.trashed;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER notes_track AFTER INSERT OR UPDATE OR DELETE ON notes FOR EACH ROW EXECUTE FUNCTION notes_track();

-- The notes already there, every tenant's (the forced policy is lifted for this transaction's backfill alone).
ALTER TABLE notes NO FORCE ROW LEVEL SECURITY;
ALTER TABLE note_counts NO FORCE ROW LEVEL SECURITY;
INSERT INTO note_search (tenant, id, updated, tag_paths, search)
  SELECT tenant, id, updated, tag_paths, search FROM notes WHERE trashed IS NULL;
INSERT INTO note_counts (tenant, live, trashed)
  SELECT tenant, count(*) FILTER (WHERE trashed IS NULL), count(*) FILTER (WHERE trashed IS NOT NULL)
  FROM notes GROUP BY tenant;
ALTER TABLE notes FORCE ROW LEVEL SECURITY;
ALTER TABLE note_counts FORCE ROW LEVEL SECURITY;

-- Useless under the forced policy (see above), and a cost on every write.
DROP INDEX notes_search_idx;
DROP INDEX notes_tag_paths_idx;

-- Down Migration

CREATE INDEX notes_search_idx ON notes USING gin (search);
CREATE INDEX notes_tag_paths_idx ON notes USING gin (tag_paths);
DROP TRIGGER notes_track ON notes;
DROP FUNCTION notes_track();
DROP TABLE note_counts;
DROP TABLE note_search;
