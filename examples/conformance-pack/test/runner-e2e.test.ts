/** scripts/conformance.mjs for real: the built composer, the token-adding proxy and the suite, a few scenarios. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const runner = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'scripts', 'conformance.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'conformance-runner-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function runConformance(...args: string[]) {
  const done = spawnSync(process.execPath, [runner, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: done.status, stdout: done.stdout, stderr: done.stderr };
}

interface Results {
  ok: boolean;
  scenarios: { scenario: string; outcome: string; baseline: string | null; expected: { cause: string }[] }[];
}

const scenarios = ['--scenario', 'tools-call-simple-text', '--scenario', 'tools-call-sampling'];

describe('scripts/conformance.mjs', () => {
  it('runs the named scenarios in the 2025 era, judges them by the expected failures and stops the server', async () => {
    const out = join(scratch, 'baseline', 'results.json');
    const run = runConformance(
      '--era',
      '2025-11-25',
      ...scenarios,
      '--scenario',
      'dns-rebinding-protection',
      '--out',
      out,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const results = JSON.parse(readFileSync(out, 'utf8')) as Results;
    expect(results.ok).toBe(true);
    expect(results.scenarios.map(({ scenario, outcome, baseline }) => [scenario, outcome, baseline])).toEqual([
      ['tools-call-simple-text', 'pass', null],
      ['tools-call-sampling', 'fail', 'expected'],
      // Through the proxy: the composer itself refuses a foreign Host and serves 127.0.0.1.
      ['dns-rebinding-protection', 'pass', null],
    ]);
    expect(results.scenarios[1]?.expected).toEqual([expect.objectContaining({ cause: 'core' })]);
    expect(run.stdout).toMatch(/2025-11-25\s+tools-call-sampling\s+yes\s+FAIL\s+1\/1\/0\s+expected \(core\)/);
    const served = /against (http:\/\/127\.0\.0\.1:\d+)\/mcp/.exec(run.stdout)?.[1];
    expect(served).toBeDefined();
    await expect(fetch(`${served}/health`)).rejects.toThrow();
  });

  it('fails the run on a failure the file does not list', () => {
    const empty = join(scratch, 'empty.yml');
    writeFileSync(empty, '2025-11-25: []\n');
    const out = join(scratch, 'unlisted', 'results.json');
    const run = runConformance('--era', '2025-11-25', ...scenarios, '--expected-failures', empty, '--out', out);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('UNEXPECTED: tools-call-sampling');
    const results = JSON.parse(readFileSync(out, 'utf8')) as Results;
    expect(results.ok).toBe(false);
  });

  it('wants the era said', () => {
    const run = runConformance('--scenario', 'ping');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--era is required');
  });
});
