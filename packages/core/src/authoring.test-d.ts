import { expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { PackServices, ToolInput } from './index.js';

// --- The third-party pack of docs/authoring.md (there its two imports are from '@mcp-packs/core' and 'zod').
import { definePack, definersFor, ToolError } from './index.js';

class UnknownTerm extends Error {}
const { defineTool } = definersFor<{ terms: Map<string, string> }>();
export const lookUp = defineTool({
  description: 'The meaning of a term in the team glossary.',
  inputSchema: () => z.object({ term: z.string().describe('The term, as written') }),
  annotations: { readOnlyHint: true },
  execute: ({ term }, { services }) => services.terms.get(term) ?? Promise.reject(new UnknownTerm(`No "${term}".`)),
});
const errors = (e: unknown) => (e instanceof UnknownTerm ? new ToolError(e.message, { code: 'not_found' }) : undefined);
const setup = () => ({ terms: new Map([['MCP', 'Model Context Protocol']]) });
export default definePack({ name: 'glossary', description: 'Team terms.', setup, errors, tools: { look_up: lookUp } });
// --- end of the snippet

it('types the tool of a pack written in one short file, with no annotation', () => {
  expectTypeOf<ToolInput<typeof lookUp.inputSchema>>().toEqualTypeOf<{ term: string }>();
  expectTypeOf(lookUp.execute).parameter(1).toHaveProperty('services').toEqualTypeOf<{ terms: Map<string, string> }>();
});

it('infers services from setup, and refuses a tool that needs services setup does not give', () => {
  const pack = definePack({ name: 'g', description: 'G.', setup, errors, tools: { look_up: lookUp } });
  expectTypeOf<PackServices<typeof pack>>().toEqualTypeOf<{ terms: Map<string, string> }>();
  definePack({
    name: 'g',
    description: 'G.',
    // @ts-expect-error: look_up needs `terms`, which this setup does not provide
    setup: () => ({ other: 1 }),
    tools: { look_up: lookUp },
  });
});

it('infers input and output from schemas written as functions, and checks what execute returns', () => {
  const { defineTool: define } = definersFor<{ scale: number }>();
  const scaled = define({
    description: 'Scale a number.',
    inputSchema: () => z.object({ n: z.number(), unit: z.enum(['m', 'cm']).default('m') }),
    outputSchema: () => z.object({ value: z.number() }),
    annotations: { readOnlyHint: true },
    execute: (input, call) => {
      expectTypeOf(input).toEqualTypeOf<{ n: number; unit: 'm' | 'cm' }>();
      expectTypeOf(call.services.scale).toEqualTypeOf<number>();
      return { value: input.n * call.services.scale };
    },
    toText: (output, input) => {
      expectTypeOf(output).toEqualTypeOf<{ value: number }>();
      return `${output.value} ${input.unit}`;
    },
  });
  expectTypeOf(scaled.kind).toEqualTypeOf<'tool'>();
  define({
    description: 'Wrong output.',
    inputSchema: () => z.object({}),
    outputSchema: () => z.object({ value: z.number() }),
    annotations: { readOnlyHint: true },
    // @ts-expect-error: the output schema wants a number
    execute: () => ({ value: 'x' }),
  });
});

it('types the error map: a ToolError or undefined', () => {
  definePack({
    name: 'g',
    description: 'G.',
    // @ts-expect-error: an error map returns a ToolError, not a string
    errors: () => 'nope',
  });
});
