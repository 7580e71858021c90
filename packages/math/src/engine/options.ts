/**
 * The choices the tools offer (number types, statistics), in a module of their own: the tool schemas in the server
 * process need them, and importing them from the engine would load mathjs there too, which only the evaluation
 * workers need.
 */

/** How numbers are represented: JavaScript doubles, arbitrary-precision decimals, or exact fractions. */
export type NumberType = 'number' | 'BigNumber' | 'Fraction';

/** The number types, in the order they are documented. */
export const NUMBER_TYPES: readonly NumberType[] = ['number', 'BigNumber', 'Fraction'];

/** The statistics the `statistics` operation can compute. */
export const STATISTIC_MEASURES = [
  'count',
  'sum',
  'mean',
  'median',
  'mode',
  'min',
  'max',
  'range',
  'variance',
  'std',
  'mad',
] as const;

/** One of {@link STATISTIC_MEASURES}. */
export type StatisticMeasure = (typeof STATISTIC_MEASURES)[number];
