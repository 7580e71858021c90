/**
 * The eras, the expected-failures file and the verdicts of scripts/conformance.mjs: reading the file and judging
 * each scenario run against it. Pure; the tests beside the example import these through scripts/conformance.mjs.
 */
import { requireFromExample } from './paths.mjs';

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
