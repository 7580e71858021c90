import { MathError } from './math-error.js';

/** The limits the engine enforces inside a worker. The time and memory limits are the pool's (see `pool.ts`). */
export interface EngineLimits {
  /** Longest text of a result (value, array and LaTeX together), in characters. */
  maxResultLength: number;
  /** Most elements of one matrix, range or array, created or returned. */
  maxMatrixElements: number;
  /** Significant digits of BigNumber arithmetic. */
  bigNumberPrecision: number;
}

/** The defaults of {@link EngineLimits}, the same as the pack's config defaults. */
export const DEFAULT_ENGINE_LIMITS: EngineLimits = {
  maxResultLength: 100_000,
  maxMatrixElements: 1_000_000,
  bigNumberPrecision: 64,
};

/** The error for a matrix, range or array over {@link EngineLimits.maxMatrixElements}. */
export function matrixTooLarge(what: string, elements: number, limit: number): MathError {
  return new MathError(
    'matrix_too_large',
    `${what} would have ${formatCount(elements)} elements; the limit is ${formatCount(limit)} (matrix size limit).`,
    {
      hint: 'Use smaller dimensions or a coarser step (e.g. zeros(100, 100), range(0, 1, 0.01)), or compute a summary such as sum, mean or size without building the whole matrix. The server sets the limit with `maxMatrixElements`.',
      details: { limit: 'maxMatrixElements', elements, max: limit },
    },
  );
}

/** The error for a call that ran past the time limit. */
export function timeLimitExceeded(timeoutMs: number): MathError {
  return new MathError('time_limit', `The evaluation took longer than ${timeoutMs} ms and was stopped (time limit).`, {
    hint: 'Make it cheaper: smaller matrices and ranges, fewer or smaller factorials and powers, no deep or exponential recursion; split a large batch into several calls. The server sets the limit with `timeoutMs`.',
    details: { limit: 'timeoutMs', max: timeoutMs },
  });
}

/** The error for a call that ran past the memory limit. */
export function memoryLimitExceeded(memoryLimitMb: number): MathError {
  return new MathError(
    'memory_limit',
    `The evaluation needed more than ${memoryLimitMb} MB of memory and was stopped (memory limit).`,
    {
      hint: 'Build smaller matrices and ranges (e.g. zeros(100, 100) instead of zeros(1e5, 1e5)), or compute a summary (sum, size, a few elements) instead of whole intermediate results. The server sets the limit with `memoryLimitMb`.',
      details: { limit: 'memoryLimitMb', max: memoryLimitMb },
    },
  );
}

/**
 * How deep brackets may nest in one expression: mathjs's parser descends about 25 calls per level, and overflows
 * the stack somewhere past 400 levels; evaluating, simplifying and differentiating a tree recurse along it too.
 * Mathematics written by hand or by a model rarely nests past 10.
 */
export const MAX_NESTING_DEPTH = 100;

/** The error for an expression that nests deeper than {@link MAX_NESTING_DEPTH} (or than the parser's stack). */
export function expressionTooDeep(depth: number | undefined): MathError {
  const measured = depth === undefined ? 'nests too deeply to parse' : `nests brackets ${formatCount(depth)} deep`;
  return new MathError(
    'expression_too_deep',
    `The expression ${measured}; the limit is ${MAX_NESTING_DEPTH} (nesting limit).`,
    {
      hint: 'Name the inner parts in a batch (["a = ...", "b = f(a)", "g(b)"]) instead of nesting them, and drop redundant brackets.',
      details: { limit: 'nesting', ...(depth === undefined ? {} : { depth }), max: MAX_NESTING_DEPTH },
    },
  );
}

/**
 * The error for a value larger than JavaScript can hold at all (a BigInt past a billion bits, a string past V8's
 * length limit, an array past 2³² elements): the engine's own size limit, met before the heap limit.
 */
export function valueTooLarge(reason: string): MathError {
  return new MathError(
    'memory_limit',
    `The evaluation needed a value larger than JavaScript can hold (${reason.replace(/\.$/, '')}) and was stopped (memory limit).`,
    {
      hint: 'Exact types grow without bound: a Fraction or BigNumber power such as 2^(2^40) has billions of digits. Use numberType number for an approximation (it overflows to Infinity), or compute a logarithm instead (log10(2) * 2^40).',
      details: { limit: 'engine', reason },
    },
  );
}

/** The error for an evaluation that overflowed the stack. */
export function recursionLimitExceeded(): MathError {
  return new MathError('recursion_limit', 'The evaluation recursed too deeply and was stopped (stack limit).', {
    hint: 'A recursive function needs a base case that is reached within a few thousand calls, e.g. f(n) = n <= 1 ? 1 : n * f(n - 1); for sums and products over many terms use sum(), prod() or cumsum() over a range instead of recursion.',
    details: { limit: 'stack' },
  });
}

/** `1000000` → `1,000,000`; huge or non-finite counts in exponent form. */
export function formatCount(count: number): string {
  if (!Number.isFinite(count)) return String(count);
  return count < 1e15 ? Math.round(count).toLocaleString('en-US') : count.toExponential(2);
}
