/** The pure parts of scripts/conformance.mjs: the expected-failures file, the verdicts, the scenario list. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ERAS,
  formatSummary,
  judge,
  parseExpectedFailures,
  parseScenarioList,
  unmatchedEntries,
} from '../../../scripts/conformance.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const committed = readFileSync(join(here, '..', 'expected-failures.yml'), 'utf8');

const check = (id: string, status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO') => ({ id, status });

describe('the expected-failures file', () => {
  it('parses the committed file: every entry has an era, a cause and a reason', () => {
    const entries = parseExpectedFailures(committed);
    expect(entries.length).toBeGreaterThan(10);
    for (const entry of entries) {
      expect(ERAS).toContain(entry.era);
      expect(entry.reason.length).toBeGreaterThan(20);
    }
  });

  it('names only scenarios the installed suite runs in that era', () => {
    const manifest = createRequire(join(here, '..', 'package.json')).resolve(
      '@modelcontextprotocol/conformance/package.json',
    );
    const bin = join(dirname(manifest), 'dist', 'index.js');
    const entries = parseExpectedFailures(committed);
    for (const era of ERAS) {
      const listed = parseScenarioList(
        execFileSync(process.execPath, [bin, 'list', '--server', '--spec-version', era], { encoding: 'utf8' }),
      );
      expect(listed.length).toBeGreaterThan(20);
      const runs = listed.map((scenario) => ({ era, scenario, checks: [] }));
      expect(unmatchedEntries(entries, runs, [era])).toEqual([]);
    }
  });

  it('refuses unknown eras and causes, missing reasons, duplicates and contradictions, naming each', () => {
    const bad = `
2025-11-25:
  - scenario: a
    cause: core
  - scenario: b
    cause: nobody
    reason: because
  - scenario: c
    cause: core
    reason: one
  - scenario: c
    check: x
    cause: core
    reason: two
  - scenario: d
    cause: pack
    reason: once
  - scenario: d
    cause: pack
    reason: twice
  - scenario: e
    cause: pack
    reason: ok
    why: extra
2024-01-01:
  - scenario: f
    cause: core
    reason: old
`;
    expect(() => parseExpectedFailures(bad, 'bad.yml')).toThrowError(
      new RegExp(
        [
          '2025-11-25\\[0\\]: "reason" must say why',
          '2025-11-25\\[1\\]: "cause" must be one of pack, core, composer, suite',
          '2025-11-25\\[6\\]: unknown key "why"',
          '"2024-01-01" is not an era',
          '2025-11-25 d is listed twice',
          '2025-11-25 c is listed whole and for check "x"',
        ].join('[\\s\\S]*'),
      ),
    );
  });
});

describe('judge', () => {
  const expected = parseExpectedFailures(`
2025-11-25:
  - scenario: whole
    cause: core
    reason: the whole scenario fails
  - scenario: partly
    check: known
    cause: composer
    reason: one check fails
  - scenario: partly
    check: hint
    cause: composer
    reason: a SHOULD the composer misses
`);
  const era = '2025-11-25' as const;

  it('passes a scenario without failures, and notes warnings', () => {
    expect(judge({ era, scenario: 'other', checks: [check('a', 'SUCCESS')] }, expected)).toMatchObject({
      outcome: 'pass',
      baseline: null,
    });
    expect(
      judge({ era, scenario: 'other', checks: [check('a', 'SUCCESS'), check('b', 'WARNING')] }, expected),
    ).toMatchObject({ outcome: 'warn', baseline: null, counts: { success: 1, failure: 0, warning: 1 } });
  });

  it('calls an unlisted failure unexpected, and a listed one expected', () => {
    expect(judge({ era, scenario: 'other', checks: [check('a', 'FAILURE')] }, expected)).toMatchObject({
      outcome: 'fail',
      baseline: 'unexpected',
      unexpected: ['a'],
    });
    expect(judge({ era, scenario: 'whole', checks: [check('a', 'FAILURE')] }, expected)).toMatchObject({
      outcome: 'fail',
      baseline: 'expected',
    });
    // The era matters: the same scenario in the other era is not excused.
    expect(judge({ era: '2026-07-28', scenario: 'whole', checks: [check('a', 'FAILURE')] }, expected).baseline).toBe(
      'unexpected',
    );
  });

  it('calls a listed scenario that passes stale', () => {
    expect(judge({ era, scenario: 'whole', checks: [check('a', 'SUCCESS')] }, expected)).toMatchObject({
      baseline: 'stale',
      stale: ['whole'],
    });
  });

  it('excuses a listed check only, and tolerates it absent', () => {
    const failing = judge(
      { era, scenario: 'partly', checks: [check('known', 'FAILURE'), check('new', 'FAILURE')] },
      expected,
    );
    expect(failing).toMatchObject({ baseline: 'unexpected', unexpected: ['new'] });
    const expectedOnly = judge({ era, scenario: 'partly', checks: [check('known', 'FAILURE')] }, expected);
    expect(expectedOnly).toMatchObject({ baseline: 'expected', unexpected: [], stale: [] });
    const fixed = judge({ era, scenario: 'partly', checks: [check('known', 'SUCCESS')] }, expected);
    expect(fixed).toMatchObject({ baseline: 'stale', stale: ['partly:known'] });
  });

  it('judges a repeated check id by its worst occurrence', () => {
    const repeated = judge(
      { era, scenario: 'partly', checks: [check('known', 'SUCCESS'), check('known', 'FAILURE')] },
      expected,
    );
    expect(repeated).toMatchObject({ baseline: 'expected', stale: [] });
  });

  it('counts warnings as failures with strict, and keeps a listed warning from going stale either way', () => {
    const run = { era, scenario: 'partly', checks: [check('known', 'FAILURE'), check('hint', 'WARNING')] };
    expect(judge(run, expected)).toMatchObject({ outcome: 'fail', baseline: 'expected', stale: [] });
    expect(judge(run, expected, { strict: true })).toMatchObject({ outcome: 'fail', baseline: 'expected' });
    const unlisted = { era, scenario: 'other', checks: [check('hint', 'WARNING')] };
    expect(judge(unlisted, expected, { strict: true })).toMatchObject({ outcome: 'fail', baseline: 'unexpected' });
  });

  it('leaves a skipped scenario alone', () => {
    expect(judge({ era, scenario: 'whole', checks: [], skipped: true }, expected)).toMatchObject({
      outcome: 'skipped',
      baseline: null,
    });
  });

  it('reports entries for scenarios the suite did not run, when the whole era ran', () => {
    const runs = [{ era, scenario: 'whole', checks: [] }];
    expect(unmatchedEntries(expected, runs, [era])).toEqual([
      '2025-11-25 partly: listed in the expected failures, but the suite has no such scenario',
    ]);
    expect(unmatchedEntries(expected, runs, [])).toEqual([]);
  });

  it('prints one row per scenario and the totals of each era', () => {
    const verdicts = [
      judge({ era, scenario: 'whole', checks: [check('a', 'FAILURE')] }, expected),
      judge({ era, scenario: 'other', checks: [check('a', 'SUCCESS')] }, expected),
    ];
    const table = formatSummary(verdicts, () => 'yes');
    expect(table).toMatch(/^era\s+scenario\s+scored\s+result/);
    expect(table).toMatch(/2025-11-25\s+whole\s+yes\s+FAIL\s+0\/1\/0\s+expected \(core\)/);
    expect(table).toMatch(/2025-11-25\s+other\s+yes\s+pass\s+1\/0\/0$/m);
    expect(table).toContain('2025-11-25: 2 scenarios, 1 pass (0 with warnings), 1 fail (1 expected, 0 unexpected)');
  });
});

describe('parseScenarioList', () => {
  it('reads the server scenarios of `conformance list`', () => {
    const output = [
      'Server scenarios (test against a server):',
      '  - server-initialize [2025-06-18,2025-11-25]',
      '  - tools-list [2025-06-18,2025-11-25,2026-07-28]',
      '',
      'Client scenarios (test against a client):',
      '  - initialize [2025-06-18]',
    ].join('\n');
    expect(parseScenarioList(output)).toEqual(['server-initialize', 'tools-list']);
  });
});
