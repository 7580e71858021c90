/** The command line of scripts/conformance.mjs: its usage text and the parsed options. */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ERAS, isEra } from './expected.mjs';
import { exampleDir } from './paths.mjs';

/** @typedef {import('./expected.mjs').Era} Era */

export const USAGE = `Usage: node scripts/conformance.mjs --era 2025-11-25|2026-07-28|all [options]

  --era ERA                 which protocol era(s) to run (required): 2025-11-25, 2026-07-28 or all
  --scenario NAME           run only this scenario (repeatable); also runs extension scenarios
  --expected-failures FILE  default examples/conformance-pack/expected-failures.yml
  --out FILE                JSON results; default examples/conformance-pack/results/conformance-results.json
  --strict                  count the suite's WARNINGs (SHOULD requirements) as failures
  --timeout MS              per-scenario timeout given to the suite (default 30000)
  --direct                  no token-adding proxy: the suite talks to the composer itself
  --verbose                 print the suite's output of every scenario
  -h, --help                this help

Run \`pnpm build\` first. Exit codes: 0 as expected, 1 unexpected failures or stale entries, 2 usage or setup.`;

export class UsageError extends Error {}

/**
 * @param {string[]} argv
 */
export function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      era: { type: 'string' },
      scenario: { type: 'string', multiple: true },
      'expected-failures': { type: 'string' },
      out: { type: 'string' },
      strict: { type: 'boolean' },
      timeout: { type: 'string' },
      direct: { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return undefined;
  if (values.era === undefined) throw new UsageError('--era is required: 2025-11-25, 2026-07-28 or all.');
  if (values.era !== 'all' && !isEra(values.era)) {
    throw new UsageError(`--era takes 2025-11-25, 2026-07-28 or all; got "${values.era}".`);
  }
  const timeout = values.timeout === undefined ? 30_000 : Number(values.timeout);
  if (!Number.isInteger(timeout) || timeout <= 0) throw new UsageError('--timeout takes milliseconds, e.g. 30000.');
  return {
    eras: values.era === 'all' ? [...ERAS] : [/** @type {Era} */ (values.era)],
    scenarios: values.scenario ?? [],
    expectedFailures: resolve(values['expected-failures'] ?? join(exampleDir, 'expected-failures.yml')),
    out: resolve(values.out ?? join(exampleDir, 'results', 'conformance-results.json')),
    strict: values.strict === true,
    timeout,
    direct: values.direct === true,
    verbose: values.verbose === true,
  };
}
