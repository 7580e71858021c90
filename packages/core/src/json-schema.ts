import { z } from 'zod';

type Json = Record<string, unknown>;

/** The JSON Schema a client sees for a zod schema (as the SDK lists it), or the error that stops it. */
export function listedJsonSchema(schema: unknown, io: 'input' | 'output'): { schema: Json } | { error: string } {
  try {
    return { schema: z.toJSONSchema(schema as z.ZodType, { target: 'draft-7', io }) as Json };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
