import { defaultServerConditions } from 'vite';
import { defineProject, type ViteUserConfig } from 'vitest/config';

/**
 * The test setup every workspace package shares: workspace packages resolve to their TypeScript sources (the
 * `@mcp-packs/source` export condition), so tests never need a build.
 */
export function packageTestConfig(name: string, overrides: ViteUserConfig['test'] = {}): ViteUserConfig {
  const conditions = ['@mcp-packs/source', ...defaultServerConditions];
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      // Each test file in a fresh worker: tests start servers, child processes and timers of their own.
      isolate: true,
      testTimeout: 20_000,
      hookTimeout: 20_000,
      ...overrides,
    },
  });
}
