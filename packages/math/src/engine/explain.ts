/**
 * Turning whatever an evaluation threw into a {@link MathError} with a hint a model can act on.
 */

import { distance as editDistance } from 'fastest-levenshtein';
import { recursionLimitExceeded, valueTooLarge } from './limits.js';
import { MathError } from './math-error.js';
import { type Sandbox, syntaxHint } from './sandbox.js';

/** Names from other languages and what mathjs calls them. */
const ALIASES: Readonly<Record<string, string>> = {
  ln: 'log(x) (natural log); log(x, base) for another base, log10(x), log2(x)',
  arcsin: 'asin(x)',
  arccos: 'acos(x)',
  arctan: 'atan(x), or atan2(y, x)',
  arcsinh: 'asinh(x)',
  arccosh: 'acosh(x)',
  arctanh: 'atanh(x)',
  power: 'x ^ y or pow(x, y)',
  sqr: 'square(x) or x ^ 2',
  len: 'size(x) or count(x)',
  length: 'size(x) or count(x)',
  avg: 'mean(x)',
  average: 'mean(x)',
  stdev: 'std(x)',
  stddev: 'std(x)',
  var: 'variance(x)',
  choose: 'combinations(n, k)',
  binomial: 'combinations(n, k)',
  nCr: 'combinations(n, k)',
  nPr: 'permutations(n, k)',
  fact: 'factorial(n) or n!',
  integrate: 'nothing: mathjs has no symbolic integration; approximate with sum() over a fine range',
  integral: 'nothing: mathjs has no symbolic integration; approximate with sum() over a fine range',
  solve: 'the solve_linear tool for linear systems, or lsolve/lusolve(A, b)',
  diff: 'the derivative tool (diff(x) here is the difference between neighbouring elements)',
  transpose: "transpose(A) or A'",
};

/** The known names closest to `name` (at most three), for "did you mean" hints. */
function closestNames(name: string, candidates: Iterable<string>): string[] {
  const lower = name.toLowerCase();
  const scored: [string, number][] = [];
  for (const candidate of candidates) {
    if (candidate.startsWith('_')) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= Math.max(1, Math.floor(name.length / 3))) scored.push([candidate, distance]);
  }
  return scored
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([candidate]) => candidate);
}

function unknownNameHint(name: string, sandbox: Sandbox, isFunction: boolean): string {
  const alias = ALIASES[name];
  if (alias) return `mathjs has no ${name}; use ${alias}.`;
  const names = Object.keys(sandbox.namespace).filter((key) =>
    isFunction ? typeof sandbox.namespace[key] === 'function' : true,
  );
  const close = closestNames(name, names);
  const guess = close.length > 0 ? `Did you mean ${close.join(', ')}? ` : '';
  return isFunction
    ? `${guess}Define it first (${name}(x) = ...), or read the functions resource for the names mathjs knows.`
    : `${guess}Give ${name} a value in scope or in an earlier statement (${name} = 3); write units after a number (5 cm).`;
}

function hintFor(message: string, sandbox: Sandbox, expression: string): string {
  const undefinedFunction = /Undefined function (\w+)/.exec(message);
  if (undefinedFunction) return unknownNameHint(undefinedFunction[1] as string, sandbox, true);
  const undefinedSymbol = /Undefined symbol (\w+)/.exec(message);
  if (undefinedSymbol) return unknownNameHint(undefinedSymbol[1] as string, sandbox, false);
  if (/Units do not match|Cannot convert .* unit|incompatible unit|base unit/i.test(message)) {
    return 'Only units of the same dimension convert into each other (length to length, speed to speed); use the convert_units tool to see the compatible units.';
  }
  if (/Dimension mismatch|dimensions? (must|do not)|Matrix must be square/i.test(message)) {
    return 'Check the sizes with size(A): A * B needs columns of A = rows of B; use .* ./ .^ for element-wise operations; square matrices only for inv, det.';
  }
  if (/Unexpected type of argument|Cannot convert/i.test(message)) {
    return 'An argument has a type this function does not take (e.g. a unit where a number is needed); read the functions resource for its signatures.';
  }
  if (/Too (few|many) arguments/i.test(message))
    return 'Check how many arguments the function takes in the functions resource.';
  if (/Index out of range|Index exceeds/i.test(message)) {
    return 'Indices in expressions start at 1 and end at size(A): A[1, 1] is the first element, A[end, 1] the last row.';
  }
  return syntaxHint(expression);
}

const FORBIDDEN_MESSAGE =
  /No access to (property|method)|Cannot access method|is disabled|Cannot apply a numeric index as object property/;

/** What V8 throws for a value past its own limits, before the heap limit is reached. */
const JS_SIZE_LIMIT = /Maximum BigInt size|Invalid string length|Invalid array length|Array buffer allocation failed/;

/** Classify what an evaluation of `expression` threw, keeping {@link MathError}s as they are. */
export function explainError(error: unknown, sandbox: Sandbox, expression: string): MathError {
  if (error instanceof MathError) return error;
  if (error instanceof RangeError && /call stack/i.test(error.message)) return recursionLimitExceeded();
  if (error instanceof RangeError && JS_SIZE_LIMIT.test(error.message)) return valueTooLarge(error.message);
  const message = error instanceof Error ? error.message : String(error);
  if (FORBIDDEN_MESSAGE.test(message)) {
    return new MathError('forbidden', `The sandbox refused this: ${message}.`, {
      hint: 'Use plain mathematics: numbers, units, matrices, functions by name. Object internals are not reachable.',
    });
  }
  if (error instanceof SyntaxError) {
    return new MathError('syntax_error', `Cannot parse the expression: ${message}.`, { hint: syntaxHint(expression) });
  }
  return new MathError('evaluation_error', message.endsWith('.') ? message : `${message}.`, {
    hint: hintFor(message, sandbox, expression),
  });
}
