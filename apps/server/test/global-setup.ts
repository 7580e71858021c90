/**
 * Build @mcp-packs/server and every workspace package it depends on (core and the packs of the default config)
 * before the tests, which spawn `node dist/cli.js` as a real child process (`./scripts/test.sh` runs the tests
 * without a build step). Turbo skips what is already built.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  execFileSync(
    join(repo, 'node_modules', '.bin', 'turbo'),
    ['run', 'build', '--filter=@mcp-packs/server...', '--output-logs=errors-only'],
    { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } },
  );
}
