#!/usr/bin/env node
// A change to any committed tools/list snapshot (packages/*/src/__snapshots__/surface.json) must come with a
// changeset of the right size for that package (see surface-changes.mjs). Compares against a base revision:
// --base REV, or $MCP_PACKS_BASE_REF (set it in pull-request CI). Without a base there is nothing to compare with,
// and the check says so and passes.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bumpCovers, bumpsFromChangesets, requiredBump } from './surface-changes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argBase = process.argv.indexOf('--base');
const base = argBase >= 0 ? process.argv[argBase + 1] : process.env.MCP_PACKS_BASE_REF;
if (!base) {
  process.stdout.write('surface changesets: no base revision (--base or MCP_PACKS_BASE_REF); nothing to compare.\n');
  process.exit(0);
}
const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const atBase = (path) => {
  try {
    return git('show', `${base}:${path}`);
  } catch {
    return undefined;
  }
};

// Changesets added since the base, committed or not.
const changed = new Set(
  [
    ...git('diff', '--name-only', '--diff-filter=A', base, '--', '.changeset').split('\n'),
    ...git('ls-files', '--others', '--exclude-standard', '--', '.changeset').split('\n'),
  ].filter((file) => file.endsWith('.md') && !file.endsWith('README.md')),
);
const bumps = bumpsFromChangesets(
  [...changed].filter((file) => existsSync(join(root, file))).map((file) => readFileSync(join(root, file), 'utf8')),
);

const problems = [];
for (const name of readdirSync(join(root, 'packages'))) {
  const path = `packages/${name}/src/__snapshots__/surface.json`;
  if (!existsSync(join(root, path))) continue;
  const before = atBase(path);
  if (before === undefined) continue; // a new package: its first changeset covers it
  const manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
  const { bump, reasons } = requiredBump(
    JSON.parse(before),
    JSON.parse(readFileSync(join(root, path), 'utf8')),
    manifest.version,
  );
  if (bump === 'none' || bumpCovers(bumps.get(manifest.name), bump)) continue;
  problems.push(
    `${manifest.name} needs a "${bump}" changeset (it has ${bumps.get(manifest.name) ?? 'none'}) because its tools/list changed:\n    - ${reasons.join('\n    - ')}`,
  );
}
if (problems.length > 0) {
  process.stderr.write(`surface changesets:\n  ${problems.join('\n  ')}\nRun \`pnpm changeset\` and pick that bump.\n`);
  process.exit(1);
}
process.stdout.write(`surface changesets: every tools/list change since ${base} has a changeset of the right size.\n`);
