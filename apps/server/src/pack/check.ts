/**
 * `mcp-packs pack check`: what a pack's CI runs before publishing. It loads the pack as the composer would, runs
 * core's pack linter, mounts it through a real SDK client (a smoke test of setup and listing) and compares what
 * clients would see with the committed snapshot, naming the semver bump each difference needs.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AnyPack, checkPack, isConfigError, isPackError, type PackFinding } from '@mcp-packs/core';
import { type ListedSurface, listSurface } from '@mcp-packs/core/testing';
import { type LoadedPack, type LoadFailure, loadPack } from '../load-pack.js';
import type { PackCheckCommand } from './args.js';
import { type Bump, bumpOf, compareSurfaces, type SurfaceChange } from './compare.js';

/** Exit code: the check passed (warnings allowed). */
export const CHECK_OK = 0;
/** Exit code: the pack could not be loaded, or the command line is wrong. */
export const CHECK_UNUSABLE = 2;
/** Exit code: the pack loaded but failed the check. */
export const CHECK_FAILED = 3;

/** Where the snapshot lives in a pack's package unless `--snapshot` says otherwise (as our packs keep theirs). */
export const DEFAULT_SNAPSHOT = join('src', '__snapshots__', 'surface.json');

/** The report of one check, as `--json` prints it. */
export interface PackCheckReport {
  ok: boolean;
  exitCode: number;
  /** The pack's name, when it loaded. */
  pack?: string;
  /** The module it was loaded from. */
  module?: string;
  /** The npm package and version, when the module belongs to one. */
  package?: { name: string; version: string | undefined; root: string };
  /** Why the pack could not be loaded. */
  load?: LoadFailure;
  lint?: { errors: number; warnings: number; findings: PackFinding[] };
  mount?:
    | { ok: true; tools: number; prompts: number; resources: number; resourceTemplates: number; listBytes: number }
    | { ok: false; message: string; fix: string };
  surface?: {
    status: 'same' | 'differs' | 'updated' | 'written' | 'no-snapshot' | 'missing';
    snapshot: string;
    changes: SurfaceChange[];
    bump?: Bump;
    diff?: string;
  };
}

interface PackageInfo {
  name: string;
  version: string | undefined;
  root: string;
  json: Record<string, unknown>;
}

function readPackage(root: string): PackageInfo | undefined {
  try {
    const json = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    if (typeof json.name !== 'string') return undefined;
    return { name: json.name, version: typeof json.version === 'string' ? json.version : undefined, root, json };
  } catch {
    return undefined;
  }
}

/** The package that holds `file`: the nearest package.json with a name on the way up. */
function owningPackage(file: string): PackageInfo | undefined {
  let directory = dirname(file);
  for (;;) {
    const info = existsSync(join(directory, 'package.json')) ? readPackage(directory) : undefined;
    if (info) return info;
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}

function looksLikePath(target: string, cwd: string): boolean {
  return /^(?:\.{1,2}(?:[\\/]|$)|[\\/]|~(?:\/|$))/.test(target) || existsSync(resolve(cwd, target));
}

/** Load the pack `target` names: a module file, a package folder, or a package installed where `cwd` is. */
async function loadTarget(
  target: string,
  cwd: string,
): Promise<{ ok: true; loaded: LoadedPack; info: PackageInfo | undefined } | { ok: false; failure: LoadFailure }> {
  if (!looksLikePath(target, cwd)) {
    const result = await loadPack({ kind: 'package', name: target }, [cwd]);
    if (!result.ok) return result;
    return { ...result, info: owningPackage(fileURLToPath(result.loaded.url)) };
  }
  const path = resolve(cwd, expandHome(target));
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    const result = await loadPack({ kind: 'path', path }, [cwd]);
    if (!result.ok) return result;
    return { ...result, info: owningPackage(path) };
  }
  const info = readPackage(path);
  if (!info) {
    return {
      ok: false,
      failure: {
        missing: true,
        message: `${path} has no package.json with a name.`,
        fix: 'name the pack\'s module file instead (e.g. dist/index.js), or run "npm init" in the folder.',
      },
    };
  }
  // A package with "exports" resolves its own name from inside itself, as a user's import would.
  if (info.json.exports !== undefined) {
    const result = await loadPack({ kind: 'package', name: info.name }, [path]);
    return result.ok ? { ...result, info } : result;
  }
  const main = typeof info.json.main === 'string' ? info.json.main : 'index.js';
  const result = await loadPack({ kind: 'path', path: resolve(path, main) }, [path]);
  return result.ok ? { ...result, info } : result;
}

function readPackConfig(option: string | undefined, cwd: string): Record<string, unknown> {
  if (option === undefined) return {};
  const text = option.trimStart().startsWith('{') ? option : readFileSync(resolve(cwd, expandHome(option)), 'utf8');
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('--pack-config must be a JSON object (inline, or the path of a .json file).');
  }
  return value as Record<string, unknown>;
}

/** Mount `pack` through a real client and list what it serves. */
async function smokeMount(
  pack: AnyPack,
  config: Record<string, unknown>,
): Promise<{ ok: true; surface: ListedSurface } | { ok: false; message: string; fix: string }> {
  try {
    return { ok: true, surface: await listSurface(pack, { config }) };
  } catch (error) {
    if (isConfigError(error)) {
      return {
        ok: false,
        message: `the pack refused the config: ${error.issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')}.`,
        fix: 'pass the config the pack needs with --pack-config \'{"key": "value"}\' (or a .json file).',
      };
    }
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      message: `mounting failed: ${message}`,
      fix: isPackError(error)
        ? 'fix the pack definition as the message says.'
        : "the pack's setup threw; run its tests, or check that --pack-config gives it what it needs.",
    };
  }
}

/** The snapshot's text for a surface: the same stable JSON `surfaceSnapshot` writes in a pack's own tests. */
function snapshotText(surface: ListedSurface): string {
  return `${JSON.stringify(surface, null, 2)}\n`;
}

async function unifiedDiff(file: string, before: string, after: string): Promise<string> {
  const { createTwoFilesPatch } = await import('diff');
  return createTwoFilesPatch(`${file} (committed)`, `${file} (now)`, before, after, undefined, undefined, {
    context: 3,
  });
}

/** Run `pack check` and report; nothing is written unless `--update`. */
export async function checkPackCommand(
  command: PackCheckCommand,
  cwd: string = process.cwd(),
): Promise<PackCheckReport> {
  const loaded = await loadTarget(command.target, cwd);
  if (!loaded.ok) return { ok: false, exitCode: CHECK_UNUSABLE, load: loaded.failure };
  const { pack, url } = loaded.loaded;
  const info = loaded.info;
  const report: PackCheckReport = {
    ok: true,
    exitCode: CHECK_OK,
    pack: pack.name,
    module: url.startsWith('file:') ? fileURLToPath(url) : url,
    ...(info ? { package: { name: info.name, version: info.version, root: info.root } } : {}),
  };

  const findings = checkPack(pack);
  const errors = findings.filter((finding) => finding.level === 'error').length;
  report.lint = { errors, warnings: findings.length - errors, findings };

  let config: Record<string, unknown>;
  try {
    config = readPackConfig(command.packConfig, cwd);
  } catch (error) {
    return {
      ...report,
      ok: false,
      exitCode: CHECK_UNUSABLE,
      load: {
        missing: false,
        message: `cannot read --pack-config: ${(error as Error).message}`,
        fix: 'pass a JSON object.',
      },
    };
  }
  const mounted = await smokeMount(pack, config);
  if (!mounted.ok) {
    report.mount = mounted;
  } else {
    const { surface } = mounted;
    report.mount = {
      ok: true,
      tools: surface.tools.length,
      prompts: surface.prompts.length,
      resources: surface.resources.length,
      resourceTemplates: surface.resourceTemplates.length,
      listBytes: Buffer.byteLength(JSON.stringify({ tools: surface.tools })),
    };
    const explicit = command.snapshot !== undefined;
    const snapshot = explicit
      ? resolve(cwd, expandHome(command.snapshot as string))
      : info
        ? join(info.root, DEFAULT_SNAPSHOT)
        : undefined;
    if (snapshot !== undefined) report.surface = await compareWithSnapshot(surface, snapshot, command.update, explicit);
  }

  const failed =
    errors > 0 ||
    report.mount?.ok === false ||
    report.surface?.status === 'differs' ||
    report.surface?.status === 'missing';
  return { ...report, ok: !failed, exitCode: failed ? CHECK_FAILED : CHECK_OK };
}

async function compareWithSnapshot(
  surface: ListedSurface,
  snapshot: string,
  update: boolean,
  explicit: boolean,
): Promise<NonNullable<PackCheckReport['surface']>> {
  const now = snapshotText(surface);
  if (!existsSync(snapshot)) {
    if (update) {
      mkdirSync(dirname(snapshot), { recursive: true });
      writeFileSync(snapshot, now);
      return { status: 'written', snapshot, changes: [] };
    }
    return { status: explicit ? 'missing' : 'no-snapshot', snapshot, changes: [] };
  }
  const before = readFileSync(snapshot, 'utf8');
  if (before === now) return { status: 'same', snapshot, changes: [] };
  let committed: ListedSurface;
  try {
    committed = JSON.parse(before) as ListedSurface;
  } catch {
    committed = { tools: [], prompts: [], resources: [], resourceTemplates: [] };
  }
  const changes = compareSurfaces(committed, surface);
  const bump = bumpOf(changes);
  const diff = await unifiedDiff(relative(process.cwd(), snapshot) || snapshot, before, now);
  if (update) {
    writeFileSync(snapshot, now);
    return { status: 'updated', snapshot, changes, ...(bump ? { bump } : {}) };
  }
  return { status: 'differs', snapshot, changes, ...(bump ? { bump } : {}), diff };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** The report for a person. */
export function formatCheckReport(report: PackCheckReport): string {
  const lines: string[] = [];
  if (report.load && !report.pack) {
    lines.push(`pack check: cannot load the pack: ${report.load.message}`, `  fix: ${report.load.fix}`);
    return `${lines.join('\n')}\n`;
  }
  const from = report.package
    ? `${report.package.name}${report.package.version ? ` ${report.package.version}` : ''}`
    : report.module;
  lines.push(`pack check: "${report.pack}" from ${from}`);
  if (report.load) lines.push(`  ${report.load.message}`, `    fix: ${report.load.fix}`);
  if (report.lint) {
    const { errors, warnings, findings } = report.lint;
    lines.push(
      `  lint      ${errors === 0 ? 'ok' : 'FAILED'} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`,
    );
    for (const finding of findings) lines.push(`    ${finding.level} ${finding.where}: ${finding.message}`);
  }
  if (report.mount?.ok === true) {
    const m = report.mount;
    lines.push(
      `  mount     ok: ${plural(m.tools, 'tool')} (${m.listBytes} B of tools/list, ~${Math.ceil(m.listBytes / 4)} tokens), ${plural(m.prompts, 'prompt')}, ${plural(m.resources, 'resource')}, ${plural(m.resourceTemplates, 'resource template')}`,
    );
  } else if (report.mount) {
    lines.push(`  mount     FAILED: ${report.mount.message}`, `    fix: ${report.mount.fix}`);
  }
  const surface = report.surface;
  if (surface) {
    const at = relative(process.cwd(), surface.snapshot) || surface.snapshot;
    const label = {
      same: `same as ${at}`,
      differs: `DIFFERS from ${at}${surface.bump ? ` (needs a ${surface.bump} version)` : ''}`,
      updated: `updated ${at}${surface.bump ? ` (the changes need a ${surface.bump} version)` : ''}`,
      written: `written to ${at}`,
      'no-snapshot': `no snapshot at ${at}: run with --update to write one, and commit it`,
      missing: `MISSING: no snapshot at ${at}`,
    }[surface.status];
    lines.push(`  surface   ${label}`);
    for (const change of surface.changes) lines.push(`    ${change.bump.padEnd(5)} ${change.message}`);
    if (surface.diff) lines.push('', surface.diff.trimEnd(), '');
    if (surface.status === 'differs') {
      lines.push(
        '    if the change is meant: run with --update, commit the snapshot, and add a changeset of that size.',
      );
    }
  }
  lines.push(report.ok ? 'passed' : `FAILED (exit ${report.exitCode})`);
  return `${lines.join('\n')}\n`;
}
