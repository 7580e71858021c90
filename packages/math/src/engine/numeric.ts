/**
 * The numeric operations over arrays and matrices: summary statistics and linear systems.
 */
import type { MathJsInstance } from 'mathjs';
import type { EngineContext } from './context.js';
import { explainError } from './explain.js';
import { matrixTooLarge } from './limits.js';
import { MathError } from './math-error.js';
import type { SolveLinearInput, SolveLinearOutput, StatisticsInput, StatisticsOutput } from './operations.js';
import { STATISTIC_MEASURES, type StatisticMeasure } from './options.js';
import { readValue } from './scope.js';

function maxAbs(math: MathJsInstance, value: unknown): number {
  const values = (math.flatten(value as never) as unknown as { valueOf(): unknown[] }).valueOf() as unknown[];
  return values.reduce<number>(
    (max, item) => Math.max(max, Math.abs(Number((math.abs(item as never) as { valueOf(): unknown }).valueOf()))),
    0,
  );
}

/** Summary statistics over a vector or matrix of values. */
export function statistics(context: EngineContext, input: StatisticsInput): StatisticsOutput {
  const { sandbox, limits } = context;
  const box = sandbox('number');
  const { math } = box;
  const values = input.values;
  if (values.length === 0)
    throw new MathError('invalid_input', 'values is empty.', { hint: 'Give at least one number.' });
  if (values.length > limits.maxMatrixElements) throw matrixTooLarge('values', values.length, limits.maxMatrixElements);
  const measures = new Set<StatisticMeasure>(
    input.measures ?? STATISTIC_MEASURES.filter((m) => m !== 'mad' && m !== 'range'),
  );
  const normalization = input.normalization ?? 'unbiased';
  const output: StatisticsOutput = {};
  const needsTwo = normalization === 'unbiased' && values.length < 2;
  for (const measure of STATISTIC_MEASURES) {
    if (!measures.has(measure)) continue;
    switch (measure) {
      case 'count':
        output.count = values.length;
        break;
      case 'sum':
        output.sum = math.sum(values);
        break;
      case 'mean':
        output.mean = math.mean(values);
        break;
      case 'median':
        output.median = math.median(values);
        break;
      case 'mode':
        output.mode = math.mode(values) as number[];
        break;
      case 'min':
        output.min = math.min(values);
        break;
      case 'max':
        output.max = math.max(values);
        break;
      case 'range':
        output.range = math.max(values) - math.min(values);
        break;
      case 'variance':
      case 'std':
        if (needsTwo) {
          throw new MathError('invalid_input', `The sample ${measure} needs at least two values.`, {
            hint: 'Give more values, or set normalization to "uncorrected" for the population formula.',
          });
        }
        output[measure] = Number(
          measure === 'std' ? math.std(values, normalization) : math.variance(values, normalization),
        );
        break;
      case 'mad':
        output.mad = math.mad(values);
        break;
    }
  }
  if (input.quantiles && input.quantiles.length > 0) {
    output.quantiles = input.quantiles.map((p) => ({ p, value: Number(math.quantileSeq(values, p)) }));
  }
  return output;
}

/** Solve A x = b exactly or numerically, refusing singular and ill-conditioned systems with a reason. */
export function solveLinear(context: EngineContext, input: SolveLinearInput): SolveLinearOutput {
  const { sandbox, describe, limits } = context;
  const box = sandbox(input.numberType);
  const { math } = box;
  const n = input.A.length;
  if (n === 0)
    throw new MathError('invalid_input', 'A is empty.', { hint: 'Give A as rows of numbers: [[2, 1], [1, 3]].' });
  if (n * n > limits.maxMatrixElements) throw matrixTooLarge('A', n * n, limits.maxMatrixElements);
  input.A.forEach((row, i) => {
    if (row.length !== n) {
      throw new MathError(
        'invalid_input',
        `A must be square: it has ${n} rows but row ${i + 1} has ${row.length} entries.`,
        {
          hint: 'For an over- or under-determined system use the evaluate tool with a least-squares solution: pinv(A) * b.',
          details: { rows: n, columns: row.length },
        },
      );
    }
  });
  const bIsVector = !Array.isArray(input.b[0]);
  if (input.b.length !== n) {
    throw new MathError(
      'invalid_input',
      `b must have ${n} ${bIsVector ? 'entries' : 'rows'} (one per row of A), it has ${input.b.length}.`,
      {
        hint: 'Give one right-hand side value per equation.',
      },
    );
  }
  const A = readValue(box, input.A, 'A', limits.maxMatrixElements, 'invalid_input');
  const b = readValue(box, input.b, 'b', limits.maxMatrixElements, 'invalid_input');
  try {
    const decomposition = math.lup(A as never) as unknown as { U: { get(index: number[]): unknown } };
    const scale = box.numberType === 'Fraction' ? 0 : maxAbs(math, A);
    const tolerance =
      box.numberType === 'number'
        ? n * Number.EPSILON * scale
        : box.numberType === 'BigNumber'
          ? scale * 10 ** -(limits.bigNumberPrecision - 4)
          : 0;
    const pivots: number[] = [];
    for (let i = 0; i < n; i++) {
      const pivot = Math.abs(Number((decomposition.U.get([i, i]) as { valueOf(): unknown }).valueOf()));
      if (!(pivot > tolerance)) throw singular();
      pivots.push(pivot);
    }
    // mathjs's lusolve takes one right-hand side: solve column by column, reusing the decomposition.
    const columns = bIsVector ? [b] : (math.transpose(b as never) as unknown as { toArray(): unknown[][] }).toArray();
    const solved = columns.map(
      (column) =>
        math.flatten(math.lusolve(decomposition as never, column as never) as never) as unknown as {
          toArray(): unknown[];
        },
    );
    const x = bIsVector
      ? (solved[0] as { toArray(): unknown[] })
      : math.transpose(math.matrix(solved.map((column) => column.toArray()) as never));
    const described = describe(box, x, input.precision);
    const output: SolveLinearOutput = { x: described.array ?? [], value: described.value };
    if (described.latex !== undefined) output.latex = described.latex;
    if (box.numberType === 'number') {
      const residual = maxAbs(math, math.subtract(math.multiply(A as never, x as never) as never, b as never));
      output.residual = residual;
      // The ratio of the largest to the smallest pivot is a cheap lower bound on the condition number.
      const pivotRatio = Math.max(...pivots) / Math.min(...pivots);
      if (!Number.isFinite(residual) || residual > 1e-6 * Math.max(1, maxAbs(math, b)) || pivotRatio > 1e12) {
        output.warning = `A is nearly singular (ill-conditioned, pivot ratio ${pivotRatio.toExponential(1)}): x may be far from exact. Check the equations, or use numberType Fraction with exact input.`;
      }
    }
    return output;
  } catch (error) {
    if (error instanceof MathError) throw error;
    if (/singular/i.test((error as Error).message)) throw singular();
    throw explainError(error, box, 'lusolve(A, b)');
  }
}

function singular(): MathError {
  return new MathError(
    'singular_matrix',
    'A is singular (det(A) = 0): the system has no solution or infinitely many, never exactly one.',
    {
      hint: 'Check the equations for one that is a multiple or sum of others. For a least-squares or minimum-norm answer, call the evaluate tool with pinv(A) * b.',
    },
  );
}
