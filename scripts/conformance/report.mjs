/**
 * The report of scripts/conformance.mjs: the summary table on stdout, the details of every unexpected or stale
 * result, and the JSON results file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { ERAS, judge, unmatchedEntries } from './expected.mjs';
import { root } from './paths.mjs';

/** @typedef {import('./expected.mjs').Era} Era */
/** @typedef {import('./expected.mjs').ExpectedFailure} ExpectedFailure */
/** @typedef {import('./expected.mjs').ScenarioRun} ScenarioRun */
/** @typedef {import('./expected.mjs').Verdict} Verdict */

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

/**
 * Judge the runs, print the summary and every problem, and write the JSON results to `options.out`.
 *
 * @param {object} context
 * @param {ReturnType<typeof import('./suite.mjs').locateSuite>} context.suite
 * @param {NonNullable<ReturnType<typeof import('./options.mjs').parseOptions>>} context.options
 * @param {readonly ExpectedFailure[]} context.expected
 * @param {readonly ScenarioRun[]} context.runs
 * @param {{ command: string[] } | undefined} context.composer
 * @param {Date} context.startedAt
 * @param {string} context.rawDir where the suite's own checks went
 * @returns {0 | 1} the exit code: 0 all as expected
 */
export function report({ suite, options, expected, runs, composer, startedAt, rawDir }) {
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
