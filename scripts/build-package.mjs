#!/usr/bin/env node
/**
 * Build the package in the current directory: type declarations with `tsc`, JavaScript as an esbuild bundle.
 *
 *   node ../../scripts/build-package.mjs [extra entry ...] [--listing] [--outdir=DIR --no-types]
 *
 * `--listing` (packs): also write `dist/listing.json`, the JSON Schema of every tool's input and output worked out
 * from the built pack (`packListing` of @mcp-packs/core/host). A server that loads the pack primes core with it
 * (`primeListing`) instead of converting each zod schema at start, the largest part of mounting a pack. Built in
 * the same step as the bundle, it cannot go stale; a schema that cannot be listed fails the build.
 * `--outdir` and `--no-types` are for tests that build a scratch copy (the JavaScript only) somewhere else.
 *
 * Why a bundle: a server that mounts five packs loaded ~160 of our own module files at start, and Node's per-module
 * cost (resolve, read, link; the compile cache only saves the compile) made up most of the gap to a one-pack
 * server. Bundled, each package is a handful of files. esbuild, because it is the well-kept bundler already in the
 * tree (through tsx and vite), it keeps dynamic `import()` as lazily loaded chunks, and it needs no TypeScript
 * compiler API (declarations stay with `tsc`, which also type-checks them).
 *
 * The layout every package relies on (code that builds a file URL from `import.meta.url` depends on it):
 * - entries are the `default` targets of package.json `exports` and `bin`, mapped to their sources through the
 *   `@mcp-packs/source` condition (or `src/<same path>.ts`), plus the extra entries named on the command line
 *   (worker files), each at `dist/<path under src>.js`;
 * - all other code (shared and lazily imported chunks) sits flat in `dist/` itself, so from bundled code that is
 *   not a worker entry `new URL('./x.js', import.meta.url)` is `dist/x.js`;
 * - dependencies are never bundled (`packages: 'external'`): they stay the package's own dependencies.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const cwd = process.cwd();
const args = process.argv.slice(2);
const outdir = args.find((arg) => arg.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';
const types = !args.includes('--no-types');
const listing = args.includes('--listing');
const extraEntries = args.filter((arg) => !arg.startsWith('--'));
const manifest = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
/** Resolves as the package itself would (its own devDependencies: typescript, @mcp-packs/core). */
const require = createRequire(join(cwd, 'package.json'));

/** `./dist/a/b.js` → `src/a/b.ts` (the source condition when the export names one). */
function sourceOf(target, sourceCondition) {
  if (typeof sourceCondition === 'string') return sourceCondition.replace(/^\.\//, '');
  const match = /^\.\/dist\/(.+)\.js$/.exec(target);
  if (!match) throw new Error(`build-package: cannot map ${target} to a source file`);
  return `src/${match[1]}.ts`;
}

function entries() {
  const found = new Set();
  for (const value of Object.values(manifest.exports ?? {})) {
    if (typeof value !== 'object' || value === null || typeof value.default !== 'string') continue;
    if (!value.default.endsWith('.js')) continue;
    found.add(sourceOf(value.default, value['@mcp-packs/source']));
  }
  const bin = typeof manifest.bin === 'string' ? { [manifest.name]: manifest.bin } : (manifest.bin ?? {});
  for (const target of Object.values(bin)) found.add(sourceOf(target, undefined));
  for (const extra of extraEntries) found.add(extra);
  for (const entry of found) {
    if (!existsSync(join(cwd, entry))) throw new Error(`build-package: entry ${entry} does not exist`);
  }
  return [...found];
}

/**
 * Node built-ins imported with a static `import` reach the code through `process.getBuiltinModule`, not through
 * Node's ESM wrapper of the built-in. Building that wrapper reads every export of the module, which runs its lazy
 * getters: `node:fs` loads `fs/promises` and the stream classes, `node:util` its diff engine (~4 ms at start
 * together, for exports nobody uses). Each imported name becomes a constant read from the CommonJS module once;
 * unused names are dropped (the reads are marked pure). Dynamic `import()` of a built-in is left as it is.
 */
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const builtins = {
  name: 'builtins-without-esm-wrapper',
  setup(bundler) {
    bundler.onResolve({ filter: /^node:/ }, (resolved) =>
      resolved.kind === 'import-statement'
        ? { path: resolved.path, namespace: 'node-builtin', sideEffects: false }
        : { path: resolved.path, external: true },
    );
    bundler.onLoad({ filter: /.*/, namespace: 'node-builtin' }, ({ path }) => {
      const names = Object.keys(require(path)).filter((name) => IDENTIFIER.test(name) && name !== 'default');
      const lines = [
        `const __builtin = /* @__PURE__ */ process.getBuiltinModule(${JSON.stringify(path)});`,
        'function __read(name) { return __builtin[name]; }',
        'export default __builtin;',
        ...names.map((name) => `export const ${name} = /* @__PURE__ */ __read(${JSON.stringify(name)});`),
      ];
      return { contents: lines.join('\n'), loader: 'js' };
    });
  },
};

const entryPoints = entries();
rmSync(resolve(cwd, outdir), { recursive: true, force: true });

if (types) {
  // Declarations (and the type check of the build config) first: a type error fails the build before bundling.
  const tsc = require.resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--emitDeclarationOnly'], { stdio: 'inherit' });
}

const result = await build({
  absWorkingDir: cwd,
  entryPoints,
  outdir,
  outbase: 'src',
  entryNames: '[dir]/[name]',
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  packages: 'external',
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  metafile: true,
  plugins: [builtins],
});

const outputs = Object.keys(result.metafile.outputs).filter((file) => file.endsWith('.js'));

// esbuild escapes non-ASCII text in code, but copies comments as written. One character above U+00FF anywhere makes
// V8 hold the whole file's source as two-byte text, twice the memory of every process that loads it: refuse it.
const wide = [];
for (const file of outputs) {
  const lines = readFileSync(resolve(cwd, file), 'utf8').split('\n');
  lines.forEach((line, index) => {
    const char = [...line].find((c) => c.codePointAt(0) > 0xff);
    if (char) wide.push(`${file}:${index + 1}: ${JSON.stringify(char)} in ${JSON.stringify(line.trim().slice(0, 80))}`);
  });
}
if (wide.length > 0) {
  throw new Error(
    `build-package: characters above U+00FF in comments of the bundle double its memory in V8; write them in ASCII (or as \\u escapes):\n${wide.join('\n')}`,
  );
}
process.stdout.write(
  `${manifest.name}: bundled ${entryPoints.join(', ')} into ${outputs.length} file(s) in ${outdir}/\n`,
);

if (listing) {
  const core = await import(pathToFileURL(require.resolve('@mcp-packs/core/host')).href);
  const built = await import(pathToFileURL(resolve(cwd, outdir, 'index.js')).href);
  const pack = [built.default, built.pack].find((candidate) => core.isPack(candidate));
  if (!pack) throw new Error(`build-package: --listing, but ${outdir}/index.js exports no pack`);
  const file = resolve(cwd, outdir, 'listing.json');
  writeFileSync(file, `${JSON.stringify(core.packListing(pack))}\n`);
  process.stdout.write(`${manifest.name}: wrote ${outdir}/listing.json (${Object.keys(pack.tools).length} tools)\n`);
}
