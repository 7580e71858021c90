/**
 * Turning caller-supplied values (JSON: numbers, strings, nested arrays) into mathjs values, without ever evaluating
 * a string as an expression: a string is read as a number, a fraction, a unit or a complex number, nothing else.
 */
import type { MathJsInstance } from 'mathjs';
import { DISABLED_FUNCTIONS } from './disabled.js';
import { unsafeNameReason } from './guard.js';
import { formatCount } from './limits.js';
import { MathError } from './math-error.js';
import type { Sandbox } from './sandbox.js';

/** A scalar a caller may supply: a number, or a string holding a number, fraction, unit or complex number. */
export type ScalarInput = number | string;

/** A value a caller may supply: a scalar or a (nested) array of scalars. */
export type ValueInput = ScalarInput | ValueInput[];

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const RATIO = /^([+-]?\d+)\s*\/\s*([+-]?\d+)$/;

/** Why `name` cannot be a variable name, or undefined when it can. */
export function variableNameProblem(name: string, namespace: Readonly<Record<string, unknown>>): string | undefined {
  if (!IDENTIFIER.test(name)) return 'it must start with a letter and contain only letters, digits and _';
  const unsafe = unsafeNameReason(name);
  if (unsafe) return unsafe;
  if (DISABLED_FUNCTIONS[name] !== undefined) return `${name} is a reserved name`;
  if (Object.hasOwn(namespace, name) && typeof namespace[name] === 'function') {
    return `${name} is a built-in function`;
  }
  return undefined;
}

function invalid(path: string, message: string, hint: string): MathError {
  return new MathError('invalid_scope', `${path}: ${message}`, { hint });
}

function toNumberType(math: MathJsInstance, value: number | string, numberType: Sandbox['numberType']): unknown {
  if (numberType === 'BigNumber') return math.bignumber(value);
  // fraction.js reads no exponents ("1e-3"): go through an exact decimal first.
  if (numberType === 'Fraction') return math.fraction(math.bignumber(value));
  return Number(value);
}

/** Read one scalar; `path` names it in errors (`scope.x[1]`). */
export function readScalar(
  sandbox: Sandbox,
  input: unknown,
  path: string,
  code: 'invalid_scope' | 'invalid_input' = 'invalid_scope',
): unknown {
  const math: MathJsInstance = sandbox.math;
  const fail = (message: string) =>
    new MathError(code, `${path}: ${message}`, {
      hint: 'Give a number (2.5), or a string holding a number ("1e-3"), a fraction ("1/3"), a unit ("9.81 m/s^2") or a complex number ("2 + 3i").',
    });
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw fail('the number must be finite');
    return toNumberType(math, input, sandbox.numberType);
  }
  if (typeof input !== 'string')
    throw fail(`expected a number or a string, got ${input === null ? 'null' : typeof input}`);
  const text = input.trim();
  if (text.length === 0) throw fail('the string is empty');
  if (text.length > 200) throw fail('the string is longer than 200 characters');
  if (DECIMAL.test(text)) return toNumberType(math, text, sandbox.numberType);
  const ratio = RATIO.exec(text);
  if (ratio) {
    if (/^[+-]?0+$/.test(ratio[2] as string)) throw fail('division by zero');
    const fraction = math.fraction(text);
    if (sandbox.numberType === 'Fraction') return fraction;
    if (sandbox.numberType === 'BigNumber') {
      return math.divide(math.bignumber(ratio[1] as string), math.bignumber(ratio[2] as string));
    }
    return fraction.valueOf();
  }
  try {
    const unit = math.unit(text);
    if (unit.value !== null) return unit;
  } catch {
    // not a unit; try a complex number next
  }
  try {
    return math.complex(text);
  } catch {
    throw fail(`cannot read ${JSON.stringify(text)} as a number, fraction, unit or complex number`);
  }
}

/** Read a scalar or a rectangular nested array; arrays become mathjs matrices. */
export function readValue(
  sandbox: Sandbox,
  input: unknown,
  path: string,
  maxElements: number,
  code: 'invalid_scope' | 'invalid_input' = 'invalid_scope',
): unknown {
  if (!Array.isArray(input)) return readScalar(sandbox, input, path, code);
  let count = 0;
  const read = (value: unknown, where: string, depth: number): unknown => {
    if (!Array.isArray(value)) {
      count++;
      if (count > maxElements) {
        throw new MathError(code, `${path} has more than ${formatCount(maxElements)} elements (matrix size limit).`, {
          hint: 'Pass a smaller array.',
        });
      }
      return readScalar(sandbox, value, where, code);
    }
    if (depth > 16)
      throw new MathError(code, `${path} is nested more than 16 levels deep.`, { hint: 'Pass a flatter array.' });
    return value.map((item, i) => read(item, `${where}[${i}]`, depth + 1));
  };
  const array = read(input, path, 0) as unknown[];
  try {
    return sandbox.math.matrix(array as never);
  } catch (error) {
    throw new MathError(code, `${path} is not a rectangular array: ${(error as Error).message}.`, {
      hint: 'Every row must have the same length, e.g. [[1, 2], [3, 4]].',
    });
  }
}

/** Build an evaluation scope from caller-supplied variables. Keys and values are validated; nothing is evaluated. */
export function readScope(
  sandbox: Sandbox,
  input: Readonly<Record<string, unknown>> | undefined,
  maxElements: number,
): Map<string, unknown> {
  const scope = new Map<string, unknown>();
  if (input === undefined) return scope;
  for (const [name, value] of Object.entries(input)) {
    const problem = variableNameProblem(name, sandbox.namespace);
    if (problem) {
      throw invalid(
        `scope.${name}`,
        `not a valid variable name: ${problem}.`,
        'Use a plain name such as x, rate or v0.',
      );
    }
    scope.set(name, readValue(sandbox, value, `scope.${name}`, maxElements));
  }
  return scope;
}
