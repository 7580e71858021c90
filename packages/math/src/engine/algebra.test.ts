import { describe, expect, it } from 'vitest';
import { engine, failure } from './fixtures/engine.js';

describe('simplify', () => {
  it('combines terms and returns LaTeX and free variables', () => {
    expect(engine.simplify({ expression: '2x + 3x + y * y' })).toEqual({
      expression: '5 * x + y ^ 2',
      latex: '5\\cdot x+{ y}^{2}',
      variables: ['x', 'y'],
    });
    expect(engine.simplify({ expression: '(x^2 * 4) / (2 x)' }).expression).toBe('2 * x');
    expect(engine.simplify({ expression: 'x * 0 + y^1' }).expression).toBe('y');
  });

  it('substitutes scope values and rationalizes on request', () => {
    expect(engine.simplify({ expression: 'a * x + a', scope: { a: 2 } }).expression).toBe('2 * (x + 1)');
    expect(engine.simplify({ expression: '(x + 1)^2', rationalize: true }).expression).toBe('x ^ 2 + 2 * x + 1');
  });

  it('applies custom rules, alone or before the defaults', () => {
    expect(engine.simplify({ expression: 'sin(x)^2 + cos(x)^2', rules: ['sin(n)^2 + cos(n)^2 -> 1'] }).expression).toBe(
      '1',
    );
    expect(
      engine.simplify({
        expression: 'log(x * y)',
        rules: ['log(n1 * n2) -> log(n1) + log(n2)'],
        useDefaultRules: false,
      }).expression,
    ).toBe('log(x) + log(y)');
    expect(failure(() => engine.simplify({ expression: 'x', rules: ['x'] })).code).toBe('invalid_input');
    expect(failure(() => engine.simplify({ expression: 'x', rules: ['x -> evaluate("1")'] })).code).toBe('forbidden');
  });

  it('refuses forbidden input', () => {
    expect(failure(() => engine.simplify({ expression: 'import({}, {})' })).code).toBe('forbidden');
  });
});

describe('derivative', () => {
  it('differentiates and evaluates at a point', () => {
    const result = engine.derivative({ expression: 'x^3 + sin(x)', variable: 'x', at: 0 });
    expect(result.derivative).toBe('3 * x ^ 2 + cos(x)');
    expect(result.latex).toBe('3\\cdot{ x}^{2}+\\cos\\left( x\\right)');
    expect(result.value).toMatchObject({ number: 1 });
  });

  it('supports higher orders and several variables', () => {
    expect(engine.derivative({ expression: 'x^4', variable: 'x', order: 2 }).derivative).toBe('12 * x ^ 2');
    expect(engine.derivative({ expression: 'x^2 * y', variable: 'y', at: { x: 3, y: 1 } }).value).toMatchObject({
      number: 9,
    });
  });

  it('refuses bad variables and forbidden expressions', () => {
    expect(failure(() => engine.derivative({ expression: 'x', variable: 'constructor' })).code).toBe('invalid_input');
    expect(failure(() => engine.derivative({ expression: 'parse("x")', variable: 'x' })).code).toBe('forbidden');
  });
});
