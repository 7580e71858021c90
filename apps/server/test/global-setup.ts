/**
 * Build @mcp-packs/core, our packs and @mcp-packs/server before the tests, which spawn `node dist/cli.js` as a real
 * child process and load the packs the default config names from their built entry points (`./scripts/test.sh`
 * runs the tests without a build step). Packs first build core; everything else only needs core.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const packages = join(root, '..', '..', 'packages');
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  const packs = readdirSync(packages).filter((name) => name !== 'core');
  for (const project of [join(packages, 'core'), ...packs.map((name) => join(packages, name)), root]) {
    execFileSync(process.execPath, [tsc, '-p', join(project, 'tsconfig.build.json')], { stdio: 'inherit' });
  }
}
