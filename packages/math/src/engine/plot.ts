/**
 * Sampling a function of one variable for a plot: the expression parsed and checked once, then evaluated at evenly
 * spaced points in the same sandbox as every other operation. A point where the value is not a finite real number
 * (a pole, a complex value, outside the domain) is a gap, not an error.
 */
import type { MathNode } from 'mathjs';
import { explainError } from './explain.js';
import { type EngineLimits, formatCount } from './limits.js';
import { MathError } from './math-error.js';
import type { Sandbox } from './sandbox.js';
import { variableNameProblem } from './scope.js';

export interface PlotInput {
  expression: string;
  /** The variable the expression is a function of; default `x`. */
  variable?: string;
  from: number;
  to: number;
  /** How many points, evenly spaced, both ends included. */
  points: number;
}

/** The lowest or highest sampled point. */
export interface PlotPoint {
  x: number;
  y: number;
}

export interface PlotOutput {
  expression: string;
  variable: string;
  from: number;
  to: number;
  /** The sample positions, ascending. */
  x: number[];
  /** The value at each position; `null` where it is not a finite real number (a gap in the curve). */
  y: (number | null)[];
  /** The lowest and highest sampled values; absent when no point is defined. */
  min?: PlotPoint;
  max?: PlotPoint;
  /** The runs of samples where the function is undefined, as the first and last `x` of each run. */
  gaps: { from: number; to: number }[];
}

/** 12 significant digits: more than a plot can show, and about half the JSON of a full double. */
function round(value: number): number {
  return Number(value.toPrecision(12));
}

/** A real number from what an expression gave, `null` for a gap, or a {@link MathError} for a value of another kind. */
function realValue(box: Sandbox, value: unknown): number | null | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const math = box.math;
  if (math.isBigNumber(value) || math.isFraction(value)) return realValue(box, Number(value.valueOf()));
  if (math.isComplex(value)) {
    const { re, im } = value as unknown as { re: number; im: number };
    return Math.abs(im) <= 1e-12 * Math.max(1, Math.abs(re)) ? realValue(box, re) : null;
  }
  return undefined;
}

/** The value of the last statement (`a = 2; a * x^2` gives `a * x^2`). */
function lastValue(value: unknown): unknown {
  const entries = (value as { isResultSet?: boolean; entries?: unknown[] } | null)?.entries;
  if ((value as { isResultSet?: boolean } | null)?.isResultSet === true && Array.isArray(entries)) {
    return entries[entries.length - 1];
  }
  return value;
}

/** Sample `input.expression` over `[from, to]`. Throws {@link MathError}s for bad input and non-numeric values. */
export function samplePlot(box: Sandbox, input: PlotInput, limits: EngineLimits): PlotOutput {
  const variable = input.variable ?? 'x';
  const problem = variableNameProblem(variable, box.namespace);
  if (problem) {
    throw new MathError('invalid_input', `The variable ${JSON.stringify(variable)} is not valid: ${problem}.`, {
      hint: 'Name the variable the expression is a function of, e.g. x or t.',
    });
  }
  if (input.expression.trim() === '') {
    throw new MathError('invalid_input', 'The expression is empty.', {
      hint: `Write a function of ${variable}, e.g. sin(${variable}).`,
    });
  }
  let compiled: { evaluate(scope: Map<string, unknown>): unknown };
  try {
    compiled = (box.parseChecked(input.expression) as MathNode).compile();
  } catch (error) {
    throw explainError(error, box, input.expression);
  }
  const step = (input.to - input.from) / (input.points - 1);
  const xs: number[] = [];
  const ys: (number | null)[] = [];
  for (let i = 0; i < input.points; i++) {
    const x = i === input.points - 1 ? input.to : input.from + i * step;
    let value: unknown;
    try {
      value = lastValue(compiled.evaluate(new Map([[variable, x]])));
    } catch (error) {
      const explained = explainError(error, box, input.expression);
      throw new MathError(explained.code, `At ${variable} = ${round(x)}: ${explained.message}`, {
        ...(explained.hint === undefined ? {} : { hint: explained.hint }),
        ...(explained.details === undefined ? {} : { details: explained.details }),
      });
    }
    const y = realValue(box, value);
    if (y === undefined) {
      throw new MathError(
        'invalid_input',
        `The expression must give a number for each ${variable}; at ${variable} = ${round(x)} it gives a ${box.math.typeOf(value)}.`,
        {
          hint: `Plot one real-valued function of ${variable}, e.g. x^2 - 1; plot each component of a vector separately.`,
        },
      );
    }
    xs.push(round(x));
    ys.push(y === null ? null : round(y));
  }
  const output: PlotOutput = {
    expression: input.expression,
    variable,
    from: input.from,
    to: input.to,
    x: xs,
    y: ys,
    gaps: [],
  };
  let start: number | undefined;
  ys.forEach((y, i) => {
    const x = xs[i] as number;
    if (y === null) {
      start ??= x;
      if (i === ys.length - 1 || ys[i + 1] !== null) {
        output.gaps.push({ from: start, to: x });
        start = undefined;
      }
      return;
    }
    if (output.min === undefined || y < output.min.y) output.min = { x, y };
    if (output.max === undefined || y > output.max.y) output.max = { x, y };
  });
  const length = JSON.stringify(output).length;
  if (length > limits.maxResultLength) {
    throw new MathError(
      'result_too_large',
      `The plot would be ${formatCount(length)} characters long; the limit is ${formatCount(limits.maxResultLength)} (result size limit).`,
      {
        hint: `Ask for fewer points (${Math.floor((input.points * limits.maxResultLength) / length)} fit). The server sets the limit with \`maxResultLength\`.`,
        details: { limit: 'maxResultLength', length, max: limits.maxResultLength },
      },
    );
  }
  return output;
}
