/**
 * A restricted mathjs instance: what user expressions see, and the trusted functions the engine itself uses.
 *
 * mathjs evaluates expressions against its "expression namespace" (`math.expression.mathWithTransform`). The sandbox
 * replaces the dangerous entries of that namespace with stubs that throw, wraps the matrix builders with the size
 * limit and `string` with a refusal to print functions, and freezes it. The engine keeps the original `parse`,
 * `simplify`, `derivative` and `rationalize` for its own tools; they only ever see trees that passed
 * {@link checkExpression}.
 */
import type { MathJsInstance, MathNode } from 'mathjs';
import { DISABLED_FUNCTIONS } from './disabled.js';
import { checkExpression } from './guard.js';
import { type EngineLimits, expressionTooDeep, matrixTooLarge } from './limits.js';
import { MathError } from './math-error.js';
import { createMathJs } from './mathjs.js';
import type { NumberType } from './options.js';

/** A mathjs instance locked down for user expressions, plus the trusted functions the engine uses. */
export interface Sandbox {
  readonly numberType: NumberType;
  /** The instance: its `format`, `unit`, `size` and type guards are safe to call from engine code. */
  readonly math: MathJsInstance;
  /** The expression namespace user expressions run against (frozen). */
  readonly namespace: Readonly<Record<string, unknown>>;
  /** Parse an expression and refuse it unless it passes {@link checkExpression}. Throws `syntax_error` or `forbidden`. */
  parseChecked(expression: string): MathNode;
  /** The original parser, for text the engine produced itself (never user input). */
  readonly parseTrusted: MathJsInstance['parse'];
  readonly simplify: MathJsInstance['simplify'];
  readonly derivative: MathJsInstance['derivative'];
  readonly rationalize: MathJsInstance['rationalize'];
}

type AnyFunction = (...args: unknown[]) => unknown;

function disabledStub(name: string, reason: string): AnyFunction {
  return () => {
    throw new MathError('forbidden', `The function ${name} is disabled in this sandbox: ${reason}.`, {
      hint: `Do not use ${name} in expressions.`,
    });
  };
}

/** The namespace mathjs evaluates expressions against (untyped in mathjs's declarations). */
export function expressionNamespace(math: MathJsInstance): Record<string, unknown> {
  return (math.expression as unknown as { mathWithTransform: Record<string, unknown> }).mathWithTransform;
}

/** A number from a mathjs scalar (number, BigNumber, Fraction, bigint), or undefined for anything else. */
function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'object' && value !== null) {
    const candidate = value as { isBigNumber?: boolean; isFraction?: boolean; valueOf(): unknown };
    if (candidate.isBigNumber === true || candidate.isFraction === true) return Number(candidate.valueOf());
  }
  return undefined;
}

/** The number of elements of an array or matrix, or undefined when `value` is neither. */
function elementCount(value: unknown): number | undefined {
  if (Array.isArray(value)) {
    let count = 1;
    let level: unknown = value;
    while (Array.isArray(level)) {
      count *= level.length;
      level = level[0];
    }
    return count;
  }
  if (typeof value === 'object' && value !== null && (value as { isMatrix?: boolean }).isMatrix === true) {
    return (value as { size(): number[] }).size().reduce((a, b) => a * b, 1);
  }
  return undefined;
}

/** The dimensions a size argument asks for: numbers in the arguments, or an array/matrix of them. */
function requestedDimensions(args: readonly unknown[]): number[] {
  const first = args[0];
  if (Array.isArray(first) || (typeof first === 'object' && first !== null && 'isMatrix' in first)) {
    const array = Array.isArray(first) ? first : (first as unknown as { toArray(): unknown[] }).toArray();
    const values = array.flat(Number.POSITIVE_INFINITY);
    return values.map((v) => toNumber(v) ?? 0);
  }
  return args.map(toNumber).filter((v): v is number => v !== undefined);
}

function product(values: readonly number[]): number {
  return values.reduce((a, b) => a * Math.max(0, Math.floor(Math.abs(b))), 1);
}

/** How many elements `range(...)` would produce; Infinity for unbounded ones. */
function rangeCount(args: readonly unknown[]): number | undefined {
  let start: number | undefined;
  let end: number | undefined;
  let step = 1;
  if (typeof args[0] === 'string') {
    const parts = args[0].split(':').map((part) => Number(part.trim()));
    if (parts.length === 2) [start, end] = parts;
    else if (parts.length === 3) [start, step = 1, end] = parts;
  } else {
    start = toNumber(args[0]);
    end = toNumber(args[1]);
    const third = toNumber(args[2]);
    if (third !== undefined) step = third;
  }
  if (start === undefined || end === undefined || Number.isNaN(start) || Number.isNaN(end) || Number.isNaN(step)) {
    return undefined;
  }
  if (step === 0) return undefined; // mathjs reports its own error
  const span = (end - start) / step;
  return span < 0 ? 0 : Math.floor(span) + 1;
}

type Counter = (args: readonly unknown[]) => number | undefined;

/** Matrix builders and how many elements a call would create, checked before anything is allocated. */
const SIZE_GUARDS: Readonly<Record<string, Counter>> = {
  zeros: (args) => product(requestedDimensions(args)),
  ones: (args) => product(requestedDimensions(args)),
  identity: (args) => {
    const dims = requestedDimensions(args);
    return dims.length === 1 ? product([dims[0] as number, dims[0] as number]) : product(dims);
  },
  random: (args) => (typeof args[0] === 'object' && args[0] !== null ? product(requestedDimensions(args)) : 1),
  randomInt: (args) => (typeof args[0] === 'object' && args[0] !== null ? product(requestedDimensions(args)) : 1),
  matrixFromFunction: (args) => product(requestedDimensions(args)),
  resize: (args) => product(requestedDimensions(args.slice(1))),
  range: rangeCount,
  kron: (args) => (elementCount(args[0]) ?? 1) * (elementCount(args[1]) ?? 1),
};

function guardSize(name: string, original: AnyFunction, count: Counter, limit: number): AnyFunction {
  const guarded = (...args: unknown[]): unknown => {
    const elements = count(args);
    if (elements !== undefined && elements > limit) throw matrixTooLarge(`${name}(…)`, elements, limit);
    return original(...args);
  };
  // Keep what mathjs reads from its functions (e.g. `rawArgs`, `signatures` for `map` callbacks).
  return Object.assign(guarded, original);
}

interface GrowableMatrix {
  size(): number[];
  subset(...args: unknown[]): unknown;
  set(...args: unknown[]): unknown;
}

/** The size a matrix of `size` takes when an element at the (1 + zero-based) `reach` is written. */
function grownCount(size: readonly number[], reach: readonly number[]): number {
  let count = 1;
  for (let i = 0; i < Math.max(size.length, reach.length); i++) {
    count *= Math.max(size[i] ?? 0, reach[i] ?? 0, 0);
  }
  return count;
}

/**
 * Assigning past the end of a matrix (`A[1e5, 1e5] = 1`) grows it, filling the gap: check the size it would grow to
 * before mathjs allocates it. Expressions reach `subset` and `set` only through assignment (method calls are
 * refused), and mathjs's own `subset` function goes through them too.
 */
function guardGrowth(prototype: GrowableMatrix, what: string, limit: number): void {
  const { subset, set } = prototype;
  prototype.subset = function (this: GrowableMatrix, ...args: unknown[]) {
    const index = args[0] as { isIndex?: boolean; max(): number[] } | undefined;
    if (args.length >= 2 && index?.isIndex === true) {
      const count = grownCount(
        this.size(),
        index.max().map((i) => i + 1),
      );
      if (count > limit) throw matrixTooLarge(`Assigning past the end of a ${what}`, count, limit);
    }
    return subset.apply(this, args);
  };
  prototype.set = function (this: GrowableMatrix, ...args: unknown[]) {
    const index = args[0];
    if (Array.isArray(index)) {
      const count = grownCount(
        this.size(),
        index.map((i: number) => i + 1),
      );
      if (count > limit) throw matrixTooLarge(`Assigning past the end of a ${what}`, count, limit);
    }
    return set.apply(this, args);
  };
}

function hasFunction(value: unknown, depth = 0): boolean {
  if (typeof value === 'function') return true;
  if (depth > 32 || typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some((item) => hasFunction(item, depth + 1));
  if ((value as { isMatrix?: boolean }).isMatrix === true) {
    return hasFunction((value as { toArray(): unknown[] }).toArray(), depth + 1);
  }
  if (Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value).some((item) => hasFunction(item, depth + 1));
  }
  return false;
}

function parseError(error: unknown, expression: string): MathError {
  // The parser recurses once per level of nesting: past a few hundred it overflows (the nesting check before the
  // worker catches brackets; operator chains such as a^a^...^a can get here).
  if (error instanceof RangeError && /call stack/i.test(error.message)) return expressionTooDeep(undefined);
  const message = error instanceof Error ? error.message : String(error);
  return new MathError('syntax_error', `Cannot parse ${JSON.stringify(expression.slice(0, 200))}: ${message}.`, {
    hint: syntaxHint(expression),
  });
}

/** Advice for the mistakes models make most with mathjs syntax. */
export function syntaxHint(expression: string): string {
  if (expression.includes('**')) return 'Use ^ for powers: 2^10, not 2**10.';
  if (/\bMath\.|\bmath\./.test(expression)) return 'Call functions by name: sqrt(2), not Math.sqrt(2) or math.sqrt(2).';
  if (/[^=!<>]=>/.test(expression)) return 'Define functions as f(x) = x^2; arrow functions are not supported.';
  if (/&&|\|\|/.test(expression)) return 'Use the words and, or, not for logic: x > 1 and x < 5.';
  return 'mathjs syntax: ^ for powers, log(x, base), 5 cm to inch for units, [1, 2; 3, 4] for matrices, f(x) = x^2 to define a function, ; or newlines between statements.';
}

/**
 * Create a sandboxed mathjs instance for one number type. Costs tens of milliseconds and a few MB: create one per
 * number type per worker and reuse it; expressions cannot change it (the namespace is frozen and every variable
 * lives in the caller's scope).
 */
export function createSandbox(numberType: NumberType, limits: EngineLimits): Sandbox {
  const math = createMathJs({ number: numberType, precision: limits.bigNumberPrecision });
  const parseTrusted = math.parse;
  const { simplify, derivative, rationalize } = math;
  const namespace = expressionNamespace(math);

  for (const [name, reason] of Object.entries(DISABLED_FUNCTIONS)) {
    // `chain` is not in the namespace (there it is a unit of length); the others get a stub that throws.
    if (name !== 'chain') namespace[name] = disabledStub(name, reason);
  }
  for (const [name, count] of Object.entries(SIZE_GUARDS)) {
    const original = namespace[name];
    if (typeof original === 'function') {
      namespace[name] = guardSize(name, original as AnyFunction, count, limits.maxMatrixElements);
    }
  }
  // Functions never become text: `string(sqrt)` would print the host's JavaScript source.
  for (const name of ['string', 'format', 'print']) {
    const original = namespace[name] as AnyFunction;
    namespace[name] = Object.assign((...args: unknown[]) => {
      if (args.some((arg) => hasFunction(arg))) {
        throw new MathError('forbidden', 'Functions cannot be converted to text.', {
          hint: `Call the function and convert its result instead, e.g. ${name}(f(2)).`,
        });
      }
      return original(...args);
    }, original);
  }
  Object.freeze(namespace);
  const types = math as unknown as {
    DenseMatrix: { prototype: GrowableMatrix };
    SparseMatrix: { prototype: GrowableMatrix };
  };
  guardGrowth(types.DenseMatrix.prototype, 'matrix', limits.maxMatrixElements);
  guardGrowth(types.SparseMatrix.prototype, 'sparse matrix', limits.maxMatrixElements);

  return {
    numberType,
    math,
    namespace,
    parseTrusted,
    simplify,
    derivative,
    rationalize,
    parseChecked(expression) {
      let node: MathNode;
      try {
        node = parseTrusted(expression);
      } catch (error) {
        throw parseError(error, expression);
      }
      try {
        checkExpression(node);
      } catch (error) {
        if (error instanceof RangeError && /call stack/i.test(error.message)) throw expressionTooDeep(undefined);
        throw error;
      }
      return node;
    },
  };
}
