/**
 * The structured form of a mathjs value: a text form, its type, a plain number where one fits, the unit, nested
 * arrays for matrices, and LaTeX. Functions and host objects are never described: they are refused.
 */
import { type EngineLimits, formatCount, matrixTooLarge } from './limits.js';
import { MathError } from './math-error.js';
import type { Sandbox } from './sandbox.js';

/** The kinds of value a result can be. */
export type ValueType =
  | 'number'
  | 'BigNumber'
  | 'Fraction'
  | 'Complex'
  | 'Unit'
  | 'Matrix'
  | 'boolean'
  | 'string'
  | 'bigint'
  | 'Object'
  | 'null'
  | 'undefined'
  | 'function';

/** A described value. */
export interface MathValue {
  /** The text form, in mathjs syntax (so it can be pasted into the next expression). */
  value: string;
  type: ValueType;
  /** The value as a JSON number, when it is a finite real scalar (for a unit: in its own unit). */
  number?: number;
  /** The unit of a `Unit` value, e.g. `cm` or `m / s^2`. */
  unit?: string;
  /** The elements of a matrix as nested arrays: numbers where exact, otherwise their text form. */
  array?: unknown[];
  /** The dimensions of a matrix. */
  size?: number[];
  /** The value in LaTeX (omitted for long values). */
  latex?: string;
  /** Something the reader should know: the value is not finite, or is not a real number. */
  warning?: string;
}

/** How to describe a value. */
export interface DescribeOptions {
  /** Significant digits of the text form. Default: 14 for numbers (hiding binary round-off), all for the others. */
  precision?: number | undefined;
  limits: EngineLimits;
}

const LATEX_MAX_INPUT = 5_000;
const DEFAULT_NUMBER_PRECISION = 14;
const NO_LATEX: ReadonlySet<ValueType> = new Set(['string', 'Object', 'null', 'undefined']);

interface Tagged {
  isBigNumber?: boolean;
  isFraction?: boolean;
  isComplex?: boolean;
  isUnit?: boolean;
  isMatrix?: boolean;
  isIndex?: boolean;
}

function tagged(value: unknown): Tagged | undefined {
  return typeof value === 'object' && value !== null ? (value as Tagged) : undefined;
}

function functionResult(): MathError {
  return new MathError('function_result', 'The result is a function; functions are never returned.', {
    hint: 'Call it with arguments, e.g. f(2) or sqrt(2); to define a function write f(x) = x^2 and call f(3) in the next statement.',
  });
}

function nonFinite(value: number): string | undefined {
  if (Number.isNaN(value))
    return 'The result is NaN (not a number): an undefined operation such as 0/0 or Infinity - Infinity.';
  if (!Number.isFinite(value))
    return 'The result is not finite: a division by zero or an overflow past ±1.8e308 (use numberType BigNumber for huge numbers).';
  return undefined;
}

type Formatter = (value: unknown) => string;

/**
 * Text in mathjs syntax. BigNumbers print as integers up to their full precision (not 1.2e+30); whole fractions
 * print as integers (`2`, not mathjs's `2/1`).
 */
function formatter(sandbox: Sandbox, precision: number | undefined, limits: EngineLimits): Formatter {
  const options: Record<string, unknown> = {};
  if (precision !== undefined) options.precision = precision;
  if (sandbox.numberType === 'BigNumber') options.upperExp = limits.bigNumberPrecision;
  return (value) => {
    const text = sandbox.math.format(value as never, options);
    return sandbox.numberType === 'Fraction' || tagged(value)?.isFraction
      ? text.replace(/(?<![\d./])(-?\d+)\/1(?![\d./])/g, '$1')
      : text;
  };
}

/** Convert one matrix element to JSON: exact numbers and booleans as they are, everything else as text. */
function element(format: Formatter, value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value + 0 : String(value); // + 0 turns -0 into 0
  if (typeof value === 'boolean' || value === null) return value;
  if (typeof value === 'function') throw functionResult();
  return format(value);
}

function mapNested(value: unknown, fn: (item: unknown) => unknown): unknown {
  return Array.isArray(value) ? value.map((item) => mapNested(item, fn)) : fn(value);
}

function plainObjectEntries(value: object): [string, unknown][] | undefined {
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return undefined;
  // Decompositions (lup, qr, slu) carry their own toString method; it is not part of the value. Any other
  // function in an object is refused by the caller.
  return Object.entries(value).filter(([key, item]) => !(key === 'toString' && typeof item === 'function'));
}

function latexOf(sandbox: Sandbox, text: string): string | undefined {
  if (text.length > LATEX_MAX_INPUT) return undefined;
  try {
    return sandbox.parseTrusted(text).toTex();
  } catch {
    return undefined;
  }
}

/**
 * Describe a value returned by an evaluation. Throws `function_result` for functions, `matrix_too_large` for a
 * matrix over the element limit, `result_too_large` when the description is longer than the result limit, and
 * `evaluation_error` for values of a kind that is never returned (parsers, expression trees, host objects).
 */
export function describeValue(sandbox: Sandbox, value: unknown, options: DescribeOptions): MathValue {
  const { math } = sandbox;
  const { limits } = options;
  const precision = options.precision;
  const format = formatter(sandbox, precision, limits);
  const formatNumber = formatter(sandbox, precision ?? DEFAULT_NUMBER_PRECISION, limits);
  const tag = tagged(value);
  let result: MathValue;

  if (typeof value === 'function') throw functionResult();
  if (value === undefined) {
    result = { value: 'undefined', type: 'undefined' };
  } else if (value === null) {
    result = { value: 'null', type: 'null' };
  } else if (typeof value === 'boolean') {
    result = { value: String(value), type: 'boolean' };
  } else if (typeof value === 'string') {
    result = { value, type: 'string' };
  } else if (typeof value === 'number') {
    result = { value: formatNumber(value), type: 'number' };
    const warning = nonFinite(value);
    if (warning) result.warning = warning;
    else result.number = value;
  } else if (typeof value === 'bigint') {
    result = { value: value.toString(), type: 'bigint' };
    if (Number.isSafeInteger(Number(value))) result.number = Number(value);
  } else if (tag?.isBigNumber) {
    const number = Number(value.valueOf());
    result = { value: format(value), type: 'BigNumber' };
    const big = value as { isFinite(): boolean; isNaN(): boolean };
    if (!big.isFinite()) result.warning = nonFinite(big.isNaN() ? Number.NaN : Number.POSITIVE_INFINITY);
    else if (Number.isFinite(number)) result.number = number;
  } else if (tag?.isFraction) {
    result = { value: format(value), type: 'Fraction', number: Number(value.valueOf()) };
  } else if (tag?.isComplex) {
    const complex = value as { re: number; im: number };
    result = { value: formatNumber(value), type: 'Complex' };
    if (complex.im === 0 && Number.isFinite(complex.re)) result.number = complex.re;
    else if (!Number.isFinite(complex.re) || !Number.isFinite(complex.im)) result.warning = nonFinite(Number.NaN);
  } else if (tag?.isUnit) {
    type UnitLike = {
      value: unknown;
      skipAutomaticSimplification: boolean;
      simplify(): UnitLike;
      formatUnits(): string;
      toNumeric(): unknown;
    };
    // Show the unit the way the text form does: mathjs simplifies derived units when it formats them.
    const raw = value as UnitLike;
    const unit = raw.skipAutomaticSimplification || raw.value === null ? raw : raw.simplify();
    result = {
      value: sandbox.numberType === 'number' ? formatNumber(value) : format(value),
      type: 'Unit',
      unit: unit.formatUnits(),
    };
    if (unit.value !== null) {
      const number = Number((unit.toNumeric() as { valueOf(): unknown }).valueOf());
      if (Number.isFinite(number)) result.number = number;
      else result.warning = nonFinite(number);
    }
  } else if (tag?.isMatrix || Array.isArray(value)) {
    const size = math.size(value as never).valueOf() as number[];
    const count = size.reduce((a, b) => a * b, 1);
    if (count > limits.maxMatrixElements) throw matrixTooLarge('The result', count, limits.maxMatrixElements);
    // Each element needs at least one character and a separator: refuse before formatting a huge matrix.
    if (count * 2 > limits.maxResultLength) throw resultTooLarge(count * 2, limits.maxResultLength, true);
    const raw = tag?.isMatrix ? (value as { toArray(): unknown[] }).toArray() : (value as unknown[]);
    const formatElement = sandbox.numberType === 'number' ? formatNumber : format;
    const array = mapNested(raw, (item) => element(formatElement, item)) as unknown[];
    result = {
      value: formatElement(value),
      type: 'Matrix',
      array,
      size,
    };
  } else if (typeof value === 'object' && !tag?.isIndex) {
    const entries = plainObjectEntries(value);
    if (entries === undefined) {
      throw new MathError('evaluation_error', 'The result is an object of a kind that is never returned.', {
        hint: 'Return numbers, units, matrices, booleans or strings.',
      });
    }
    for (const [, item] of entries) describeValue(sandbox, item, options); // refuses functions and oversize parts
    result = {
      value: (sandbox.numberType === 'number' ? formatNumber : format)(Object.fromEntries(entries)),
      type: 'Object',
    };
  } else {
    throw new MathError(
      'evaluation_error',
      `The result has the unsupported type ${tag?.isIndex ? 'Index' : typeof value}.`,
      {
        hint: 'Return numbers, units, matrices, booleans or strings.',
      },
    );
  }

  if (result.warning !== undefined && result.number === undefined && result.type !== 'Unit') {
    result.latex = result.value.includes('NaN') ? '\\mathrm{NaN}' : result.value.replace('Infinity', '\\infty');
  } else if (!NO_LATEX.has(result.type)) {
    const latex = latexOf(sandbox, result.value);
    if (latex !== undefined) result.latex = latex;
  }
  const length = JSON.stringify(result).length;
  if (length > limits.maxResultLength) throw resultTooLarge(length, limits.maxResultLength, false);
  return result;
}

/** The error for a result whose text is over {@link EngineLimits.maxResultLength}. */
export function resultTooLarge(length: number, limit: number, estimated: boolean): MathError {
  return new MathError(
    'result_too_large',
    `The result would be ${estimated ? 'at least ' : ''}${formatCount(length)} characters long; the limit is ${formatCount(limit)} (result size limit).`,
    {
      hint: 'Return less: index a part (A[1:10, 1:10]), summarise (size(A), sum(A), mean(A), max(A)), or lower the precision. The server sets the limit with `maxResultLength`.',
      details: { limit: 'maxResultLength', length, max: limit },
    },
  );
}
