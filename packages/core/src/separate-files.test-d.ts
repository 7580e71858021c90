import { expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { RequestContext, ToolCall } from './call.js';
import { definePack, type PackServices } from './pack.js';
import { definePrompt } from './prompt.js';
import { defineTool } from './tool.js';

interface Services {
  store: { n: number };
}
const count = defineTool({
  description: 'Count.',
  inputSchema: z.object({}),
  annotations: { readOnlyHint: true },
  execute: (_input, { services }: ToolCall<Services>) => services.store.n,
});

it('infers services from an inline setup that takes config, with tools from their own files', () => {
  const pack = definePack({
    name: 'p',
    description: 'P.',
    configSchema: z.object({ n: z.number().default(1) }),
    setup: async ({ config }) => ({ store: { n: config.n } }),
    tools: { count },
  });
  expectTypeOf<PackServices<typeof pack>>().toEqualTypeOf<{ store: { n: number } }>();
});

it('rejects a definition that needs services the inline setup does not provide', () => {
  const pack = definePack({
    name: 'p',
    description: 'P.',
    configSchema: z.object({ n: z.number().default(1) }),
    setup: async ({ config }) => ({ store: { n: config.n } }),
    tools: { count },
    prompts: {
      // @ts-expect-error: a prompt that needs services the setup does not provide
      bad: definePrompt({
        description: 'Bad.',
        get: (_args, { services }: RequestContext<{ other: string }>) => services.other,
      }),
    },
  });
  expectTypeOf<PackServices<typeof pack>>().toEqualTypeOf<{ store: { n: number } }>();
});
