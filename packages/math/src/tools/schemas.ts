/**
 * Zod pieces shared by the math tools: inputs (scalars, scopes, precision, number type) and the structured value
 * every tool returns.
 */
import { z } from 'zod';
import { NUMBER_TYPES } from '../engine/options.js';

/** A number, or a string holding a number, fraction, unit or complex number. */
export const scalarSchema = z.union([z.number(), z.string().max(200)]);

/** A scalar, a vector or a matrix of scalars. */
export const valueSchema = z.union([
  z.number(),
  z.string().max(200),
  z.array(scalarSchema),
  z.array(z.array(scalarSchema)),
]);

/** Variables by name, undescribed (for use inside another described field). */
export const scopeValuesSchema = z.record(
  z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a variable name: a letter, then letters, digits or _'),
  valueSchema,
);

/** Variables by name. */
export const scopeSchema = scopeValuesSchema.describe(
  'Variables by name: numbers, or strings holding a number ("1e-30"), fraction ("1/3"), unit ("9.81 m/s^2") or complex ("2 + 3i"), never evaluated; arrays for vectors, arrays of arrays for matrices.',
);

/** Significant digits of the text form. */
export const precisionSchema = z
  .number()
  .int()
  .min(1)
  .max(1000)
  .describe('Significant digits of the text value (default 14 for number, full for BigNumber and Fraction).');

/** How numbers are represented. */
export const numberTypeSchema = z
  .enum(NUMBER_TYPES as [string, ...string[]])
  .describe(
    'number: 64-bit floats. BigNumber: high-precision decimals (64 digits by default), for huge or very exact numbers. Fraction: exact rationals (1/3 stays 1/3).',
  );

/** The types a value can have. */
export const valueTypeSchema = z.enum([
  'number',
  'BigNumber',
  'Fraction',
  'Complex',
  'Unit',
  'Matrix',
  'boolean',
  'string',
  'bigint',
  'Object',
  'null',
  'undefined',
  'function',
]);

/**
 * The fields of a structured value, for spreading into output schemas. Undescribed: the tool descriptions say what
 * a model needs, and every word here is paid for on every request.
 */
export const mathValueShape = {
  /** The result as text, in mathjs syntax (paste it into the next expression). */
  value: z.string(),
  /** The kind of value; `function` marks a function definition, shown by its signature. */
  type: valueTypeSchema,
  /** The value as a JSON number, when it is a finite real scalar (units: in their own unit). */
  number: z.number().optional(),
  /** The unit of a Unit value. */
  unit: z.string().optional(),
  /** A matrix as nested arrays, one level per dimension: numbers where exact, otherwise text. */
  array: z.array(z.unknown()).optional(),
  /** The dimensions of a matrix. */
  size: z.array(z.number()).optional(),
  /** The value in LaTeX. */
  latex: z.string().optional(),
  /** Present when the value is not finite or needs care. */
  warning: z.string().optional(),
};

/** A structured value. */
export const mathValueSchema = z.object(mathValueShape);
