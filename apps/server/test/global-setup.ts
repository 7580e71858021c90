/**
 * Build @mcp-packs/core and @mcp-packs/server before the tests, which spawn `node dist/cli.js` as a real child
 * process (`./scripts/test.sh` runs the tests without a build step).
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  for (const project of [join(root, '..', '..', 'packages', 'core'), root]) {
    execFileSync(process.execPath, [tsc, '-p', join(project, 'tsconfig.build.json')], { stdio: 'inherit' });
  }
}
