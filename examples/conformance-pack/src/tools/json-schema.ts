/**
 * `json_schema_2020_12_tool` (conformance scenario `json-schema-2020-12`, SEP-1613 and SEP-2106): a tool whose input
 * schema uses JSON Schema 2020-12 beyond properties and required: `$defs` with a `$ref` and an `$anchor`,
 * `additionalProperties: false`, `allOf`/`anyOf` and `if`/`then`/`else`.
 *
 * Written in zod: a strict object gives `additionalProperties: false`; an object with a metadata `id` is listed
 * once under `$defs` and referenced with `$ref`; `.meta()` adds the keywords zod has no builder for. The refinement
 * makes the zod schema check what those keywords say (core checks arguments with zod, not with the JSON Schema).
 */
import { defineTool } from '@mcp-packs/core';
import { z } from 'zod';

const address = z
  .object({ street: z.string().optional().describe('Street and number'), city: z.string().optional().describe('City') })
  .meta({ id: 'address', $anchor: 'addressDef' });

const contact = z
  .strictObject({
    name: z.string().optional().describe("The contact's name"),
    address: address.optional().describe('Postal address'),
    contactMethod: z.enum(['phone', 'email']).optional().describe('How to reach the contact; default email'),
    phone: z.string().optional().describe('Phone number; required when contactMethod is "phone"'),
    email: z.string().optional().describe('Email address; required unless contactMethod is "phone"'),
  })
  .refine((value) => value.phone !== undefined || value.email !== undefined, {
    message: 'give a phone number or an email address',
  })
  .refine((value) => (value.contactMethod === 'phone' ? value.phone !== undefined : value.email !== undefined), {
    message: 'give the phone number when contactMethod is "phone", else the email address',
  })
  .meta({
    allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
    if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
    // biome-ignore lint/suspicious/noThenProperty: the JSON Schema keyword, in a schema, never awaited
    then: { required: ['phone'] },
    else: { required: ['email'] },
  });

/** `json_schema_2020_12_tool`: echoes the contact it was given. */
export const jsonSchema202012 = defineTool({
  description: 'Conformance fixture: takes a contact described with JSON Schema 2020-12 keywords and echoes it.',
  inputSchema: contact,
  annotations: { readOnlyHint: true, openWorldHint: false },
  execute: (input) => `JSON Schema 2020-12 tool called with: ${JSON.stringify(input)}`,
});
