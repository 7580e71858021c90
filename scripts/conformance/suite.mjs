/**
 * Running the suite for scripts/conformance.mjs: where it is installed (and how its requirement sets score each
 * scenario), its scenario list per era, and every scenario of one era, each in its own process of the suite.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ERAS, judge } from './expected.mjs';
import { UsageError } from './options.mjs';
import { requireFromExample, root } from './paths.mjs';

/** @typedef {import('./expected.mjs').Era} Era */
/** @typedef {import('./expected.mjs').Check} Check */
/** @typedef {import('./expected.mjs').ExpectedFailure} ExpectedFailure */
/** @typedef {import('./expected.mjs').ScenarioRun} ScenarioRun */
/** @typedef {(child: import('node:child_process').ChildProcess | undefined) => void} OnChild */

/**
 * The scenario names in the output of `conformance list --server` (lines `  - name [versions]`).
 *
 * @param {string} text
 * @returns {string[]}
 */
export function parseScenarioList(text) {
  const names = [];
  let inServer = false;
  for (const line of text.split('\n')) {
    if (/^Server scenarios/.test(line)) inServer = true;
    else if (/^\S/.test(line)) inServer = false;
    const match = inServer ? /^\s+-\s+(\S+)/.exec(line) : null;
    if (match?.[1]) names.push(match[1]);
  }
  return names;
}

/** The suite as the example package installed it: its bin script, version and requirement sets. */
export function locateSuite() {
  let manifestPath;
  try {
    manifestPath = requireFromExample.resolve('@modelcontextprotocol/conformance/package.json');
  } catch {
    throw new UsageError(
      '@modelcontextprotocol/conformance is not installed; run `pnpm install` (examples/conformance-pack has it as a devDependency).',
    );
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin.conformance;
  const dir = dirname(manifestPath);
  const { parse } = requireFromExample('yaml');
  /** @type {Map<string, string>} */
  const scoring = new Map();
  for (const era of ERAS) {
    const file = join(dir, 'requirements', `${era}.yaml`);
    if (!existsSync(file)) continue;
    const set = parse(readFileSync(file, 'utf8')) ?? {};
    for (const name of set.server ?? []) scoring.set(`${era} ${name}`, 'required');
    for (const item of set.not_scored ?? []) {
      if (item.leg === 'server') scoring.set(`${era} ${item.scenario}`, `not scored: ${item.reason}`);
    }
  }
  return { bin: join(dir, bin), version: String(manifest.version), scoring };
}

/**
 * Run a command; resolve with its exit code and output. Kills it (and resolves) after `timeoutMs`.
 *
 * @param {string[]} args arguments to node
 * @param {{ timeoutMs: number, onChild?: (child: import('node:child_process').ChildProcess | undefined) => void }} options
 * @returns {Promise<{ code: number | null, output: string, timedOut: boolean }>}
 */
function runNode(args, { timeoutMs, onChild }) {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    onChild?.(child);
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      onChild?.(undefined);
      resolvePromise({ code, output, timedOut });
    });
  });
}

/**
 * The checks a scenario run left in `dir` (the suite writes `server-<scenario>-<timestamp>/checks.json`).
 *
 * @param {string} dir
 * @param {string} scenario
 * @returns {Check[] | undefined}
 */
function readChecks(dir, scenario) {
  if (!existsSync(dir)) return undefined;
  const prefix = `server-${scenario.replaceAll('/', '-')}-`;
  const candidates = readdirSync(dir)
    .filter((name) => name.startsWith(prefix) && /^\d{4}-\d\d-\d\dT[\d-]+Z$/.test(name.slice(prefix.length)))
    .sort();
  const newest = candidates.at(-1);
  if (!newest) return undefined;
  const file = join(dir, newest, 'checks.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

/**
 * Run every scenario of `era` (or the ones named with --scenario) against `url`, print each one's outcome, and
 * append the runs to `runs`. The suite's checks and output go under `rawDir/<era>/`.
 *
 * @param {Era} era
 * @param {object} context
 * @param {ReturnType<typeof locateSuite>} context.suite
 * @param {string} context.url where the suite talks to the server
 * @param {string} context.rawDir
 * @param {NonNullable<ReturnType<typeof import('./options.mjs').parseOptions>>} context.options
 * @param {readonly ExpectedFailure[]} context.expected
 * @param {ScenarioRun[]} context.runs
 * @param {OnChild} context.onChild told of each suite process as it starts and ends, to stop it on a signal
 */
export async function runEra(era, { suite, url, rawDir, options, expected, runs, onChild }) {
  const listed = await runNode([suite.bin, 'list', '--server', '--spec-version', era], { timeoutMs: 60_000 });
  if (listed.code !== 0) throw new Error(`conformance list failed for ${era}:\n${listed.output}`);
  const applicable = parseScenarioList(listed.output);
  const scenarios = options.scenarios.length > 0 ? options.scenarios : applicable;
  const eraDir = join(rawDir, era);
  rmSync(eraDir, { recursive: true, force: true });
  mkdirSync(eraDir, { recursive: true });
  console.log(`\n${era}: ${scenarios.length} scenario(s)`);
  for (const scenario of scenarios) {
    const started = Date.now();
    const args = [suite.bin, 'server', '--url', url, '--scenario', scenario, '--spec-version', era];
    args.push('--output-dir', eraDir, '--timeout', String(options.timeout));
    // A named scenario outside the era's list (an extension) runs anyway, at this era's wire.
    if (!applicable.includes(scenario)) args.push('--force');
    const result = await runNode(args, {
      timeoutMs: options.timeout + 30_000,
      onChild,
    });
    writeFileSync(join(eraDir, `${scenario.replaceAll('/', '-')}.log`), result.output);
    if (options.verbose) console.log(result.output);
    const checks = readChecks(eraDir, scenario);
    const skipped = checks === undefined && /SKIPPED: scenario/.test(result.output);
    /** @type {Check[]} */
    const recorded = checks ?? [];
    if (checks === undefined && !skipped) {
      const tail = result.output.trim().split('\n').slice(-5).join(' | ');
      recorded.push({
        id: 'conformance-runner',
        description: 'The suite ran the scenario and recorded its checks',
        status: 'FAILURE',
        errorMessage: result.timedOut
          ? `no checks: the suite did not finish within ${options.timeout + 30_000} ms`
          : `no checks recorded (exit ${result.code}): ${tail}`,
      });
    }
    runs.push({ era, scenario, checks: recorded, skipped, durationMs: Date.now() - started });
    const verdict = judge(/** @type {ScenarioRun} */ (runs.at(-1)), expected, options);
    process.stdout.write(`  ${verdict.outcome.padEnd(7)} ${scenario}\n`);
  }
}
