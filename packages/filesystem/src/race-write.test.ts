/**
 * The swap race against the write tools: while `swap/` flips between a real directory and a link to the outside,
 * nothing may be created, changed, moved or deleted outside, and nothing from outside may be copied or moved in.
 * After each run the outside is compared, entry by entry, with how it was, and the inside is scanned for the
 * canary. Counts are fixed; nothing here is timed.
 */
import { mkdir, rename, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type ConnectedPack, connectPack } from '@mcp-packs/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NUMBERED, type RaceScene, raceScene, runRace } from './fixtures/race.js';
import { HAS_PROC_FD } from './fs/dirfd.js';
import { filesystemPack } from './pack.js';

let scene: RaceScene;

beforeAll(async () => {
  scene = await raceScene();
  for (let i = 0; i < 200; i++) await writeFile(path.join(scene.root, `mv-${i}.txt`), 'inside\n');
});

afterAll(async () => {
  await scene[Symbol.asyncDispose]();
});

type Call = (conn: ConnectedPack, i: number) => Promise<{ isError?: boolean } & Record<string, unknown>>;

let edited = 'alpha';

/**
 * Put a fresh `keep/rmbox/inner/x.txt` (and the swapper's link beside `inner`) in place, built aside and renamed
 * in, so the test itself never writes through a swapped link. Left as it is when the last delete did not happen.
 */
async function freshRmbox(i: number): Promise<void> {
  const stage = path.join(scene.root, `keep/stage-${i}`);
  await mkdir(path.join(stage, 'inner'), { recursive: true });
  await writeFile(path.join(stage, 'inner/x.txt'), 'inside\n');
  await symlink(path.join(scene.outside, 'sub'), path.join(stage, 'inner.link'));
  await rename(stage, path.join(scene.root, 'keep/rmbox')).catch(() => {});
}

const cases: [name: string, calls: number, call: Call, swapped?: string][] = [
  ['create_directory', 200, (conn, i) => conn.callTool('create_directory', { path: `swap/made-${i}/deeper` })],
  ['write_file create', 200, (conn, i) => conn.callTool('write_file', { path: `swap/w-${i}.txt`, content: 'new\n' })],
  [
    'write_file overwrite',
    200,
    (conn, i) => conn.callTool('write_file', { path: `swap/victim-${i}.txt`, content: 'over\n', mode: 'overwrite' }),
  ],
  [
    'write_file append',
    200,
    (conn, i) =>
      conn.callTool('write_file', {
        path: i % 2 ? 'swap/secret.txt' : `swap/a-${i}.txt`,
        content: '+\n',
        mode: 'append',
      }),
  ],
  [
    'edit_file',
    200,
    async (conn) => {
      const next = edited === 'alpha' ? 'beta' : 'alpha';
      const result = await conn.callTool('edit_file', {
        path: 'swap/edit.txt',
        edits: [{ oldText: edited, newText: next }],
      });
      if (!result.isError) edited = next;
      return result;
    },
  ],
  [
    'move_file in',
    200,
    (conn, i) => conn.callTool('move_file', { source: `mv-${i}.txt`, destination: `swap/mv-${i}.txt` }),
  ],
  [
    'move_file out',
    200,
    (conn, i) =>
      conn.callTool('move_file', { source: `swap/victim-${NUMBERED - 1 - i}.txt`, destination: `dest/got-${i}.txt` }),
  ],
  [
    'copy_file out',
    200,
    (conn, i) => conn.callTool('copy_file', { source: 'swap/secret.txt', destination: `dest/copy-${i}.txt` }),
  ],
  [
    'copy_file in',
    200,
    (conn, i) => conn.callTool('copy_file', { source: 'inside.txt', destination: `swap/c-${i}.txt` }),
  ],
  [
    'copy_file directory',
    150,
    (conn, i) =>
      conn.callTool(
        'copy_file',
        i % 2 ? { source: 'swap/sub', destination: `dest/dcopy-${i}` } : { source: 'keep', destination: `swap/k-${i}` },
      ),
  ],
  ['delete', 200, (conn, i) => conn.callTool('delete', { path: `swap/del-${i}.txt` })],
  ['delete recursive', 200, (conn, i) => conn.callTool('delete', { path: `swap/deltree-${i}`, recursive: true })],
  [
    'delete recursive, a directory inside swapped',
    150,
    async (conn, i) => {
      await freshRmbox(i);
      return conn.callTool('delete', { path: 'keep/rmbox', recursive: true });
    },
    'keep/rmbox/inner',
  ],
];

// Race-proof only where directories are held by descriptor (Linux with /proc); the portable fallback narrows the
// window without closing it (README, Confinement), so these would fail there by design.
describe.runIf(HAS_PROC_FD)(
  'writes under the swap race: nothing outside changes, nothing from outside comes in',
  () => {
    for (const [name, calls, call, swapped] of cases) {
      it(name, async () => {
        await using conn = await connectPack(filesystemPack, {
          config: { roots: [scene.root], writes: 'on', allowDelete: true },
        });
        const targets = swapped
          ? [{ rel: swapped, target: path.join(scene.outside, 'sub') }]
          : [{ rel: 'swap', target: scene.outside }];
        if (swapped) await freshRmbox(-1);
        const report = await runRace(scene, name, targets, calls, (i) => call(conn, i));
        expect(report.cycles).toBeGreaterThan(0);
        expect(report, report.example).toMatchObject({ leaks: 0, created: 0, gone: 0, broughtIn: 0 });
      });
    }
  },
);
