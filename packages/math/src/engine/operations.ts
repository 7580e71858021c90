import type { Catalog } from './catalog.js';
import type { MathValue } from './describe.js';
import type { MathErrorData } from './math-error.js';
import type { NumberType, StatisticMeasure } from './options.js';
import type { PlotInput, PlotOutput } from './plot.js';
import type { ScalarInput, ValueInput } from './scope.js';

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
