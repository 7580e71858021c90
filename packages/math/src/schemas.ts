/**
 * Zod pieces shared by the math tools: inputs (scalars, scopes, precision, number type) and the structured value
 * every tool returns.
 */
import { z } from 'zod';
import { NUMBER_TYPES } from './engine/options.js';

/**
 * A string capped at `max` characters against hostile input: enforced on every call, but not listed (a `.refine`,
 * which JSON Schema does not show). No real argument comes near the cap, and a listed `maxLength` would cost bytes
 * of every tools/list.
 */
export function cappedString(max: number): z.ZodString {
  return z.string().refine((value) => value.length <= max, { error: `at most ${max} characters` });
}

/** A number, or a string holding a number, fraction, unit or complex number. */
// A listed maxLength, unlike the caps elsewhere: without it zod lists the union as `type: ["number", "string"]`,
// which strict validators (Ajv's strictTypes) refuse.
export const scalarSchema = z.union([z.number(), z.string().max(200)]);

/** A scalar, a vector or a matrix of scalars. */
export const valueSchema = z.union([
  z.number(),
  cappedString(200),
  z.array(scalarSchema),
  z.array(z.array(scalarSchema)),
]);

/**
 * Variables by name, undescribed (for use inside another described field). Each value is checked against
 * {@link valueSchema} as before, but listed as any value (`z.unknown().pipe`: JSON Schema shows the input side): the
 * four-way union cost ~450 bytes in every tool that takes a scope, and the field's description names the forms.
 */
export const scopeValuesSchema = z.record(
  // A refine, not .regex(): enforced, not listed (a model writes such names unasked; the pattern cost ~40 bytes).
  z
    .string()
    .refine((name) => /^[A-Za-z][A-Za-z0-9_]*$/.test(name), 'a variable name: a letter, then letters, digits or _'),
  z.unknown().pipe(valueSchema),
);

/** Variables by name. */
export const scopeSchema = scopeValuesSchema.describe('Variables; strings are values: "1/3", "9.8 m/s^2".');

/** Significant digits of the text form. */
export const precisionSchema = z.number().int().min(1).max(1000).describe('Digits, default 14.');

/** How numbers are represented. */
export const numberTypeSchema = z
  .enum(NUMBER_TYPES as [string, ...string[]])
  .describe('BigNumber: 64 digits; Fraction: exact.');

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
