import { z } from 'zod';

/**
 * The config of `@mcp-packs/math`. Every limit has a safe default; raise them only for trusted callers on a machine
 * with room to spare. Unknown keys are refused, so a misspelt limit fails at mount instead of being ignored.
 */
export const mathConfigSchema = z.strictObject({
  maxExpressionLength: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(1000)
    .describe('Longest expression accepted, in characters (each expression of a batch, each simplify rule).'),
  maxBatchSize: z.number().int().min(1).max(10_000).default(100).describe('Most expressions in one evaluate batch.'),
  maxResultLength: z
    .number()
    .int()
    .min(100)
    .max(100_000_000)
    .default(100_000)
    .describe('Longest result of one call (value, array and LaTeX together), in characters.'),
  maxMatrixElements: z
    .number()
    .int()
    .min(1)
    .max(100_000_000)
    .default(1_000_000)
    .describe('Most elements of one matrix, range or input array, checked before it is built.'),
  timeoutMs: z
    .number()
    .int()
    .min(10)
    .max(600_000)
    .default(2000)
    .describe('Longest time one call may evaluate; past it the worker process is killed and replaced.'),
  memoryLimitMb: z
    .number()
    .int()
    .min(16)
    .max(65_536)
    .default(256)
    .describe('Heap limit of each evaluation worker process, in MB; past it the worker is killed and replaced.'),
  workers: z
    .number()
    .int()
    .min(1)
    .max(64)
    .default(2)
    .describe(
      'Most evaluation worker processes at once (one call each); the first starts on the first call, others when calls overlap, or as a warm spare while a call runs long or after a worker was replaced.',
    ),
  maxQueue: z
    .number()
    .int()
    .min(0)
    .max(100_000)
    .default(32)
    .describe('Most calls waiting for a free worker; past it calls fail with `busy` (retryable).'),
  bigNumberPrecision: z
    .number()
    .int()
    .min(16)
    .max(1000)
    .default(64)
    .describe('Significant digits of BigNumber arithmetic (numberType BigNumber).'),
});

/** The config of `@mcp-packs/math` as a mount accepts it (every field optional). */
export type MathConfigInput = z.input<typeof mathConfigSchema>;

/** The config of `@mcp-packs/math` with defaults applied, as `setup` sees it. */
export type MathConfig = z.output<typeof mathConfigSchema>;
