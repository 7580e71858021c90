/**
 * The swap race against listings, trees and searches: while `swap/` flips between a real directory and a link to
 * the outside (and `keep/deep`, one level down, with a link to a directory in it), no listing, tree or search may
 * show an outside name, time or line. A swapped directory may be left out or shown as a link; what is behind the
 * link never shows. Counts are fixed; nothing here is timed.
 */
import { type ConnectedPack, connectPack } from '@mcp-packs/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RaceScene, raceScene, runRace } from './fixtures/race.js';
import { HAS_PROC_FD } from './fs/dirfd.js';
import { filesystemPack } from './pack.js';

let scene: RaceScene;

beforeAll(async () => {
  scene = await raceScene({ numbered: 10 });
});

afterAll(async () => {
  await scene[Symbol.asyncDispose]();
});

type Call = (conn: ConnectedPack, i: number) => Promise<{ isError?: boolean } & Record<string, unknown>>;

const cases: [name: string, calls: number, call: Call, config?: Record<string, unknown>][] = [
  ['list_directory depth 1', 200, (conn) => conn.callTool('list_directory', { path: 'swap', limit: 2000 })],
  [
    'list_directory depth 3',
    200,
    (conn) => conn.callTool('list_directory', { path: '.', depth: 3, limit: 2000, sortBy: 'modified' }),
  ],
  [
    'directory_tree',
    200,
    (conn, i) => conn.callTool('directory_tree', { path: i % 2 === 0 ? '.' : 'swap', maxEntries: 20_000 }),
  ],
  [
    'search_files',
    200,
    (conn, i) =>
      conn.callTool('search_files', {
        pattern: i % 2 === 0 ? '*' : '**/*.txt',
        maxResults: 5000,
        ...(i % 3 === 0 ? { path: 'swap' } : {}),
      }),
  ],
  [
    'search_content',
    120,
    (conn, i) =>
      conn.callTool('search_content', {
        query: i % 2 === 0 ? 'CANARY' : 'inside',
        maxResults: 1000,
        ...(i % 3 === 0 ? { path: 'swap' } : {}),
      }),
  ],
  [
    'directory_tree, followSymlinks off',
    100,
    (conn) => conn.callTool('directory_tree', { path: '.', maxEntries: 20_000 }),
    { followSymlinks: false },
  ],
  [
    'list_directory depth 2, followSymlinks off',
    100,
    (conn) => conn.callTool('list_directory', { path: 'swap', depth: 2, limit: 2000 }),
    { followSymlinks: false },
  ],
];

// Race-proof only where directories are held by descriptor (Linux with /proc); the portable fallback narrows the
// window without closing it (README, Confinement), so these would fail there by design.
describe.runIf(HAS_PROC_FD)('walks under the swap race: no outside name, time or line', () => {
  for (const [name, calls, call, config] of cases) {
    it(name, async () => {
      await using conn = await connectPack(filesystemPack, { config: { roots: [scene.root], ...config } });
      const targets = [
        { rel: 'swap', target: scene.outside },
        { rel: 'keep/deep', target: `${scene.outside}/sub` },
      ];
      const report = await runRace(scene, name, targets, calls, (i) => call(conn, i));
      expect(report.cycles).toBeGreaterThan(0);
      expect(report, report.example).toMatchObject({ leaks: 0, created: 0, gone: 0, broughtIn: 0 });
    });
  }
});
