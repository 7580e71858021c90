import { describe, expect, it } from 'vitest';
import { createEngine, type EvaluateInput } from './engine.js';
import { engine, failure } from './fixtures/engine.js';
import { DEFAULT_ENGINE_LIMITS } from './limits.js';

function one(expression: string, options: Omit<EvaluateInput, 'expressions' | 'batch'> = {}) {
  const [result] = engine.evaluate({ expressions: [expression], batch: false, ...options }).results;
  return result as Record<string, unknown>;
}

describe('evaluate: numbers', () => {
  it('returns text, type, number and LaTeX', () => {
    expect(one('2 + 2')).toEqual({ expression: '2 + 2', value: '4', type: 'number', number: 4, latex: '4' });
    expect(one('sqrt(3^2 + 4^2)')).toMatchObject({ value: '5', number: 5 });
    expect(one('log(8, 2)')).toMatchObject({ number: 3 });
    expect(one('5!')).toMatchObject({ number: 120 });
    expect(one('combinations(10, 3)')).toMatchObject({ number: 120 });
  });

  it('hides binary round-off in the text but keeps the exact double in number', () => {
    expect(one('0.1 + 0.2')).toMatchObject({ value: '0.3', number: 0.1 + 0.2 });
  });

  it('rounds the text to the requested precision', () => {
    expect(one('pi', { precision: 5 })).toMatchObject({ value: '3.1416', number: Math.PI });
    expect(one('1/3', { precision: 3 })).toMatchObject({ value: '0.333' });
  });

  it('reports non-finite results plainly, without a number', () => {
    const infinite = one('1/0');
    expect(infinite).toMatchObject({ value: 'Infinity', type: 'number', latex: '\\infty' });
    expect(infinite.number).toBeUndefined();
    expect(infinite.warning).toMatch(/not finite/);
    const nan = one('0/0');
    expect(nan).toMatchObject({ value: 'NaN', latex: '\\mathrm{NaN}' });
    expect(nan.warning).toMatch(/NaN/);
    expect(one('-1/0')).toMatchObject({ value: '-Infinity', latex: '-\\infty' });
  });

  it('returns booleans and strings', () => {
    expect(one('3 > 2 and not false')).toMatchObject({ value: 'true', type: 'boolean', latex: 'true' });
    expect(one('concat("ab", "cd")')).toEqual({ expression: 'concat("ab", "cd")', value: 'abcd', type: 'string' });
  });
});

describe('evaluate: BigNumber and Fraction', () => {
  it('BigNumber arithmetic is exact in decimal and keeps 64 digits', () => {
    expect(one('0.1 + 0.2', { numberType: 'BigNumber' })).toMatchObject({
      value: '0.3',
      type: 'BigNumber',
      number: 0.3,
    });
    expect(one('2^100', { numberType: 'BigNumber' })).toMatchObject({ value: '1267650600228229401496703205376' });
    const third = one('1/3', { numberType: 'BigNumber' });
    expect(third.value).toBe(`0.${'3'.repeat(64)}`);
    expect(one('1/3', { numberType: 'BigNumber', precision: 10 }).value).toBe('0.3333333333');
  });

  it('BigNumber precision follows the limits', () => {
    const precise = createEngine({ ...DEFAULT_ENGINE_LIMITS, bigNumberPrecision: 100 });
    const [result] = precise.evaluate({ expressions: ['1/7'], batch: false, numberType: 'BigNumber' }).results;
    expect((result as { value: string }).value.length).toBe(102);
  });

  it('BigNumber results beyond double range keep their value and drop the number', () => {
    const huge = one('2^2000', { numberType: 'BigNumber' });
    expect(huge.value).toBe('1.148130695274254524232833201177681984022317702088695200477642737e+602');
    expect(huge.number).toBeUndefined();
  });

  it('Fraction arithmetic is exact', () => {
    expect(one('1/3 + 1/6', { numberType: 'Fraction' })).toMatchObject({
      value: '1/2',
      type: 'Fraction',
      number: 0.5,
      latex: '\\frac{1}{2}',
    });
    expect(one('0.1 + 0.2', { numberType: 'Fraction' })).toMatchObject({ value: '3/10' });
    expect(one('2/2', { numberType: 'Fraction' })).toMatchObject({ value: '1', number: 1 });
    expect(one('[1/3, 2]', { numberType: 'Fraction' })).toMatchObject({ value: '[1/3, 2]', array: ['1/3', '2'] });
  });
});

describe('evaluate: complex numbers, units, matrices', () => {
  it('complex numbers', () => {
    const root = one('sqrt(-4)');
    expect(root).toMatchObject({ value: '2i', type: 'Complex' });
    expect(root.number).toBeUndefined();
    expect(one('(1 + 2i) * (3 - i)')).toMatchObject({ value: '5 + 5i' });
    expect(one('abs(3 + 4i)')).toMatchObject({ number: 5 });
    expect(one('e^(i * pi) + 1').type).toBe('Complex');
  });

  it('units', () => {
    expect(one('5 inch to cm')).toEqual({
      expression: '5 inch to cm',
      value: '12.7 cm',
      type: 'Unit',
      unit: 'cm',
      number: 12.7,
      latex: '12.7~\\mathrm{cm}',
    });
    expect(one('9.81 m/s^2 * 2 s')).toMatchObject({ value: '19.62 m / s', unit: 'm / s' });
    expect(one('100 km / (2 h) to m/s')).toMatchObject({ unit: 'm / s' });
    expect(one('5 cm + 2 inch', { numberType: 'BigNumber' })).toMatchObject({ value: '10.08 cm', type: 'Unit' });
  });

  it('matrices come back as nested arrays with their size', () => {
    expect(one('[1, 2; 3, 4] * [5; 6]')).toMatchObject({ type: 'Matrix', array: [[17], [39]], size: [2, 1] });
    expect(one('inv([2, 0; 0, 4])')).toMatchObject({
      array: [
        [0.5, 0],
        [0, 0.25],
      ],
    });
    expect(one('det([1, 2; 3, 4])')).toMatchObject({ number: -2 });
    expect(one('[1, 2, 3] .^ 2')).toMatchObject({ array: [1, 4, 9], size: [3] });
    expect(one('[1/0, 2]')).toMatchObject({ array: ['Infinity', 2] });
    expect(one('[2 cm, 3 cm]')).toMatchObject({ array: ['2 cm', '3 cm'] });
    expect(one('[1, 2; 3, 4]').latex).toBe('\\begin{bmatrix}1&2\\\\3&4\\end{bmatrix}');
  });

  it('objects such as decompositions are returned as text', () => {
    const qr = one('qr([1, 2; 3, 4])');
    expect(qr.type).toBe('Object');
    expect(qr.value).toMatch(/"Q": \[\[/);
  });
});

describe('evaluate: statements, scope and batches', () => {
  it('returns the value of the last statement', () => {
    expect(one('a = 2; b = 3; a * b')).toMatchObject({ number: 6 });
    expect(one('f(x) = x^2\nf(3)')).toMatchObject({ number: 9 });
  });

  it('a function definition is shown by its signature, never as the function', () => {
    expect(one('f(x, y) = x^2 + y')).toEqual({ expression: 'f(x, y) = x^2 + y', value: 'f(x, y)', type: 'function' });
  });

  it('reads scope values: numbers, numeric strings, fractions, units, complex numbers, matrices', () => {
    const scope = {
      a: 2,
      b: '1e-3',
      c: '1/4',
      d: '9.81 m/s^2',
      z: '2 + 3i',
      v: [1, 2, 3],
      M: [
        [1, 2],
        [3, 4],
      ],
    };
    expect(one('a + b + c', { scope })).toMatchObject({ number: 2.251 });
    expect(one('d * 2 s', { scope })).toMatchObject({ unit: 'm / s' });
    expect(one('z * 2', { scope })).toMatchObject({ value: '4 + 6i' });
    expect(one('sum(v)', { scope })).toMatchObject({ number: 6 });
    expect(one('M * v[1:2]', { scope })).toMatchObject({ array: [5, 11] });
    expect(one('c', { scope, numberType: 'Fraction' })).toMatchObject({ value: '1/4', type: 'Fraction' });
    expect(one('b', { scope: { b: '0.1' }, numberType: 'BigNumber' })).toMatchObject({
      value: '0.1',
      type: 'BigNumber',
    });
  });

  it('refuses bad scope names and values without evaluating strings', () => {
    for (const name of ['__proto__', 'constructor', 'toString', '_data', 'evaluate', 'sqrt', '1x', 'a-b']) {
      const error = failure(() => one('1', { scope: { [name]: 1 } }));
      expect(error.code, name).toBe('invalid_scope');
    }
    expect(failure(() => one('x', { scope: { x: 'sqrt(4)' } })).message).toMatch(/cannot read "sqrt\(4\)"/);
    expect(failure(() => one('x', { scope: { x: [[1, 2], [3]] } })).message).toMatch(/rectangular/);
    expect(failure(() => one('x', { scope: { x: '1/0' } })).message).toMatch(/division by zero/);
  });

  it('a batch shares its scope and reports each failure on its own item', () => {
    const { results } = engine.evaluate({
      expressions: ['r = 3', 'area = pi * r^2', 'area / nope', 'round(area, 2)'],
      batch: true,
    });
    expect(results).toHaveLength(4);
    expect(results[1]).toMatchObject({ number: Math.PI * 9 });
    expect(results[2]).toMatchObject({ expression: 'area / nope', code: 'evaluation_error' });
    expect((results[2] as { error: string }).error).toMatch(/Undefined symbol nope/);
    expect(results[3]).toMatchObject({ number: 28.27 });
  });

  it('a syntax error in a batch fails its item only; a forbidden expression fails the whole batch', () => {
    const { results } = engine.evaluate({ expressions: ['1 +', '2 + 2'], batch: true });
    expect(results[0]).toMatchObject({ code: 'syntax_error' });
    expect(results[1]).toMatchObject({ number: 4 });
    const error = failure(() => engine.evaluate({ expressions: ['1', 'evaluate("2")'], batch: true }));
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(/^Expression 2 of 2: /);
  });
});

describe('evaluate: helpful errors', () => {
  it('points at mathjs syntax for common mistakes', () => {
    expect(failure(() => one('2 ** 3')).hint).toMatch(/\^ for powers/);
    expect(failure(() => one('Math.sqrt(2)')).hint).toMatch(/Call functions by name|not allowed|computed/);
    expect(failure(() => one('ln(2)')).hint).toMatch(/log\(x\)/);
    expect(failure(() => one('sqrtt(2)')).hint).toMatch(/Did you mean sqrt/);
    expect(failure(() => one('x + 1')).hint).toMatch(/Give x a value/);
    expect(failure(() => one('5 cm + 2 kg')).code).toBe('evaluation_error');
    expect(failure(() => one('[1, 2] * [3, 4, 5]')).hint).toMatch(/size/);
  });

  it('an empty expression is invalid input', () => {
    expect(failure(() => one('   ')).code).toBe('invalid_input');
  });
});

describe('evaluate: limits inside the engine', () => {
  it('matrix builders are checked before allocating', () => {
    for (const expression of [
      'zeros(1e5, 1e5)',
      'ones([1e4, 1e4])',
      'range(1, 1e9)',
      '1:1e9',
      'identity(1e4)',
      'random([1e4, 1e4])',
      'kron(ones(1000, 1000), ones(10, 10))',
      'range(0, Infinity)',
    ]) {
      const error = failure(() => one(expression));
      expect(error.code, expression).toBe('matrix_too_large');
      expect(error.message).toMatch(/matrix size limit/);
      expect(error.hint).toMatch(/maxMatrixElements/);
    }
    expect(one('size(zeros(100, 100))')).toMatchObject({ array: [100, 100] });
  });

  it('a result over the size limit is refused with a way out', () => {
    const error = failure(() => one('ones(300, 300)'));
    expect(error.code).toBe('result_too_large');
    expect(error.message).toMatch(/result size limit/);
    expect(error.hint).toMatch(/size\(A\)/);
    const small = createEngine({ ...DEFAULT_ENGINE_LIMITS, maxResultLength: 200 });
    const long = failure(() => small.evaluate({ expressions: [`"${'x'.repeat(300)}"`], batch: false }));
    expect(long.code).toBe('result_too_large');
  });

  it('an assignment past the end of a matrix is checked before the matrix grows', () => {
    for (const expression of ['A = [1]; A[1e5, 1e5] = 1', 'A = zeros(2, 2); A[2, 1e7] = 1', 'A = [1, 2]; A[1e7] = 3']) {
      const error = failure(() => one(expression));
      expect(error.code, expression).toBe('matrix_too_large');
      expect(error.message).toMatch(/^Assigning past the end of a matrix would have .* \(matrix size limit\)/);
    }
    expect(one('A = [1]; A[3] = 5; A')).toMatchObject({ array: [1, 0, 5] });
    expect(one('A = zeros(2, 2); A[3, 3] = 1; size(A)')).toMatchObject({ array: [3, 3] });
  });

  it('a value past what JavaScript can hold is a memory limit, with advice', () => {
    const error = failure(() => one('2^(2^40)', { numberType: 'Fraction' }));
    expect(error.code).toBe('memory_limit');
    expect(error.message).toMatch(/larger than JavaScript can hold \(Maximum BigInt size exceeded\)/);
    expect(error.hint).toMatch(/numberType number/);
  });

  it('an operator chain too deep for the parser is refused as too deep, not as a syntax error', () => {
    const deep = `${'x ^ '.repeat(4000)}x`;
    const error = failure(() => one(deep, { scope: { x: 1 } }));
    expect(error.code).toBe('expression_too_deep');
    expect(error.message).toMatch(/nests too deeply to parse; the limit is 100 \(nesting limit\)/);
  });

  it('deep recursion is stopped by the stack limit, with advice', () => {
    const error = failure(() => one('f(n) = n <= 0 ? 0 : 1 + f(n - 1); f(1e6)'));
    expect(error.code).toBe('recursion_limit');
    expect(error.hint).toMatch(/base case/);
    expect(one('f(n) = n <= 1 ? 1 : n * f(n - 1); f(10)')).toMatchObject({ number: 3628800 });
  });
});
