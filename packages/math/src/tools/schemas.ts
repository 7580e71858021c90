/**
 * Zod pieces shared by the math tools: inputs (scalars, scopes, precision, number type) and the structured value
 * every tool returns.
 */
import { z } from 'zod';
import { NUMBER_TYPES } from '../engine/options.js';

/** A number, or a string holding a number, fraction, unit or complex number. */
export const scalarSchema = z.union([z.number(), z.string().max(200)]);

/** A scalar, a vector or a matrix of scalars. */
export const valueSchema = z.union([scalarSchema, z.array(scalarSchema), z.array(z.array(scalarSchema))]);

/** Variables by name. */
export const scopeSchema = z
  .record(
    z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a variable name: a letter, then letters, digits or _'),
    valueSchema,
  )
  .describe(
    'Variables by name. Values: numbers (2.5), strings holding a number ("1e-30"), a fraction ("1/3"), a unit ("9.81 m/s^2") or a complex number ("2 + 3i"); arrays of them for vectors, arrays of arrays for matrices. Strings are never evaluated as expressions.',
  );

/** Significant digits of the text form. */
export const precisionSchema = z
  .number()
  .int()
  .min(1)
  .max(1000)
  .describe(
    'Significant digits in the text form (value). Default: 14 for numbers (hides binary round-off such as 0.30000000000000004), full precision for BigNumber and Fraction.',
  );

/** How numbers are represented. */
export const numberTypeSchema = z
  .enum(NUMBER_TYPES as [string, ...string[]])
  .describe(
    "number: 64-bit floats (fast, ~15 digits). BigNumber: decimal arithmetic with the server's precision (64 digits by default), for huge or very exact numbers. Fraction: exact rationals (1/3 stays 1/3).",
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

/** The fields of a structured value, for spreading into output schemas. */
export const mathValueShape = {
  value: z.string().describe('The result as text, in mathjs syntax (paste it into the next expression).'),
  type: valueTypeSchema.describe('The kind of value. `function` marks a function definition, shown by its signature.'),
  number: z
    .number()
    .optional()
    .describe('The value as a JSON number, when it is a finite real scalar (units: in their own unit).'),
  unit: z.string().optional().describe('The unit of a Unit value.'),
  array: z
    .array(z.unknown())
    .optional()
    .describe('A matrix as nested arrays, one level per dimension: numbers where exact, otherwise text.'),
  size: z.array(z.number().int()).optional().describe('The dimensions of a matrix.'),
  latex: z.string().optional().describe('The value in LaTeX.'),
  warning: z.string().optional().describe('Present when the value is not finite or needs care.'),
};

/** A structured value. */
export const mathValueSchema = z.object(mathValueShape);
