/**
 * The math engine: every operation the pack offers, as plain synchronous functions over sandboxed mathjs
 * instances. It runs inside a worker process (see `worker-main.ts`), where the pool enforces the time and memory
 * limits; it can also run in-process for tests and tools that need no isolation.
 */
import type { MathJsInstance, MathNode } from 'mathjs';
import { buildCatalog, type Catalog } from './catalog.js';
import { type DescribeOptions, describeValue, type MathValue, resultTooLarge } from './describe.js';
import { explainError } from './explain.js';
import { checkExpression, unsafeNameReason } from './guard.js';
import { type EngineLimits, matrixTooLarge } from './limits.js';
import { MathError, type MathErrorData } from './math-error.js';
import { type NumberType, STATISTIC_MEASURES, type StatisticMeasure } from './options.js';
import { type PlotInput, type PlotOutput, samplePlot } from './plot.js';
import { createSandbox, expressionNamespace, type Sandbox } from './sandbox.js';
import { readScope, readValue, type ScalarInput, type ValueInput, variableNameProblem } from './scope.js';

// ---------------------------------------------------------------------------------------------------------------
// Inputs and outputs

/** Variables for an evaluation, by name. */
export type ScopeInput = Record<string, ValueInput>;

export interface EvaluateInput {
  /** The expressions, evaluated in order with one shared scope. */
  expressions: string[];
  /** True when the caller sent an array: an evaluation error then fails only its own item. */
  batch: boolean;
  scope?: ScopeInput;
  precision?: number;
  numberType?: NumberType;
}

/** One evaluated expression: its value, or (in a batch) why it failed. */
export type EvaluateItem =
  | ({ expression: string } & MathValue)
  | { expression: string; error: string; code: MathErrorData['code']; hint?: string };

export interface EvaluateOutput {
  results: EvaluateItem[];
}

export interface SimplifyInput {
  expression: string;
  /** Extra rules, `"l -> r"` each; applied before the default rules unless `useDefaultRules` is false. */
  rules?: string[];
  useDefaultRules?: boolean;
  exactFractions?: boolean;
  /** Expand into a polynomial fraction (mathjs `rationalize`) instead of simplifying. */
  rationalize?: boolean;
  /** Values to substitute before simplifying. */
  scope?: ScopeInput;
}

export interface SimplifyOutput {
  expression: string;
  latex: string;
  /** The free variables left in the result. */
  variables: string[];
}

export interface DerivativeInput {
  expression: string;
  variable: string;
  order?: number;
  simplify?: boolean;
  /** Where to evaluate the derivative: a value of `variable`, or values of every variable by name. */
  at?: ValueInput | ScopeInput;
  precision?: number;
}

export interface DerivativeOutput {
  derivative: string;
  latex: string;
  /** The derivative evaluated at `at`. */
  value?: MathValue;
}

export interface ConvertUnitsInput {
  /** A quantity with a unit, e.g. `5 inch` or `3 ft + 2 inch`. */
  value: string;
  /** The target unit, e.g. `cm`, `km/h`, `degF`, or `SI`. */
  to: string;
  precision?: number;
}

export interface ConvertUnitsOutput extends MathValue {
  from: string;
}

export interface StatisticsInput {
  values: number[];
  measures?: StatisticMeasure[];
  /** Probabilities in [0, 1] for quantiles, e.g. [0.25, 0.5, 0.75]. */
  quantiles?: number[];
  normalization?: 'unbiased' | 'uncorrected' | 'biased';
}

export interface StatisticsOutput {
  count?: number;
  sum?: number;
  mean?: number;
  median?: number;
  mode?: number[];
  min?: number;
  max?: number;
  range?: number;
  variance?: number;
  std?: number;
  mad?: number;
  quantiles?: { p: number; value: number }[];
}

export interface SolveLinearInput {
  A: ScalarInput[][];
  b: ScalarInput[] | ScalarInput[][];
  numberType?: NumberType;
  precision?: number;
}

export interface SolveLinearOutput {
  /** The solution: a vector when `b` is a vector, else a matrix with one column per column of `b`. */
  x: unknown[];
  value: string;
  latex?: string;
  /** The largest absolute entry of A·x − b (number type only): how well x solves the system. */
  residual?: number;
  warning?: string;
}

/** Every operation, with its input and output, as the worker protocol sees them. */
export interface Operations {
  evaluate: [EvaluateInput, EvaluateOutput];
  simplify: [SimplifyInput, SimplifyOutput];
  derivative: [DerivativeInput, DerivativeOutput];
  convertUnits: [ConvertUnitsInput, ConvertUnitsOutput];
  statistics: [StatisticsInput, StatisticsOutput];
  solveLinear: [SolveLinearInput, SolveLinearOutput];
  plot: [PlotInput, PlotOutput];
  catalog: [Record<string, never>, Catalog];
}

/** The name of an operation. */
export type OperationName = keyof Operations;

/** The engine: one function per operation. */
export type MathEngine = { [K in OperationName]: (input: Operations[K][0]) => Operations[K][1] };

// ---------------------------------------------------------------------------------------------------------------

/** Evaluate one parsed statement list, returning the value of the last statement. */
function runStatements(node: MathNode, scope: Map<string, unknown>): { value: unknown; node: MathNode } {
  const blocks = node.type === 'BlockNode' ? (node as unknown as { blocks: { node: MathNode }[] }).blocks : [{ node }];
  let last: { value: unknown; node: MathNode } = { value: undefined, node };
  for (const block of blocks) last = { value: block.node.compile().evaluate(scope), node: block.node };
  return last;
}

/** A function definition evaluates to a function: describe it by its signature, never by the function itself. */
function definedFunction(node: MathNode): MathValue | undefined {
  if (node.type !== 'FunctionAssignmentNode') return undefined;
  const { name, params } = node as unknown as { name: string; params: string[] };
  return { value: `${name}(${params.join(', ')})`, type: 'function' };
}

function freeVariables(node: MathNode, math: MathJsInstance): string[] {
  const names = new Set<string>();
  const namespace = expressionNamespace(math);
  node.traverse((child: MathNode, _path: string, parent: MathNode | null) => {
    if (child.type !== 'SymbolNode') return;
    const name = (child as unknown as { name: string }).name;
    const isCallee = parent?.type === 'FunctionNode' && (parent as unknown as { fn: MathNode }).fn === child;
    if (!isCallee && !Object.hasOwn(namespace, name)) names.add(name);
  });
  return [...names].sort();
}

function checkLength(expression: string, what: string): void {
  if (expression.trim().length === 0)
    throw new MathError('invalid_input', `${what} is empty.`, { hint: 'Write an expression, e.g. 2 + 2.' });
}

function maxAbs(math: MathJsInstance, value: unknown): number {
  const values = (math.flatten(value as never) as unknown as { valueOf(): unknown[] }).valueOf() as unknown[];
  return values.reduce<number>(
    (max, item) => Math.max(max, Math.abs(Number((math.abs(item as never) as { valueOf(): unknown }).valueOf()))),
    0,
  );
}

/** Create an engine. Sandboxes are created on first use of each number type. */
export function createEngine(limits: EngineLimits): MathEngine {
  const sandboxes = new Map<NumberType, Sandbox>();
  const sandbox = (numberType: NumberType = 'number'): Sandbox => {
    let existing = sandboxes.get(numberType);
    if (!existing) {
      existing = createSandbox(numberType, limits);
      sandboxes.set(numberType, existing);
    }
    return existing;
  };
  const describe = (box: Sandbox, value: unknown, precision: number | undefined): MathValue => {
    const options: DescribeOptions = { precision, limits };
    return describeValue(box, value, options);
  };
  const expressionString = (node: MathNode): string => node.toString({ parenthesis: 'keep', implicit: 'hide' });

  const engine: MathEngine = {
    evaluate(input) {
      const box = sandbox(input.numberType);
      const scope = readScope(box, input.scope, limits.maxMatrixElements);
      // Parse and check every expression before evaluating any: a forbidden one fails the whole call.
      const parsed = input.expressions.map((expression, index) => {
        try {
          checkLength(expression, input.batch ? `Expression ${index + 1}` : 'The expression');
          return box.parseChecked(expression);
        } catch (error) {
          const explained = explainError(error, box, expression);
          if (!input.batch || explained.code === 'forbidden') {
            throw input.batch ? withItem(explained, index, input.expressions.length) : explained;
          }
          return explained;
        }
      });
      const results: EvaluateItem[] = [];
      let length = 0;
      parsed.forEach((node, index) => {
        const expression = input.expressions[index] as string;
        let item: EvaluateItem;
        if (node instanceof MathError) {
          item = { expression, error: node.message, code: node.code, ...(node.hint ? { hint: node.hint } : {}) };
        } else {
          try {
            const { value, node: last } = runStatements(node, scope);
            item = { expression, ...(definedFunction(last) ?? describe(box, value, input.precision)) };
          } catch (error) {
            const explained = explainError(error, box, expression);
            if (!input.batch || explained.code !== 'evaluation_error') {
              throw input.batch ? withItem(explained, index, input.expressions.length) : explained;
            }
            item = {
              expression,
              error: explained.message,
              code: explained.code,
              ...(explained.hint ? { hint: explained.hint } : {}),
            };
          }
        }
        length += JSON.stringify(item).length;
        if (length > limits.maxResultLength) throw resultTooLarge(length, limits.maxResultLength, false);
        results.push(item);
      });
      return { results };
    },

    simplify(input) {
      const box = sandbox('number');
      checkLength(input.expression, 'The expression');
      try {
        const node = box.parseChecked(input.expression);
        const custom = (input.rules ?? []).map((rule, index) => checkRule(box, rule, index));
        const defaults = (box.simplify as unknown as { rules: unknown[] }).rules;
        const rules = input.useDefaultRules === false ? custom : [...custom, ...defaults];
        const scope = readScope(box, input.scope, limits.maxMatrixElements);
        let result: MathNode;
        if (input.rationalize) {
          const substituted = scope.size > 0 ? box.simplify(node, [], scope as never) : node;
          result = box.rationalize(substituted) as MathNode;
        } else {
          result = box.simplify(node, rules as never, scope as never, { exactFractions: input.exactFractions ?? true });
        }
        return {
          expression: expressionString(result),
          latex: result.toTex(),
          variables: freeVariables(result, box.math),
        };
      } catch (error) {
        throw explainError(error, box, input.expression);
      }
    },

    derivative(input) {
      const box = sandbox('number');
      checkLength(input.expression, 'The expression');
      const problem = variableNameProblem(input.variable, {});
      if (problem) {
        throw new MathError(
          'invalid_input',
          `The variable ${JSON.stringify(input.variable)} is not valid: ${problem}.`,
          {
            hint: 'Name the variable to differentiate by, e.g. x.',
          },
        );
      }
      try {
        const node = box.parseChecked(input.expression);
        let result = node;
        const order = input.order ?? 1;
        for (let i = 0; i < order; i++) {
          result = box.derivative(result, input.variable, { simplify: input.simplify ?? true });
        }
        const output: DerivativeOutput = { derivative: expressionString(result), latex: result.toTex() };
        if (input.at !== undefined) {
          const at = input.at;
          const values: ScopeInput =
            typeof at === 'object' && at !== null && !Array.isArray(at) ? at : { [input.variable]: at };
          const scope = readScope(box, values, limits.maxMatrixElements);
          output.value = describe(box, result.compile().evaluate(scope), input.precision);
        }
        return output;
      } catch (error) {
        throw explainError(error, box, input.expression);
      }
    },

    convertUnits(input) {
      const box = sandbox('number');
      const { math } = box;
      checkLength(input.value, 'The value');
      let quantity: unknown;
      try {
        quantity = runStatements(box.parseChecked(input.value), new Map()).value;
      } catch (error) {
        throw explainError(error, box, input.value);
      }
      const source = quantity as {
        isUnit?: boolean;
        value: unknown;
        dimensions: number[];
        toSI(): unknown;
        to(unit: unknown): unknown;
      };
      if (source?.isUnit !== true || source.value === null) {
        throw new MathError('invalid_input', `${JSON.stringify(input.value)} is not a quantity with a unit.`, {
          hint: 'Write a number and a unit: "5 inch", "60 km/h", "3 ft + 2 inch".',
        });
      }
      const to = input.to.trim();
      let converted: unknown;
      if (/^si$/i.test(to)) {
        converted = source.toSI();
      } else {
        let target: { dimensions: number[]; value: unknown };
        try {
          if (unsafeNameReason(to) || to.length > 100) throw new Error('bad unit');
          target = math.unit(to) as never;
        } catch {
          throw new MathError('invalid_input', `${JSON.stringify(to)} is not a unit mathjs knows.`, {
            hint: `Units compatible with ${input.value}: ${compatibleUnits(math, source).join(', ')}.`,
          });
        }
        if (target.value !== null) {
          throw new MathError('invalid_input', `The target ${JSON.stringify(to)} has a number in it.`, {
            hint: 'Give only the unit, e.g. "cm" or "km/h".',
          });
        }
        if (!sameDimensions(source.dimensions, target.dimensions)) {
          const compatible = compatibleUnits(math, source);
          throw new MathError(
            'incompatible_units',
            `Cannot convert ${input.value} to ${to}: they measure different things (${dimensionName(math, source.dimensions)} vs ${dimensionName(math, target.dimensions)}).`,
            {
              hint: `Units compatible with ${input.value}: ${compatible.join(', ')}.`,
              details: { compatibleUnits: compatible },
            },
          );
        }
        converted = source.to(to);
      }
      return { ...describe(box, converted, input.precision), from: input.value };
    },

    statistics(input) {
      const box = sandbox('number');
      const { math } = box;
      const values = input.values;
      if (values.length === 0)
        throw new MathError('invalid_input', 'values is empty.', { hint: 'Give at least one number.' });
      if (values.length > limits.maxMatrixElements)
        throw matrixTooLarge('values', values.length, limits.maxMatrixElements);
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
    },

    solveLinear(input) {
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
        const columns = bIsVector
          ? [b]
          : (math.transpose(b as never) as unknown as { toArray(): unknown[][] }).toArray();
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
    },

    plot: (input) => samplePlot(sandbox('number'), input, limits),

    catalog() {
      return buildCatalog(sandbox('number').namespace);
    },
  };
  return engine;
}

function withItem(error: MathError, index: number, total: number): MathError {
  return new MathError(error.code, `Expression ${index + 1} of ${total}: ${error.message}`, {
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    ...(error.retryable ? { retryable: true } : {}),
    details: { ...error.details, index },
  });
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

function checkRule(box: Sandbox, rule: string, index: number): { l: string; r: string } {
  const parts = rule.split('->');
  if (parts.length !== 2) {
    throw new MathError(
      'invalid_input',
      `rules[${index}] must look like "left -> right", got ${JSON.stringify(rule)}.`,
      {
        hint: 'Write a rule as a pattern and its replacement: "n1 * n2 + n1 * n3 -> n1 * (n2 + n3)" (n, n1, ... match any node; c matches constants, v variables).',
      },
    );
  }
  const [l, r] = parts.map((part) => part.trim()) as [string, string];
  checkExpression(box.parseChecked(l));
  checkExpression(box.parseChecked(r));
  return { l, r };
}

function sameDimensions(a: readonly number[], b: readonly number[]): boolean {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) if (Math.abs((a[i] ?? 0) - (b[i] ?? 0)) > 1e-12) return false;
  return true;
}

interface UnitDefinition {
  name: string;
  value: number;
  offset: number;
  base: { dimensions: number[] };
}

/** Names of units with the same dimensions as `unit`, one per distinct size, shortest name first. */
export function compatibleUnits(math: MathJsInstance, unit: { dimensions: number[]; toSI(): unknown }): string[] {
  const units = (math.Unit as unknown as { UNITS: Record<string, UnitDefinition> }).UNITS;
  const bySize = new Map<string, string>();
  for (const [name, definition] of Object.entries(units)) {
    if (!sameDimensions(definition.base.dimensions, unit.dimensions)) continue;
    const key = `${definition.value}:${definition.offset}`;
    const existing = bySize.get(key);
    if (existing === undefined || name.length < existing.length) bySize.set(key, name);
  }
  const names = [...bySize.values()].slice(0, 40);
  const si = (unit.toSI() as { formatUnits(): string }).formatUnits();
  if (si && !names.includes(si)) names.unshift(si);
  return names.length > 0 ? names : ['(none)'];
}

function dimensionName(math: MathJsInstance, dimensions: readonly number[]): string {
  const base = math.Unit as unknown as {
    BASE_DIMENSIONS: string[];
    BASE_UNITS: Record<string, { dimensions: number[] }>;
  };
  for (const [name, definition] of Object.entries(base.BASE_UNITS)) {
    if (name !== 'NONE' && sameDimensions(definition.dimensions, dimensions))
      return name.toLowerCase().replaceAll('_', ' ');
  }
  const parts = dimensions
    .map((power, i) =>
      power === 0 ? '' : `${(base.BASE_DIMENSIONS[i] ?? '?').toLowerCase()}${power === 1 ? '' : `^${power}`}`,
    )
    .filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : 'dimensionless';
}
