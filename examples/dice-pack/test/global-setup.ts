/** Build core, the packs and the server (their own setup), then this pack: the server loads it from dist/. */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import buildServer from '../../../apps/server/test/global-setup.ts';

export default function setup(): void {
  buildServer();
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
}
