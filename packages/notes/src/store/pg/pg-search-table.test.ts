import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testDatabase } from './fixtures/test-postgres.js';
import { migrateNotesDatabase } from './migrate.js';
import { PgNoteStore } from './pg-store.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await testDatabase();
}, 120_000);
afterAll(() => database?.dispose());

const open = (tenant: string) => PgNoteStore.open({ url: database.url, tenant, versionPolicy: 'optional' });

/** Rows of a table as the owner sees them with no tenant set (note_search's policy is not forced; note_counts' is). */
async function ownerCount(table: string): Promise<number> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    return Number(rows[0]?.n);
  } finally {
    await client.end();
  }
}

describe('PostgreSQL store: the search table and the maintained counts', () => {
  it('keeps list totals and search matches in step through create, update, trash and restore', async () => {
    const store = await open('counts');
    try {
      const kept = await store.create({ title: 'Kept', body: 'albatross', tags: ['birds/sea'] });
      const moved = await store.create({ title: 'Moved', body: 'albatross again', tags: ['birds'] });
      expect(await store.list()).toMatchObject({ total: 2 });
      await store.delete({ id: moved.id });
      expect(await store.list()).toMatchObject({ total: 1 });
      expect(await store.list({ trash: true })).toMatchObject({ total: 1 });
      expect((await store.search({ query: 'albatross' })).hits.map((hit) => hit.id)).toEqual([kept.id]);
      expect(await store.list({ tag: 'birds' })).toMatchObject({ total: 1 });
      await store.restore({ id: moved.id });
      expect(await store.list()).toMatchObject({ total: 2 });
      expect(await store.list({ trash: true })).toMatchObject({ total: 0 });
      await store.update({ id: kept.id, body: 'petrel', tags: ['birds/land'] });
      const search = await store.search({ query: 'albatross' });
      expect(search.hits.map((hit) => hit.id)).toEqual([moved.id]);
      expect((await store.search({ query: 'petrel', tag: 'birds/land' })).hits.map((hit) => hit.id)).toEqual([kept.id]);
      expect((await store.list({ tag: 'birds/sea' })).total).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('keeps the counts per tenant under a forced policy, and note_search to its owner and the named tenant', async () => {
    const a = await open('guard-a');
    try {
      await a.create({ title: 'Guarded count', body: 'cormorant' });
    } finally {
      await a.close();
    }
    // The owner with no tenant set sees no counts (forced policy); note_search's policy is not forced for its owner.
    expect(await ownerCount('note_counts')).toBe(0);
    expect(await ownerCount('note_search')).toBeGreaterThan(0);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query("BEGIN; SELECT set_config('mcp_notes.tenant', 'guard-b', true)");
      expect((await client.query('SELECT * FROM note_counts')).rowCount).toBe(0);
      await expect(
        client.query("INSERT INTO note_counts (tenant, live) VALUES ('guard-a', 100)"),
      ).rejects.toMatchObject({ code: '42501' });
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
  });

  it('pages by keyset: notes created between pages neither repeat nor push others out', async () => {
    const store = await open('paging');
    try {
      const first = [];
      for (let i = 0; i < 5; i++) first.push(await store.create({ title: `Page note ${i}`, body: 'paged' }));
      const page1 = await store.list({ limit: 2 });
      expect(page1.notes.map((note) => note.id)).toEqual([first[4]?.id, first[3]?.id]);
      // Newer notes arrive after page 1: with OFFSET they would shift the rest; the cursor keeps its place.
      for (let i = 0; i < 3; i++) await store.create({ title: `Late note ${i}`, body: 'paged' });
      const seen = page1.notes.map((note) => note.id);
      let cursor = page1.nextCursor;
      while (cursor) {
        const page = await store.list({ limit: 2, cursor });
        seen.push(...page.notes.map((note) => note.id));
        expect(page.total).toBe(8);
        cursor = page.nextCursor;
      }
      expect(seen).toEqual([...first].reverse().map((note) => note.id));
    } finally {
      await store.close();
    }
  });

  it('migrates down and up again with notes in place: the search table and the counts are rebuilt', async () => {
    const a = await open('round-a');
    const b = a.forTenant('round-b');
    try {
      const note = await a.create({ title: 'Heron', body: 'grey heron at the pond' });
      const gone = await a.create({ title: 'Crane', body: 'a crane, trashed' });
      await a.delete({ id: gone.id });
      await b.create({ title: 'Heron too', body: 'another heron' });
      const before = await ownerCount('note_search');

      expect((await migrateNotesDatabase({ url: database.url, direction: 'down' })).applied).toEqual([
        '1765200000000_note-search',
      ]);
      expect(await a.read({ id: note.id })).toMatchObject({ title: 'Heron' });
      await expect(ownerCount('note_search')).rejects.toThrow(/note_search/);
      // Written while the table is gone: the backfill must pick it up.
      const later = await a.create({ title: 'Egret', body: 'a heron cousin' });

      expect((await migrateNotesDatabase({ url: database.url })).applied).toEqual(['1765200000000_note-search']);
      expect(await ownerCount('note_search')).toBe(before + 1);
      expect(await a.list()).toMatchObject({ total: 2 });
      expect(await a.list({ trash: true })).toMatchObject({ total: 1 });
      expect(await b.list()).toMatchObject({ total: 1 });
      expect((await a.search({ query: 'heron' })).hits.map((hit) => hit.id).sort()).toEqual([note.id, later.id].sort());
      expect((await b.search({ query: 'heron' })).hits).toHaveLength(1);
    } finally {
      await a.close();
    }
  });
});
