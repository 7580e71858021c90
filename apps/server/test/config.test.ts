// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${ENV} references are the data under test.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/default-config.ts';
import { loadConfigFile } from '../src/config/load.ts';
import { isPathLikeValue, resolvePackConfigPaths, userDataDir } from '../src/config/paths.ts';
import { ConfigProblemsError, formatPath, locate, parsePath } from '../src/config/problems.ts';
import { configJsonSchema } from '../src/config/schema.ts';
import { substituteDocument, substituteString } from '../src/config/substitute.ts';
import { REDACTED, redactConfig } from '../src/redact.ts';
import { ROOT, tempDir, writeConfig } from './helpers.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});
function dir(): string {
  const made = tempDir();
  cleanups.push(made.cleanup);
  return made.path;
}

function problemsOf(run: () => unknown): ConfigProblemsError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigProblemsError) return error;
    throw error;
  }
  throw new Error('expected a ConfigProblemsError');
}

describe('${ENV} substitution', () => {
  const env = { TOKEN: 'abc', EMPTY: '' };

  it('substitutes set variables and defaults, and keeps $${ literal', () => {
    expect(substituteString('Bearer ${TOKEN}', env)).toEqual({ value: 'Bearer abc', fromEnv: true, problems: [] });
    expect(substituteString('${MISSING:-fallback}', env).value).toBe('fallback');
    expect(substituteString('${EMPTY:-fallback}', env).value).toBe('fallback');
    expect(substituteString('${EMPTY-fallback}', env).value).toBe('');
    expect(substituteString('${MISSING-x}/y', env).value).toBe('x/y');
    expect(substituteString('$${TOKEN} costs $5', env)).toEqual({
      value: '${TOKEN} costs $5',
      fromEnv: false,
      problems: [],
    });
  });

  it('reports a missing variable, a bad name and an unclosed reference', () => {
    expect(substituteString('${MISSING}', env).problems).toEqual(['the environment variable MISSING is not set.']);
    expect(substituteString('${1BAD}', env).problems[0]).toContain('is not a valid reference');
    expect(substituteString('${TOKEN', env).problems[0]).toContain('without its closing }');
  });

  it('walks a document, remembering which strings came from the environment', () => {
    const result = substituteDocument(
      { $schema: '${NOT_TOUCHED}', packs: [{ use: 'x', config: { key: '${TOKEN}', list: ['${MISSING}'] } }] },
      env,
    );
    expect(result.value).toEqual({
      $schema: '${NOT_TOUCHED}',
      packs: [{ use: 'x', config: { key: 'abc', list: [''] } }],
    });
    expect([...result.fromEnv]).toEqual([[JSON.stringify(['packs', 0, 'config', 'key']), '${TOKEN}']]);
    expect(result.problems).toHaveLength(1);
    expect(formatPath(result.problems[0]?.path ?? [])).toBe('packs[0].config.list[0]');
  });
});

describe('paths', () => {
  it('treats ~, . and .. prefixes in pack config as paths, resolved against the config directory', () => {
    expect(['~', '~/x', '.', './a', '../b', '.\\c'].every(isPathLikeValue)).toBe(true);
    expect(['/abs', 'plain', '.hidden', '~user', 'https://x', '*.md'].some(isPathLikeValue)).toBe(false);
    expect(
      resolvePackConfigPaths({ roots: ['./data', '~/notes', '/abs', 'name'], nested: { dir: '..' }, n: 1 }, '/cfg/dir'),
    ).toEqual({
      roots: ['/cfg/dir/data', join(homedir(), 'notes'), '/abs', 'name'],
      nested: { dir: '/cfg' },
      n: 1,
    });
  });

  it('puts user data where each platform expects it', () => {
    expect(userDataDir({ XDG_DATA_HOME: '/xdg' }, 'linux', '/home/u')).toBe('/xdg/mcp-packs');
    expect(userDataDir({ XDG_DATA_HOME: 'relative' }, 'linux', '/home/u')).toBe('/home/u/.local/share/mcp-packs');
    expect(userDataDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/mcp-packs');
    expect(userDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toBe(
      'C:\\Users\\u\\AppData\\Roaming\\mcp-packs',
    );
  });
});

describe('the built-in default config', () => {
  it('names all five packs with safe defaults', () => {
    const { packs, warnings } = defaultConfig({ cwd: '/work/project', env: {}, platform: 'linux', home: '/home/u' });
    expect(warnings).toEqual([]);
    expect(packs).toEqual([
      { use: '@mcp-packs/math', prefix: 'math' },
      { use: '@mcp-packs/filesystem', prefix: 'fs', config: { roots: ['/work/project'], allowWrite: false } },
      { use: '@mcp-packs/sysinfo', prefix: 'sys' },
      { use: '@mcp-packs/web-fetch', prefix: 'web', config: { allowPrivateNetwork: false } },
      { use: '@mcp-packs/notes', prefix: 'notes', config: { directory: '/home/u/.local/share/mcp-packs/notes' } },
    ]);
  });

  it('does not share the whole disk when started in the filesystem root', () => {
    const { packs, warnings } = defaultConfig({ cwd: '/', env: {}, platform: 'linux', home: '/home/u' });
    expect(packs.map((entry) => entry.use)).not.toContain('@mcp-packs/filesystem');
    expect(warnings[0]).toContain('filesystem root');
  });
});

describe('problem locations', () => {
  it('round-trips key paths and finds line and column in the file', () => {
    expect(parsePath('packs[2].config.roots[0]')).toEqual(['packs', 2, 'config', 'roots', 0]);
    expect(parsePath('packs[0].config["odd key"]')).toEqual(['packs', 0, 'config', 'odd key']);
    expect(formatPath(['packs', 0, 'config', 'odd key'])).toBe('packs[0].config["odd key"]');
    const file = writeConfig(dir(), '{\n  // comment\n  "packs": [\n    { "use": "x", "prefx": 1 }\n  ]\n}\n');
    const loaded = loadConfigFile(file);
    expect(loaded.problems.map((problem) => formatPath(problem.path))).toEqual(['packs[0].prefx']);
    expect(locate(loaded.source, ['packs', 0, 'prefx'])).toEqual({ line: 4, column: 19 });
    expect(locate(loaded.source, ['packs', 0, 'missing', 'deeper'])).toEqual({ line: 4, column: 5 });
  });
});

describe('loadConfigFile', () => {
  it('reads JSONC, substitutes, resolves `use` and paths against the file', () => {
    const base = dir();
    const file = writeConfig(
      base,
      `{
        "$schema": "./node_modules/@mcp-packs/server/schema.json",
        // comments and trailing commas are fine
        "server": { "name": "mine" },
        "transport": { "type": "http", "token": "\${TOKEN}", "port": 0 },
        "log": { "file": "./logs/server.log" },
        "packs": [
          { "use": "./my-pack.mjs", "prefix": "mp", "config": { "dir": "./data", "key": "\${TOKEN}" } },
          { "use": "@scope/pack", "prefix": null, "tools": { "exclude": ["x"] }, "readOnly": true },
          { "use": "off", "enabled": false },
        ],
      }`,
    );
    const loaded = loadConfigFile(file, { TOKEN: 'a-long-enough-secret-token' });
    expect(loaded.problems).toEqual([]);
    expect(loaded.server.name).toBe('mine');
    expect(loaded.transport).toMatchObject({ type: 'http', token: 'a-long-enough-secret-token', port: 0 });
    expect(loaded.log.file).toBe(join(base, 'logs', 'server.log'));
    expect(loaded.resolveFrom[0]).toBe(base);
    expect(loaded.packs).toEqual([
      {
        index: 0,
        use: './my-pack.mjs',
        source: { kind: 'path', path: join(base, 'my-pack.mjs') },
        prefix: 'mp',
        config: { dir: join(base, 'data'), key: 'a-long-enough-secret-token' },
        optional: false,
      },
      {
        index: 1,
        use: '@scope/pack',
        source: { kind: 'package', name: '@scope/pack' },
        prefix: null,
        tools: { exclude: ['x'] },
        readOnly: true,
        optional: false,
      },
    ]);
    expect(loaded.fromEnv.get(JSON.stringify(['transport', 'token']))).toBe('${TOKEN}');
  });

  it('collects every problem with its path, and suggests the key meant', () => {
    const file = writeConfig(
      dir(),
      JSON.stringify({
        transport: { type: 'sse', port: 70000 },
        packs: [{ use: 'a', prefx: 'x' }, { use: '' }, { use: 'b', prefix: 'Bad_Prefix', config: { k: '${NOPE}' } }],
        extra: true,
      }),
    );
    const loaded = loadConfigFile(file, {});
    const byPath = Object.fromEntries(loaded.problems.map((problem) => [formatPath(problem.path), problem]));
    expect(Object.keys(byPath).sort()).toEqual(
      [
        'extra',
        'packs[0].prefx',
        'packs[1].use',
        'packs[2].config.k',
        'packs[2].prefix',
        'transport.port',
        'transport.type',
      ].sort(),
    );
    expect(byPath['packs[0].prefx']?.fix).toBe('did you mean "prefix"?');
    expect(byPath['packs[2].config.k']?.message).toBe('the environment variable NOPE is not set.');
    // Entries that are fine on their own still go on to be loaded, so their problems are found in the same run.
    expect(loaded.packs).toEqual([]);
    const message = new ConfigProblemsError(loaded.source, loaded.problems).message;
    expect(message).toContain(`7 problems in ${file}; nothing was served`);
    expect(message).toMatch(/:1:\d+ {2}transport\.type/);
  });

  it('stops at syntax errors and at a missing file, naming the place', () => {
    const broken = writeConfig(dir(), '{\n  "packs": [\n    { "use": "x" }\n  \n');
    const syntax = problemsOf(() => loadConfigFile(broken));
    expect(syntax.message).toContain(`${broken}:5:1`);
    expect(syntax.message).toContain('syntax error');
    const missing = problemsOf(() => loadConfigFile(join(dir(), 'nope.json')));
    expect(missing.message).toContain('the config file does not exist');
    const notObject = problemsOf(() => loadConfigFile(writeConfig(dir(), '[]')));
    expect(notObject.problems[0]?.fix).toContain('"packs" array');
  });
});

describe('redaction', () => {
  it('hides env-substituted values, secret-looking keys and header values', () => {
    const shown = redactConfig(
      {
        transport: { type: 'http', token: 'generated', port: 1 },
        packs: [
          {
            use: 'x',
            config: {
              endpoint: 'https://api.example.com/?key=SECRET',
              apiKey: 'k',
              nested: { password: 'p', count: 3, clientSecret: ['a'] },
              headers: { 'X-Custom': 'v', Accept: 'json' },
              Authorization: 'Bearer z',
              plain: 'visible',
            },
          },
        ],
      },
      new Map([[JSON.stringify(['packs', 0, 'config', 'endpoint']), 'https://api.example.com/?key=${API_KEY}']]),
    );
    expect(shown).toEqual({
      transport: { type: 'http', token: REDACTED, port: 1 },
      packs: [
        {
          use: 'x',
          config: {
            endpoint: 'https://api.example.com/?key=${API_KEY}',
            apiKey: REDACTED,
            nested: { password: REDACTED, count: 3, clientSecret: [REDACTED] },
            headers: { 'X-Custom': REDACTED, Accept: REDACTED },
            Authorization: REDACTED,
            plain: 'visible',
          },
        },
      ],
    });
  });
});

describe('schema.json', () => {
  it('is generated from the zod schema and up to date (pnpm --filter @mcp-packs/server schema)', () => {
    const shipped = JSON.parse(readFileSync(join(ROOT, 'schema.json'), 'utf8')) as unknown;
    expect(shipped).toEqual(configJsonSchema());
  });

  it('describes every property, for editor completion', () => {
    const undocumented: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (typeof node !== 'object' || node === null) return;
      const properties = (node as { properties?: Record<string, unknown> }).properties ?? {};
      for (const [key, value] of Object.entries(properties)) {
        if (!(value as { description?: string }).description) undocumented.push(`${path}.${key}`);
        walk(value, `${path}.${key}`);
      }
      walk((node as { items?: unknown }).items, `${path}[]`);
    };
    walk(configJsonSchema(), '');
    expect(undocumented).toEqual([]);
  });
});
