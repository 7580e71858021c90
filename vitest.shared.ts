import { matchesGlob } from 'node:path';
import { defaultServerConditions } from 'vite';
import { configDefaults, defineProject, type ViteUserConfig } from 'vitest/config';

/**
 * The integration tests of each package, by folder name (globs relative to it): tests that start processes of our
 * own programs (the built CLI, example servers, other processes on the same notes folder, killed writers), race the
 * file system, wait out real limits in freshly started workers, drive headless Chromium, or depend on what a fresh
 * process has loaded. Everything else is a unit test: in-process, real files in temp dirs and servers on 127.0.0.1
 * included. `pnpm test` runs both; `pnpm test:unit` and `pnpm test:integration` one. The 2025-11-25 re-run of the kit
 * tests is part of the integration run (`runsEraReruns`).
 */
export const INTEGRATION_TESTS: Readonly<Record<string, readonly string[]>> = {
  // Which SDK adapters a fresh process has loaded.
  core: ['src/instance.test.ts', 'src/**/*.chromium.test.ts'],
  server: ['test/**/*.test.ts'],
  filesystem: ['src/race-*.test.ts'],
  math: [
    'src/engine/pool.test.ts',
    'src/engine/pool.dist.test.ts',
    'src/tools/*.limits.test.ts',
    'src/startup.test.ts',
    'src/**/*.chromium.test.ts',
  ],
  notes: [
    'src/**/*.chromium.test.ts',
    // Each starts a throwaway PostgreSQL cluster (scripts/postgres.sh) unless MCP_PACKS_TEST_PG_URL names a server.
    'src/pack.postgres.test.ts',
    'src/store/pg/*.test.ts',
    'src/store/background-scan.test.ts',
    'src/store/cross-process.test.ts',
    'src/store/first-build.test.ts',
    'src/store/killed-writers.test.ts',
    'src/store/lock.test.ts',
    'src/store/owner.test.ts',
    'src/store/temp-files.test.ts',
    'src/store/text-build.test.ts',
  ],
  sysinfo: ['src/system/processes.test.ts', 'src/tools/top-processes.test.ts'],
  'compose-in-code': ['src/**/*.test.ts'],
  'conformance-pack': ['test/runner-e2e.test.ts', 'test/runner.test.ts'],
  'dice-pack': ['test/**/*.test.ts'],
  'http-deployment': ['test/**/*.test.ts'],
};

/** The integration globs of a test project: `math`, `math@2025-11-25`, `example-dice-pack`, `dice-pack@2025-11-25`. */
function integrationGlobs(name: string): readonly string[] {
  return INTEGRATION_TESTS[(name.split('@')[0] as string).replace(/^example-/, '')] ?? [];
}

/** Which tests run: `MCP_PACKS_TEST_SCOPE` is `unit`, `integration`, or unset for all. */
function testScope(): 'unit' | 'integration' | 'all' {
  const scope = process.env.MCP_PACKS_TEST_SCOPE;
  if (scope === undefined || scope === '' || scope === 'all') return 'all';
  if (scope === 'unit' || scope === 'integration') return scope;
  throw new Error(`MCP_PACKS_TEST_SCOPE is unit, integration or all; got "${scope}".`);
}

/**
 * Whether the current scope re-runs the kit tests in the 2025-11-25 era (the `<package>@2025-11-25` projects of
 * vitest.config.ts). The re-run checks that each behaviour holds across protocol eras, end to end through the SDK: it is
 * part of the integration run (with every kit test, unit or not), so the unit run checks each behaviour once.
 */
export function runsEraReruns(): boolean {
  return testScope() !== 'unit';
}

/** `files` (relative to the package `name`, e.g. `math` or `math@2025-11-25`) kept by the current scope. */
export function scoped(name: string, files: readonly string[]): string[] {
  const scope = testScope();
  // An era re-run belongs to the integration run whole (see `runsEraReruns`; the unit run has no era projects).
  if (scope === 'all' || name.includes('@')) return [...files];
  const globs = integrationGlobs(name);
  const integration = (file: string) => globs.some((glob) => matchesGlob(file, glob));
  return files.filter((file) => integration(file) === (scope === 'integration'));
}

/**
 * The include and exclude globs of a package's tests under the current scope. An include list of plain files (the
 * 2025-era projects of vitest.config.ts) is filtered file by file; globs get the integration globs as excludes (unit)
 * or are replaced by them (integration).
 */
function scopedGlobs(name: string, include: readonly string[]): { include: string[]; exclude?: string[] } {
  const scope = testScope();
  if (scope === 'all') return { include: [...include] };
  if (include.every((entry) => !/[*?[{]/.test(entry))) return { include: scoped(name, include) };
  const globs = [...integrationGlobs(name)];
  if (scope === 'unit') return { include: [...include], exclude: [...configDefaults.exclude, ...globs] };
  return { include: globs };
}

/**
 * The test setup every workspace package shares: workspace packages resolve to their TypeScript sources (the
 * `@mcp-packs/source` export condition), so tests never need a build.
 */
export function packageTestConfig(name: string, overrides: ViteUserConfig['test'] = {}): ViteUserConfig {
  const conditions = ['@mcp-packs/source', ...defaultServerConditions];
  const { include = ['src/**/*.test.ts', 'test/**/*.test.ts'], ...rest } = overrides;
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: {
      name,
      ...scopedGlobs(name, include),
      environment: 'node',
      // Each test file in a fresh worker: tests start servers, child processes and timers of their own. The unit run
      // alone (`pnpm test:unit`) shares a worker's modules between files: importing the SDK and zod once per worker
      // rather than once per file halves its CPU time. A test that needs a fresh process is an integration test.
      isolate: testScope() !== 'unit',
      testTimeout: 20_000,
      hookTimeout: 20_000,
      ...rest,
      // Type tests are unit tests.
      ...(rest.typecheck && testScope() === 'integration' ? { typecheck: { ...rest.typecheck, enabled: false } } : {}),
    },
  });
}
