/**
 * The swap race against the read tools: while a worker thread swaps `swap/` (a directory) and `flip.txt` (a file)
 * for links to the outside, every read, info and resource call must return inside content or a refusal, never
 * anything from outside. Counts are fixed; nothing here is timed.
 */
import { type ConnectedPack, connectPack } from '@mcp-packs/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RaceScene, raceScene, runRace } from './fixtures/race.js';
import { HAS_PROC_FD } from './fs/dirfd.js';
import { filesystemPack } from './pack.js';

let scene: RaceScene;

beforeAll(async () => {
  scene = await raceScene({ numbered: 0 });
});

afterAll(async () => {
  await scene[Symbol.asyncDispose]();
});

type Call = (conn: ConnectedPack, i: number) => Promise<{ isError?: boolean } & Record<string, unknown>>;

/** A resource request as a result: a refusal becomes an error result, so its message is checked too. */
const asResult = async (request: Promise<object>) => {
  try {
    return { ...(await request) };
  } catch (error) {
    return { isError: true, message: (error as Error).message };
  }
};

const INFO_PATHS = ['swap', 'swap/secret.txt', 'flip.txt', 'swap/sub'];

const cases: [name: string, calls: number, call: Call][] = [
  [
    'read_text_file',
    200,
    (conn, i) => conn.callTool('read_text_file', { path: i % 2 === 0 ? 'swap/secret.txt' : 'flip.txt' }),
  ],
  ['read_media_file', 200, (conn) => conn.callTool('read_media_file', { path: 'swap/img.png' })],
  [
    'read_multiple_files',
    200,
    (conn) => conn.callTool('read_multiple_files', { paths: ['swap/secret.txt', 'flip.txt', 'swap/sub/inner.txt'] }),
  ],
  [
    'get_file_info',
    400,
    (conn, i) => conn.callTool('get_file_info', { path: INFO_PATHS[i % INFO_PATHS.length] as string }),
  ],
  [
    'file resource',
    200,
    (conn, i) =>
      asResult(conn.client.readResource({ uri: i % 2 === 0 ? 'file://fs/swap/secret.txt' : 'file://fs/flip.txt' })),
  ],
  [
    'file resource completion',
    200,
    (conn, i) =>
      asResult(
        conn.client.complete({
          ref: { type: 'ref/resource', uri: 'file://fs/{+path}' },
          argument: { name: 'path', value: i % 2 === 0 ? 'swap/' : 'swap/sub/' },
        }),
      ),
  ],
];

// Race-proof only where directories are held by descriptor (Linux with /proc); the portable fallback narrows the
// window without closing it (README, Confinement), so these would fail there by design.
describe.runIf(HAS_PROC_FD)('reads under the swap race: nothing from outside, outside untouched', () => {
  for (const [name, calls, call] of cases) {
    it(name, async () => {
      await using conn = await connectPack(filesystemPack, { config: { roots: [scene.root] } });
      const targets = [
        { rel: 'swap', target: scene.outside },
        { rel: 'flip.txt', target: `${scene.outside}/secret.txt` },
      ];
      const report = await runRace(scene, name, targets, calls, (i) => call(conn, i));
      expect(report.cycles).toBeGreaterThan(0);
      expect(report, report.example).toMatchObject({ leaks: 0, created: 0, gone: 0, broughtIn: 0 });
    });
  }
});
