/** Where scripts/conformance.mjs finds the repository, the conformance example and the example's dependencies. */
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const exampleDir = join(root, 'examples', 'conformance-pack');
export const requireFromExample = createRequire(join(exampleDir, 'package.json'));
