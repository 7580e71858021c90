#!/usr/bin/env node
/**
 * Run the MCP conformance suite's server scenarios (`@modelcontextprotocol/conformance`) against the composer
 * serving the conformance fixtures (examples/conformance-pack), in one protocol era or both.
 *
 *   node scripts/conformance.mjs --era 2025-11-25|2026-07-28|all [--scenario NAME]... [--expected-failures FILE]
 *                                [--out FILE] [--strict] [--timeout MS] [--direct] [--verbose]
 *
 * Builds nothing: run `pnpm build` first (the composer's dist/ and the example's dist/ are what run).
 *
 * - The era is explicit. The suite runs a scenario at one spec version (`--spec-version`), which both picks the
 *   scenarios that apply to it and fixes the wire: 2025-11-25 is the stateful era (`initialize`, sessions),
 *   2026-07-28 the stateless one (per-request `_meta`, `server/discover`). A scenario of both eras runs once in each.
 * - Every scenario of the era runs, pending ones included (the suite's `--suite all`, filtered by era), each in its
 *   own process of the suite, so one that hangs or crashes costs only itself. Extension scenarios (tasks, skills)
 *   are on no era's timeline and run only when named with --scenario.
 * - The composer requires a bearer token on every request and the suite cannot send headers, so the suite talks to
 *   a loopback proxy started here, which adds `Authorization: Bearer <token of this run>` and passes everything else
 *   through unchanged (Host and Origin included, so the composer's DNS-rebinding checks are what the suite tests).
 *   `--direct` points the suite at the composer itself.
 * - A scenario fails when one of its checks is a FAILURE (with --strict, a WARNING too: the suite's SHOULDs).
 *   Failures listed in the expected-failures file (default examples/conformance-pack/expected-failures.yml, each
 *   with a cause and a reason) are expected; an unlisted failure, or a listed one that now passes, fails the run.
 * - Results: a table on stdout, JSON in examples/conformance-pack/results/conformance-results.json (override with
 *   --out), and the suite's own checks.json and output per scenario under results/raw/<era>/. The results are not
 *   committed: the expected-failures file is the reviewed record, and the raw checks carry timestamps and wire dumps.
 *
 * Exit codes: 0 all as expected, 1 an unexpected failure or a stale expected-failures entry, 2 a usage or setup
 * problem (nothing built, the server did not start). The server and the proxy are stopped in every case.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseExpectedFailures } from './conformance/expected.mjs';
import { parseOptions, USAGE } from './conformance/options.mjs';
import { root } from './conformance/paths.mjs';
import { report } from './conformance/report.mjs';
import { startComposer, startProxy } from './conformance/servers.mjs';
import { locateSuite, runEra } from './conformance/suite.mjs';

// The pure parts, for the tests beside the example (examples/conformance-pack/test/runner.test.ts).
export {
  CAUSES,
  ERAS,
  isEra,
  judge,
  parseExpectedFailures,
  unmatchedEntries,
} from './conformance/expected.mjs';
export { formatSummary } from './conformance/report.mjs';
export { parseScenarioList } from './conformance/suite.mjs';

/** @typedef {import('./conformance/expected.mjs').ScenarioRun} ScenarioRun */

/**
 * @param {ReturnType<typeof parseOptions> & {}} options
 */
async function run(options) {
  const suite = locateSuite();
  const expected = existsSync(options.expectedFailures)
    ? parseExpectedFailures(readFileSync(options.expectedFailures, 'utf8'), relative(root, options.expectedFailures))
    : [];
  if (!existsSync(options.expectedFailures)) {
    console.warn(`note: ${relative(root, options.expectedFailures)} does not exist; every failure is unexpected.`);
  }
  const resultsDir = dirname(options.out);
  const rawDir = join(resultsDir, 'raw');
  mkdirSync(rawDir, { recursive: true });

  /** @type {import('node:child_process').ChildProcess | undefined} */
  let current;
  /** @type {Awaited<ReturnType<typeof startComposer>> | undefined} */
  let composer;
  /** @type {Awaited<ReturnType<typeof startProxy>> | undefined} */
  let proxy;
  const stopAll = async () => {
    current?.kill('SIGKILL');
    await proxy?.stop();
    await composer?.stop();
  };
  const onSignal = (/** @type {NodeJS.Signals} */ signal) => {
    console.error(`\n${signal}: stopping the server.`);
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', () => {
    current?.kill('SIGKILL');
    composer?.kill();
  });

  const startedAt = new Date();
  /** @type {ScenarioRun[]} */
  const runs = [];
  try {
    composer = await startComposer(join(resultsDir, 'composer.log'));
    proxy = options.direct ? undefined : await startProxy(composer.url, composer.token);
    const url = proxy?.url ?? composer.url;
    console.log(
      `conformance ${suite.version} against ${composer.url}${proxy ? ` (through ${url}, adding the token)` : ''}`,
    );

    for (const era of options.eras) {
      await runEra(era, {
        suite,
        url,
        rawDir,
        options,
        expected,
        runs,
        onChild: (child) => {
          current = child;
        },
      });
    }
  } finally {
    await stopAll();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  return report({ suite, options, expected, runs, composer, startedAt, rawDir });
}

async function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`conformance: ${/** @type {Error} */ (error).message}\n\n${USAGE}`);
    return 2;
  }
  if (!options) {
    console.log(USAGE);
    return 0;
  }
  try {
    return await run(options);
  } catch (error) {
    console.error(`conformance: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  process.exitCode = await main();
}
