import { z } from 'zod';

/**
 * An integer field of an output schema: the same check as `z.number().int()` (a safe integer), listed as plain
 * `{"type": "integer"}`. `.int()` also lists zod's ±2^53 bounds, about 50 bytes of tools/list per field that tell a
 * model nothing. Inputs keep `.int()` with their real bounds.
 */
export const integer = () =>
  z.number().refine(Number.isSafeInteger, { error: 'expected an integer' }).meta({ type: 'integer' });
