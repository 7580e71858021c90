// test-era: once (the store below the tools is what differs; the tools' wire shapes are checked in both eras)
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { connectPack, errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notesPack } from './index.js';
import { type TestDatabase, testDatabase } from './store/pg/fixtures/test-postgres.js';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('./migrate-cli.ts', import.meta.url));
// Run from the package folder, where `tsx` resolves (the workspace root does not depend on it).
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const migrateCli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: packageDir });

let database: TestDatabase;
beforeAll(async () => {
  database = await testDatabase({ migrate: false });
}, 120_000);
afterAll(() => database?.dispose());

const mount = (tenant: string, prefix: string, migrate = true) =>
  connectPack(notesPack, {
    config: { storage: { kind: 'postgres', url: database.url, tenant, migrate } },
    prefix,
    logSink: () => {},
  });

describe('the notes pack on PostgreSQL', () => {
  // Four migrate processes start through tsx: slow on a loaded 2-core machine, hence the longer timeout.
  it('says how to migrate when the schema is missing, then the migrate command sets it up', async () => {
    {
      await using unmigrated = await mount('team-a', 'a', false);
      const result = await unmigrated.callTool('a_list', {});
      expect(errorCode(result)).toBe('store_unavailable');
      expect(resultText(result)).toContain('mcp-packs-notes-migrate');
    }
    const first = await migrateCli('up', '--url', database.url);
    expect(first.stdout).toContain('applied: 1765100000000_notes');
    const again = await migrateCli('--url', database.url);
    expect(again.stdout).toContain('up to date');
    await expect(migrateCli('sideways', '--url', database.url)).rejects.toMatchObject({ code: 2 });
    expect(first.stdout).toContain('1765200000000_note-search');
    // Undone again (the newest first), so the next mount applies them at startup.
    const down = await migrateCli('down', '--count', '2', '--url', database.url);
    expect(down.stdout).toContain('undone: 1765200000000_note-search, 1765100000000_notes');
  }, 60_000);

  it('serves the tools per tenant, with versions and conflicts, and migrates at startup when asked', async () => {
    await using a = await mount('team-a', 'a');
    await using b = await mount('team-b', 'b');
    const created = structured<{ id: string; version: number }>(
      await a.callTool('a_create', { title: 'Roadmap', body: 'Q3: launch the mobile app.', tags: ['plans'] }),
    );
    expect(created.version).toBe(1);
    const found = structured<{ results: { id: string; snippet: string }[] }>(
      await a.callTool('a_search', { query: 'mobile launch' }),
    );
    expect(found.results.map((hit) => hit.id)).toEqual([created.id]);
    expect(found.results[0]?.snippet).toContain('**mobile**');
    expect(errorCode(await b.callTool('b_read', { id: created.id }))).toBe('not_found');
    expect(structured<{ total: number }>(await b.callTool('b_list', {})).total).toBe(0);
    expect(errorCode(await a.callTool('a_update', { id: created.id, body: 'x' }))).toBe('version_required');
    expect(
      structured(await a.callTool('a_update', { id: created.id, expectedVersion: 1, body: 'Q4 now.' })),
    ).toMatchObject({ version: 2, changed: ['body'] });
    const stale = await a.callTool('a_update', { id: created.id, expectedVersion: 1, body: 'lost' });
    expect(errorCode(stale)).toBe('version_conflict');
    expect(resultText(stale)).toContain('the body changed');
    const deleted = structured<{ trashPath: string }>(
      await a.callTool('a_delete', { id: created.id, expectedVersion: 2 }),
    );
    expect(deleted.trashPath).toBe(`trash/${created.id}`);
    expect(structured(await a.callTool('a_restore', { id: created.id }))).toMatchObject({ version: 2 });
    const note = await a.client.readResource({ uri: `note://a/${created.id}` });
    expect((note.contents[0] as { text: string }).text).toContain('Q4 now.');
    expect(structured<{ tags: { tag: string }[] }>(await a.callTool('a_tags', {})).tags).toEqual([
      { tag: 'plans', count: 1 },
    ]);
  });
});
