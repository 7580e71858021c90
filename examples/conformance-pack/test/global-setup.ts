/** Build the composer and this pack (turbo skips what is built): the end-to-end test runs both for real. */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  execFileSync(
    join(repo, 'node_modules', '.bin', 'turbo'),
    ['run', 'build', '--filter=example-conformance-pack...', '--output-logs=errors-only'],
    { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } },
  );
}
