import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf } from '../fixtures/notes-store-contract.js';
import { type TestDatabase, testDatabase } from './fixtures/test-postgres.js';
import { PgNoteStore } from './pg-store.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await testDatabase();
}, 120_000);
afterAll(() => database?.dispose());

describe('PostgreSQL store: tenants', () => {
  it('keeps tenant B out of tenant A’s notes, even with the id in hand', async () => {
    const a = await PgNoteStore.open({ url: database.url, tenant: 'team-a', versionPolicy: 'optional' });
    const b = a.forTenant('team-b');
    try {
      const note = await a.create({ title: 'Secret plan', body: 'the pelican flies at dawn', tags: ['secret'] });
      const trashed = await a.create({ title: 'Old secret', body: 'pelican droppings' });
      await a.delete({ id: trashed.id });

      expect(await codeOf(b.read({ id: note.id }))).toBe('not_found');
      expect(await codeOf(b.read({ title: 'Secret plan' }))).toBe('not_found');
      expect(await b.list()).toMatchObject({ total: 0, notes: [] });
      expect(await b.list({ trash: true })).toMatchObject({ total: 0, notes: [] });
      expect(await b.list({ tag: 'secret' })).toMatchObject({ total: 0 });
      expect((await b.search({ query: 'pelican' })).hits).toEqual([]);
      expect(await b.tags()).toEqual([]);
      expect(await b.idsStartingWith(note.id)).toEqual([]);
      expect(await codeOf(b.update({ id: note.id, expectedVersion: 1, body: 'overwritten' }))).toBe('not_found');
      expect(await codeOf(b.update({ id: note.id, append: 'more' }))).toBe('not_found');
      expect(await codeOf(b.delete({ id: note.id, expectedVersion: 1 }))).toBe('not_found');
      expect(await codeOf(b.restore({ id: trashed.id }))).toBe('not_found');
      // B's own note with A's id is a note of B's; A's stays as it was.
      const own = await b.create({ title: 'B only', body: 'nothing to see' });
      expect((await a.list()).notes.map((item) => item.id)).toEqual([note.id]);
      expect(await codeOf(a.read({ id: own.id }))).toBe('not_found');
      expect(await a.read({ id: note.id })).toMatchObject({ body: 'the pelican flies at dawn', version: 1 });
      expect((await a.search({ query: 'pelican' })).hits.map((hit) => hit.id)).toEqual([note.id]);
    } finally {
      await a.close();
    }
  });

  it('enforces the isolation in the database itself (row-level security), not only in the store’s queries', async () => {
    const a = await PgNoteStore.open({ url: database.url, tenant: 'rls-a' });
    const note = await a.create({ title: 'Guarded', body: 'only for a' });
    await a.close();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      // No tenant set: no rows at all.
      expect((await client.query('SELECT count(*)::int AS n FROM notes')).rows[0]).toEqual({ n: 0 });
      await client.query("BEGIN; SELECT set_config('mcp_notes.tenant', 'rls-b', true)");
      expect((await client.query('SELECT * FROM notes WHERE id = $1', [note.id])).rowCount).toBe(0);
      expect((await client.query('SELECT * FROM note_versions WHERE id = $1', [note.id])).rowCount).toBe(0);
      expect((await client.query("UPDATE notes SET body = 'stolen' WHERE id = $1", [note.id])).rowCount).toBe(0);
      expect((await client.query('DELETE FROM notes WHERE id = $1', [note.id])).rowCount).toBe(0);
      await expect(
        client.query(
          "INSERT INTO notes (tenant, id, title, created, updated, version) VALUES ('rls-a', 'planted', 'x', now(), now(), 1)",
        ),
      ).rejects.toMatchObject({ code: '42501' });
      await client.query('ROLLBACK');
      await client.query("BEGIN; SELECT set_config('mcp_notes.tenant', 'rls-a', true)");
      await expect(client.query("UPDATE notes SET tenant = 'rls-b' WHERE id = $1", [note.id])).rejects.toMatchObject({
        code: '42501',
      });
      await client.query('ROLLBACK');
      await client.query("BEGIN; SELECT set_config('mcp_notes.tenant', 'rls-a', true)");
      expect((await client.query('SELECT body FROM notes WHERE id = $1', [note.id])).rows).toEqual([
        { body: 'only for a' },
      ]);
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
  });

  it('refuses a bad tenant and a database without the schema, saying what to do', async () => {
    await expect(PgNoteStore.open({ url: database.url, tenant: "x'; drop table notes; --" })).rejects.toThrow(
      /tenant must be/,
    );
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const empty = `notes_empty_${process.pid}`;
    await admin.query(`CREATE DATABASE ${empty}`);
    try {
      const url = new URL(database.url);
      url.pathname = `/${empty}`;
      await expect(PgNoteStore.open({ url: url.href, tenant: 't' })).rejects.toThrow(/Run the migrations first/);
    } finally {
      await admin.query(`DROP DATABASE ${empty} WITH (FORCE)`);
      await admin.end();
    }
  });
});
