/** Run a hostile suite as vitest tests: one test per case, each failing with the case's problems. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostileSuite, runCase, type SuiteContext } from './harness.js';

/**
 * The next call's bound in tests. The benchmark holds each case to 1 s (`pnpm bench hostile`); tests run beside
 * other test files on a shared two-core machine, so they allow more and catch a server that stopped answering.
 */
export const TEST_NEXT_CALL_LIMIT_MS = 5000;

export function describeSuite<C extends SuiteContext>(
  suite: HostileSuite<C>,
  options: { timeoutMs?: number; allowedEchoes?: readonly string[] } = {},
): void {
  describe(`hostile input: ${suite.area}`, () => {
    let context: C;
    beforeAll(async () => {
      context = await suite.start();
    }, 60_000);
    afterAll(async () => {
      await context?.close();
    });
    for (const hostile of suite.cases) {
      it(
        hostile.name,
        async () => {
          const figures = await runCase(suite.area, context, hostile, {
            nextCallLimitMs: TEST_NEXT_CALL_LIMIT_MS,
            ...(options.allowedEchoes ? { allowedEchoes: options.allowedEchoes } : {}),
          });
          expect(figures.problems, JSON.stringify(figures.answer)).toEqual([]);
          expect(figures.alive).toBe(true);
        },
        options.timeoutMs ?? 60_000,
      );
    }
  });
}
