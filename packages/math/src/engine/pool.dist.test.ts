/**
 * The worker must run from the built package too, not only from the TypeScript sources the other tests use: bundle
 * the package as its build does (scripts/build-package.mjs) into a scratch folder, with the pool as one more entry
 * so a plain Node process can drive it as a user's server would. The pool's code still sits in a chunk at the
 * root of the build, where the pack's own bundle has it.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let outDir: string;

beforeAll(async () => {
  // Inside the package's node_modules, so the built files resolve mathjs exactly as an installed package does.
  const cache = join(packageDir, 'node_modules', '.cache');
  await mkdir(cache, { recursive: true });
  outDir = await mkdtemp(join(cache, 'dist-test-'));
  const build = join(packageDir, '..', '..', 'scripts', 'build-package.mjs');
  const entries = ['src/engine/worker.ts', 'src/engine/pool.ts'];
  await run(process.execPath, [build, ...entries, `--outdir=${outDir}`, '--no-types'], { cwd: packageDir });
}, 120_000);

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('the built worker', () => {
  it('evaluates, enforces the time limit and recovers, under plain Node', async () => {
    expect(existsSync(join(outDir, 'engine', 'worker.js'))).toBe(true);
    const pool = pathToFileURL(join(outDir, 'engine', 'pool.js')).href;
    const script = `
      const { createEvaluatorPool, defaultWorkerUrl } = await import(${JSON.stringify(pool)});
      const pool = createEvaluatorPool({
        limits: { maxResultLength: 100000, maxMatrixElements: 1000000, bigNumberPrecision: 64 },
        timeoutMs: 500,
        memoryLimitMb: 128,
      });
      const evaluate = (expression) => pool.run('evaluate', { expressions: [expression], batch: false });
      const first = await evaluate('5 inch to cm');
      const limit = await evaluate('f(x) = x > 0 ? f(x - 1) + f(x - 1) : 1; f(60)').catch((error) => error.code);
      const after = await evaluate('det([1, 2; 3, 4])');
      await pool.close();
      process.stdout.write(JSON.stringify({ worker: defaultWorkerUrl().href, first, limit, after }));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: packageDir });
    const result = JSON.parse(stdout);
    expect(result.worker).toBe(pathToFileURL(join(outDir, 'engine', 'worker.js')).href);
    expect(result.first.results[0]).toMatchObject({ value: '12.7 cm', unit: 'cm' });
    expect(result.limit).toBe('time_limit');
    expect(result.after.results[0]).toMatchObject({ number: -2 });
  }, 60_000);

  it('leaves no worker behind when the server process exits without closing the pool', async () => {
    const pool = pathToFileURL(join(outDir, 'engine', 'pool.js')).href;
    const script = `
      const { createEvaluatorPool } = await import(${JSON.stringify(pool)});
      const pool = createEvaluatorPool({
        limits: { maxResultLength: 100000, maxMatrixElements: 1000000, bigNumberPrecision: 64 },
        timeoutMs: 2000,
        memoryLimitMb: 128,
        maxWorkers: 2,
      });
      await Promise.all([1, 2, 3].map((n) => pool.run('evaluate', { expressions: [String(n)], batch: false })));
      process.stdout.write(JSON.stringify(pool.stats().pids));
      process.exit(0);
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: packageDir });
    const pids = JSON.parse(stdout) as number[];
    expect(pids.length).toBeGreaterThan(0);
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 10_000;
    while (pids.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pids.filter(alive)).toEqual([]);
  }, 60_000);
});
