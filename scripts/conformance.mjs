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
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/** The protocol eras the suite can run a server scenario in, oldest first. */
export const ERAS = /** @type {const} */ (['2025-11-25', '2026-07-28']);

/** @typedef {(typeof ERAS)[number]} Era */
/** @typedef {'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO'} CheckStatus */
/** @typedef {{ id: string, name?: string, description?: string, status: CheckStatus, errorMessage?: string }} Check */
/** @typedef {'pack' | 'core' | 'composer' | 'suite'} Cause */
/** @typedef {{ era: Era, scenario: string, check?: string, cause: Cause, reason: string }} ExpectedFailure */
/**
 * @typedef {object} ScenarioRun
 * @property {Era} era
 * @property {string} scenario
 * @property {Check[]} checks
 * @property {boolean} [skipped] the suite found the scenario not applicable and ran nothing
 * @property {number} [durationMs]
 */
/**
 * @typedef {object} Verdict
 * @property {Era} era
 * @property {string} scenario
 * @property {'pass' | 'warn' | 'fail' | 'skipped'} outcome
 * @property {{ success: number, failure: number, warning: number }} counts
 * @property {'expected' | 'unexpected' | 'stale' | null} baseline null: passed and not listed
 * @property {Check[]} failing the checks that count as failing (FAILURE; WARNING too with --strict)
 * @property {string[]} unexpected ids of failing checks the baseline does not excuse (or the scenario's name)
 * @property {string[]} stale baseline entries (scenario or scenario:check) that no longer fail
 * @property {ExpectedFailure[]} entries the baseline entries for this scenario
 */

export const CAUSES = /** @type {const} */ (['pack', 'core', 'composer', 'suite']);

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const exampleDir = join(root, 'examples', 'conformance-pack');
const requireFromExample = createRequire(join(exampleDir, 'package.json'));

// ---------------------------------------------------------------------------------------------------------------
// Pure parts: the expected-failures file, the verdicts, the summary. Exported for the tests beside the example.
// ---------------------------------------------------------------------------------------------------------------

/** True for an era the suite can run. @param {unknown} value @returns {value is Era} */
export function isEra(value) {
  return typeof value === 'string' && /** @type {readonly string[]} */ (ERAS).includes(value);
}

/**
 * Parse the expected-failures file: per era, a list of `{ scenario, check?, cause, reason }`. Throws an Error
 * naming every problem (unknown era or cause, missing reason, duplicates, a scenario listed whole and per check).
 *
 * @param {string} text YAML
 * @param {string} [source] the file name, for messages
 * @returns {ExpectedFailure[]}
 */
export function parseExpectedFailures(text, source = 'expected-failures') {
  const { parse } = requireFromExample('yaml');
  const document = parse(text) ?? {};
  const problems = [];
  /** @type {ExpectedFailure[]} */
  const entries = [];
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new Error(`${source}: expected a mapping of era to a list of entries.`);
  }
  for (const [era, list] of Object.entries(document)) {
    if (!isEra(era)) {
      problems.push(`"${era}" is not an era; the eras are ${ERAS.join(', ')}`);
      continue;
    }
    if (list === null) continue;
    if (!Array.isArray(list)) {
      problems.push(`${era}: expected a list of entries`);
      continue;
    }
    list.forEach((item, index) => {
      const at = `${era}[${index}]`;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        problems.push(`${at}: expected { scenario, cause, reason }, got ${JSON.stringify(item)}`);
        return;
      }
      const { scenario, check, cause, reason, ...extra } = item;
      if (typeof scenario !== 'string' || scenario === '') problems.push(`${at}: "scenario" must name a scenario`);
      if (check !== undefined && (typeof check !== 'string' || check === '')) {
        problems.push(`${at}: "check" must be a check id (or be left out for the whole scenario)`);
      }
      if (!CAUSES.includes(cause)) problems.push(`${at}: "cause" must be one of ${CAUSES.join(', ')}`);
      if (typeof reason !== 'string' || reason.trim() === '') problems.push(`${at}: "reason" must say why it fails`);
      for (const key of Object.keys(extra)) problems.push(`${at}: unknown key "${key}"`);
      if (typeof scenario === 'string' && CAUSES.includes(cause) && typeof reason === 'string') {
        entries.push({ era, scenario, ...(typeof check === 'string' ? { check } : {}), cause, reason: reason.trim() });
      }
    });
  }
  const seen = new Set();
  for (const entry of entries) {
    const key = `${entry.era} ${entry.scenario}${entry.check ? `:${entry.check}` : ''}`;
    if (seen.has(key)) problems.push(`${key} is listed twice`);
    seen.add(key);
  }
  for (const entry of entries) {
    if (entry.check && seen.has(`${entry.era} ${entry.scenario}`)) {
      problems.push(`${entry.era} ${entry.scenario} is listed whole and for check "${entry.check}"; keep one`);
    }
  }
  if (problems.length > 0) throw new Error(`${source}:\n  ${problems.join('\n  ')}`);
  return entries;
}

/**
 * Judge one scenario run against the expected failures, with the suite's own rules: a listed failure is expected,
 * an unlisted one is unexpected, a listed one that passes is stale. A per-check entry excuses that check only; a
 * listed check that is absent or skipped is tolerated (a scenario that stops early never reaches it). An entry is
 * stale only when what it excuses passes outright, so a file that also lists the suite's warnings serves --strict
 * runs and ordinary ones alike.
 *
 * @param {ScenarioRun} run
 * @param {readonly ExpectedFailure[]} expected
 * @param {{ strict?: boolean }} [options]
 * @returns {Verdict}
 */
export function judge(run, expected, options = {}) {
  const failingStatus = new Set(options.strict ? ['FAILURE', 'WARNING'] : ['FAILURE']);
  const counts = { success: 0, failure: 0, warning: 0 };
  for (const check of run.checks) {
    if (check.status === 'SUCCESS') counts.success++;
    else if (check.status === 'FAILURE') counts.failure++;
    else if (check.status === 'WARNING') counts.warning++;
  }
  // One verdict per check id, the most severe first (ids repeat in a scenario that loops or retries).
  /** @type {Map<string, Check>} */
  const byId = new Map();
  const severity = { FAILURE: 4, WARNING: 3, SUCCESS: 2, INFO: 1, SKIPPED: 0 };
  for (const check of run.checks) {
    const known = byId.get(check.id);
    if (!known || (severity[check.status] ?? 0) > (severity[known.status] ?? 0)) byId.set(check.id, check);
  }
  const failing = [...byId.values()].filter((check) => failingStatus.has(check.status));
  const outcome = run.skipped ? 'skipped' : failing.length > 0 ? 'fail' : counts.warning > 0 ? 'warn' : 'pass';
  const entries = expected.filter((entry) => entry.era === run.era && entry.scenario === run.scenario);
  const whole = entries.find((entry) => entry.check === undefined);
  /** @type {string[]} */
  let unexpected = [];
  /** @type {string[]} */
  const stale = [];
  // An entry is stale once what it excuses passes outright; a failure that is now only a warning still stands.
  if (whole) {
    if (outcome === 'pass') stale.push(run.scenario);
  } else {
    const excused = new Set(entries.map((entry) => entry.check));
    unexpected = failing.filter((check) => !excused.has(check.id)).map((check) => check.id);
    for (const entry of entries) {
      const check = byId.get(/** @type {string} */ (entry.check));
      if (check && (check.status === 'SUCCESS' || check.status === 'INFO'))
        stale.push(`${run.scenario}:${entry.check}`);
    }
  }
  const baseline =
    unexpected.length > 0 ? 'unexpected' : stale.length > 0 ? 'stale' : failing.length > 0 ? 'expected' : null;
  return { era: run.era, scenario: run.scenario, outcome, counts, baseline, failing, unexpected, stale, entries };
}

/**
 * Baseline entries for scenarios that were not run although the whole era was: a typo, or a scenario the suite no
 * longer has. Each is a problem (the run fails), so the file cannot rot.
 *
 * @param {readonly ExpectedFailure[]} expected
 * @param {readonly ScenarioRun[]} runs
 * @param {readonly Era[]} wholeEras eras run in full (no --scenario filter)
 * @returns {string[]}
 */
export function unmatchedEntries(expected, runs, wholeEras) {
  const ran = new Set(runs.map((run) => `${run.era} ${run.scenario}`));
  const missing = expected
    .filter((entry) => wholeEras.includes(entry.era) && !ran.has(`${entry.era} ${entry.scenario}`))
    .map((entry) => `${entry.era} ${entry.scenario}`);
  return [...new Set(missing)].map(
    (key) => `${key}: listed in the expected failures, but the suite has no such scenario`,
  );
}

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

/**
 * The summary table: one line per scenario and era, then the totals per era.
 *
 * @param {readonly Verdict[]} verdicts
 * @param {(era: Era, scenario: string) => string} [requirement] how the suite's requirement set scores it
 * @returns {string}
 */
export function formatSummary(verdicts, requirement = () => '') {
  const label = { pass: 'pass', warn: 'pass (warn)', fail: 'FAIL', skipped: 'skipped' };
  const rows = verdicts.map((verdict) => {
    const { success, failure, warning } = verdict.counts;
    const causes = [...new Set(verdict.entries.map((entry) => entry.cause))].join(', ');
    const baseline =
      verdict.baseline === 'expected'
        ? `expected (${causes})`
        : verdict.baseline === 'unexpected'
          ? `UNEXPECTED: ${verdict.unexpected.join(', ')}`
          : verdict.baseline === 'stale'
            ? `STALE entry, now passes: ${verdict.stale.join(', ')}`
            : '';
    return [
      verdict.era,
      verdict.scenario,
      requirement(verdict.era, verdict.scenario),
      label[verdict.outcome],
      `${success}/${failure}/${warning}`,
      baseline,
    ];
  });
  const header = ['era', 'scenario', 'scored', 'result', 'ok/fail/warn', 'vs expected failures'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (column === header.length - 1 ? 0 : String(row[column]).length))),
  );
  const line = (/** @type {string[]} */ cells) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  const totals = ERAS.filter((era) => verdicts.some((verdict) => verdict.era === era)).map((era) => {
    const mine = verdicts.filter((verdict) => verdict.era === era);
    const count = (/** @type {(v: Verdict) => boolean} */ test) => mine.filter(test).length;
    return (
      `${era}: ${mine.length} scenarios, ${count((v) => v.outcome === 'pass' || v.outcome === 'warn')} pass ` +
      `(${count((v) => v.outcome === 'warn')} with warnings), ${count((v) => v.outcome === 'fail')} fail ` +
      `(${count((v) => v.baseline === 'expected')} expected, ${count((v) => v.baseline === 'unexpected')} unexpected)` +
      `, ${count((v) => v.baseline === 'stale')} stale, ${count((v) => v.outcome === 'skipped')} skipped`
    );
  });
  return [line(header), ...rows.map(line), '', ...totals].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// The run: the suite, the composer, the proxy.
// ---------------------------------------------------------------------------------------------------------------

const USAGE = `Usage: node scripts/conformance.mjs --era 2025-11-25|2026-07-28|all [options]

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

class UsageError extends Error {}

/**
 * @param {string[]} argv
 */
function parseOptions(argv) {
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

/** The suite as the example package installed it: its bin script, version and requirement sets. */
function locateSuite() {
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
 * Start the composer on a free loopback port with the example's config and a token made for this run; resolve
 * once it says where it serves and `/health` answers.
 *
 * @param {string} logFile where the composer's stderr goes
 */
async function startComposer(logFile) {
  const cli = join(root, 'apps', 'server', 'dist', 'cli.js');
  const config = join(exampleDir, 'mcp-packs.config.json');
  /** @type {[string, string][]} */
  const built = [
    [cli, 'the composer (apps/server/dist)'],
    [join(exampleDir, 'dist', 'index.js'), 'the conformance pack (examples/conformance-pack/dist)'],
  ];
  for (const [file, what] of built) {
    if (!existsSync(file)) throw new UsageError(`${what} is not built; run \`pnpm build\` first.`);
  }
  const token = randomBytes(32).toString('base64url');
  const args = [cli, '--config', config, '--http', '--host', '127.0.0.1', '--port', '0'];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, MCP_PACKS_TOKEN: token },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  /** @type {string} */
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`the composer did not start within 30 s:\n${log}`)), 30_000);
    child.stderr?.on('data', (chunk) => {
      log += chunk;
      writeFileSync(logFile, log);
      const match = / on (http:\/\/\S+\/mcp)\b/.exec(log);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the composer exited (${signal ?? code}) before serving:\n${log}`));
    });
  });
  const health = await fetch(new URL('/health', url));
  if (!health.ok) throw new Error(`the composer serves ${url}, but /health answered ${health.status}`);
  return {
    url,
    token,
    command: [
      'node',
      relative(root, cli),
      ...args.slice(1).map((arg) => (arg === config ? relative(root, config) : arg)),
    ],
    /** Stop it: SIGTERM (a graceful shutdown), SIGKILL after 10 s. */
    stop: () =>
      new Promise((resolveStop) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolveStop(undefined);
          return;
        }
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolveStop(undefined);
        });
        child.kill('SIGTERM');
      }),
    /** Last resort when the runner itself is exiting. */
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/**
 * A loopback HTTP proxy to `target` that adds `Authorization: Bearer <token>` to requests that carry none. Methods,
 * paths, bodies, every other header (Host and Origin included) and streamed responses pass through as they are.
 *
 * @param {string} target the composer's MCP URL
 * @param {string} token
 */
async function startProxy(target, token) {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const headers = { ...req.headers };
    delete headers.connection;
    delete headers['keep-alive'];
    headers.authorization ??= `Bearer ${token}`;
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`conformance proxy: ${error.message}`);
    });
    // A client that goes away (an SSE stream it closed) takes its upstream request with it.
    res.on('close', () => forward.destroy());
    req.pipe(forward);
  });
  await new Promise((resolveListen) => server.listen(0, '127.0.0.1', () => resolveListen(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${address.port}${upstream.pathname}`,
    stop: () =>
      new Promise((resolveStop) => {
        server.close(() => resolveStop(undefined));
        server.closeAllConnections();
      }),
  };
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
          onChild: (child) => {
            current = child;
          },
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
  } finally {
    await stopAll();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const verdicts = runs.map((one) => judge(one, expected, options));
  const problems = unmatchedEntries(expected, runs, options.scenarios.length > 0 ? [] : options.eras);
  const scored = (/** @type {Era} */ era, /** @type {string} */ scenario) => {
    const how = suite.scoring.get(`${era} ${scenario}`);
    return how === 'required' ? 'yes' : how ? 'no' : 'no (not in set)';
  };
  console.log(`\n${formatSummary(verdicts, scored)}`);
  const bad = verdicts.filter((verdict) => verdict.baseline === 'unexpected' || verdict.baseline === 'stale');
  for (const verdict of bad) {
    console.log(`\n${verdict.era} ${verdict.scenario}:`);
    if (verdict.stale.length > 0) {
      console.log(`  passes now; remove from ${relative(root, options.expectedFailures)}: ${verdict.stale.join(', ')}`);
    }
    for (const check of verdict.failing.filter((c) => verdict.unexpected.includes(c.id))) {
      console.log(`  ${check.status} ${check.id}: ${check.errorMessage ?? check.description ?? ''}`);
    }
  }
  for (const problem of problems) console.log(`\n${problem}`);

  const ok = bad.length === 0 && problems.length === 0;
  const document = {
    suite: { name: '@modelcontextprotocol/conformance', version: suite.version },
    server: { command: composer?.command, proxied: !options.direct },
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    eras: options.eras,
    strict: options.strict,
    expectedFailures: relative(root, options.expectedFailures),
    ok,
    problems,
    scenarios: verdicts.map((verdict, index) => ({
      era: verdict.era,
      scenario: verdict.scenario,
      scored: suite.scoring.get(`${verdict.era} ${verdict.scenario}`) ?? null,
      outcome: verdict.outcome,
      counts: verdict.counts,
      baseline: verdict.baseline,
      unexpected: verdict.unexpected,
      stale: verdict.stale,
      expected: verdict.entries.map(({ check, cause, reason }) => ({ ...(check ? { check } : {}), cause, reason })),
      failing: verdict.failing.map(({ id, status, description, errorMessage }) => ({
        id,
        status,
        description,
        errorMessage,
      })),
      durationMs: runs[index]?.durationMs,
    })),
  };
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`\nresults: ${relative(root, options.out)}; the suite's checks: ${relative(root, rawDir)}/`);
  return ok ? 0 : 1;
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
