// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${ENV} references are the data under test.
/** Fixtures of the CLI tests (cli-stdio.test.ts, cli-commands.test.ts): temp dirs and the fixture pack's config. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { LOCAL_PACK, OTHER_PACK, tempDir, writeConfig } from './helpers.ts';

/**
 * Register, in the calling test file, an `afterEach` that runs every cleanup pushed during a test, last first: the
 * removal of each temp dir `dir()` made, and whatever the test pushed to `cleanups` (clients to close).
 */
export function useCleanups(): { dir(): string; cleanups: (() => Promise<void> | void)[] } {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  function dir(): string {
    const made = tempDir();
    cleanups.push(made.cleanup);
    return made.path;
  }
  return { dir, cleanups };
}

/** The text of a resource read. */
export function textOf(result: { contents: { text?: string; uri: string }[] }): string {
  return result.contents.map((content) => content.text ?? '').join('');
}

/** A config with the local fixture pack, next to a copy of nothing: `use` is a path relative to the config file. */
export function fixtureConfig(base: string, extra: Record<string, unknown> = {}): string {
  writeFileSync(join(base, 'my-pack.mjs'), `export { default } from ${JSON.stringify(LOCAL_PACK)};\n`);
  return writeConfig(base, {
    server: { name: 'test-server', instructions: 'Be brief.' },
    packs: [
      {
        use: './my-pack.mjs',
        prefix: 'fx',
        config: {
          marker: join(base, 'marker.log'),
          root: './data',
          greeting: 'hi',
          apiKey: 'plain-secret',
          headers: { 'X-Api': 'header-secret' },
          label: 'id=${FIXTURE_SECRET}',
        },
      },
      { use: OTHER_PACK, readOnly: true },
    ],
    ...extra,
  });
}
