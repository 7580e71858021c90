/**
 * `pnpm bench`: run every `src/*.bench.ts` (or those named on the command line, e.g. `pnpm bench core-overhead`)
 * one after another, each writing bench/results/<name>.json. Exits non-zero if a benchmark fails to run; a missed
 * target is reported (MISS) but does not fail the run, because absolute figures vary between machines.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2).filter((arg) => arg !== '--');
const files = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => wanted.length === 0 || wanted.includes(file.replace(/\.bench\.ts$/, '')))
  .sort();

if (files.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const file of files) {
  console.log(`\n== ${file}`);
  try {
    const module = (await import(pathToFileURL(join(here, file)).href)) as { default: () => Promise<void> };
    await module.default();
  } catch (error) {
    failed++;
    console.error(`benchmark ${file} failed:`, error);
  }
}
process.exit(failed === 0 ? 0 : 1);
