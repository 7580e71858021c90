/**
 * Hostile input against the real `mcp-packs` server (apps/server, built): every suite in
 * apps/server/test/hostile/*.cases.ts (the same cases the tests assert on), each case with its answer, the time it
 * took, the server's peak RSS during it, and the time of the next call, which must be served within 1 s.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type CaseFigures, type HostileSuite, runCase } from '../../apps/server/test/hostile/harness.ts';
import { writeResult } from './harness.ts';

const here = dirname(fileURLToPath(import.meta.url));
const casesDir = join(here, '..', '..', 'apps', 'server', 'test', 'hostile');
const NEXT_CALL_LIMIT_MS = 1000;

export default async function run(): Promise<void> {
  const files = readdirSync(casesDir)
    .filter((file) => file.endsWith('.cases.ts'))
    .sort();
  const cases: CaseFigures[] = [];
  const areas: Record<string, unknown> = {};
  for (const file of files) {
    const module = (await import(pathToFileURL(join(casesDir, file)).href)) as { default: HostileSuite };
    const suite = module.default;
    const context = await suite.start();
    try {
      for (const hostile of suite.cases) {
        const figures = await runCase(suite.area, context, hostile, { nextCallLimitMs: NEXT_CALL_LIMIT_MS });
        cases.push(figures);
        console.log(
          `${figures.problems.length === 0 ? 'ok  ' : 'BAD '} ${suite.area}: ${hostile.name}: ${figures.answer.kind}` +
            `${figures.answer.code === undefined ? '' : ` ${figures.answer.code}`} in ${figures.ms} ms, ` +
            `peak RSS ${figures.peakRssMiB} MiB, next call ${figures.nextCallMs ?? '-'} ms` +
            (figures.problems.length ? `: ${figures.problems.join('; ')}` : ''),
        );
      }
      if (suite.figures) areas[suite.area] = await suite.figures(context);
    } finally {
      await context.close();
    }
  }
  const bad = cases.filter((figures) => figures.problems.length > 0);
  const slowest = Math.max(0, ...cases.map((figures) => figures.nextCallMs ?? Number.POSITIVE_INFINITY));
  writeResult({
    name: 'hostile',
    description:
      'Hostile input against the built mcp-packs server (a real child process): each case from apps/server/test/hostile/*.cases.ts with its answer, time, the server peak RSS during it (VmHWM after a reset) and the time of the next call.',
    results: { cases, areas },
    targets: [
      {
        description: `every case answered cleanly, server alive (${cases.length - bad.length}/${cases.length})`,
        met: bad.length === 0,
      },
      {
        description: `next call after each case within ${NEXT_CALL_LIMIT_MS} ms (slowest ${slowest.toFixed(1)} ms)`,
        met: slowest <= NEXT_CALL_LIMIT_MS,
      },
    ],
  });
}
