import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import { packageTestConfig, runsEraReruns } from './vitest.shared.ts';

/**
 * The packages whose tests drive packs through core's test kit (`connectPack`). Their tests run twice: once as
 * written (the 2026-07-28 era unless a test pins one) and once more with `MCP_PACKS_TEST_PROTOCOL=2025-11-25`, so
 * every behaviour meant to match across eras is checked in both. A test that is about one era pins it. The re-run is
 * part of `pnpm test` and `pnpm test:integration`, not of `pnpm test:unit`.
 */
const KIT_PACKAGES = [
  'packages/core',
  'packages/filesystem',
  'packages/math',
  'packages/notes',
  'packages/sysinfo',
  'packages/web-fetch',
  'examples/dice-pack',
  'examples/conformance-pack',
];

/**
 * The test files of a package that use the test kit (relative to the package), but for those marked `test-era: once`
 * (behaviour below the protocol, such as the math engine's limits, that one era checks as well as two).
 */
function kitTests(dir: string): string[] {
  const found: string[] = [];
  for (const top of ['src', 'test']) {
    let entries: string[];
    try {
      entries = readdirSync(join(dir, top), { recursive: true }) as string[];
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.endsWith('.test.ts')) continue;
      const file = join(top, entry);
      const text = readFileSync(join(dir, file), 'utf8');
      if (text.includes('connectPack(') && !text.includes('test-era: once')) found.push(file);
    }
  }
  return found.sort();
}

// The unit run (`pnpm test:unit`) checks each behaviour once; the era re-run is part of the integration run.
const legacyEra = (runsEraReruns() ? KIT_PACKAGES : []).map((dir) => {
  const name = dir.split('/').pop() as string;
  const config = packageTestConfig(`${name}@2025-11-25`, {
    include: kitTests(dir),
    env: { MCP_PACKS_TEST_PROTOCOL: '2025-11-25' },
    ...(name === 'core' ? { typecheck: { enabled: false } } : {}),
  });
  return { ...config, root: `./${dir}` };
});

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'examples/*', 'scripts', ...legacyEra],
  },
});
