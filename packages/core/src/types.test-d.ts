import { McpServer } from '@modelcontextprotocol/server';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { ToolCall } from './call.js';
import { mountPack } from './mount.js';
import { definePack, type PackConfigInput, type PackServices } from './pack.js';
import { defineTool } from './tool.js';

class Store {
  items = new Map<string, number>();
  count(): number {
    return this.items.size;
  }
}

const configSchema = z.object({
  dir: z.string().describe('Where'),
  limit: z.number().default(5).describe('How many'),
});

describe('definePack inference', () => {
  it('flows config into setup and setup’s return type into every inline handler', () => {
    const pack = definePack({
      name: 'typed',
      description: 'Typed.',
      configSchema,
      setup: async ({ config }) => {
        expectTypeOf(config).toEqualTypeOf<{ dir: string; limit: number }>();
        return { store: new Store(), limit: config.limit };
      },
      tools: ({ defineTool }) => ({
        count: defineTool({
          description: 'Count.',
          inputSchema: z.object({ min: z.number().optional(), tag: z.enum(['a', 'b']) }),
          outputSchema: z.object({ n: z.number() }),
          annotations: { readOnlyHint: true },
          execute: (input, call) => {
            expectTypeOf(input).toEqualTypeOf<{ min?: number | undefined; tag: 'a' | 'b' }>();
            expectTypeOf(call.services.store).toEqualTypeOf<Store>();
            expectTypeOf(call.services.limit).toEqualTypeOf<number>();
            return { n: call.services.store.count() };
          },
          toText: (output) => {
            expectTypeOf(output).toEqualTypeOf<{ n: number }>();
            return String(output.n);
          },
        }),
      }),
      resourceTemplates: ({ defineResourceTemplate }) => ({
        item: defineResourceTemplate({
          uriTemplate: 'typed://{key}',
          description: 'An item.',
          complete: { key: (_value, { services }) => [...services.store.items.keys()] },
          read: (_uri, variables, { services }) => {
            expectTypeOf(services.store).toEqualTypeOf<Store>();
            return String(services.store.items.get(variables.key ?? ''));
          },
        }),
      }),
      prompts: ({ definePrompt }) => ({
        ask: definePrompt({
          description: 'Ask.',
          argsSchema: z.object({ topic: z.string(), tone: z.string().optional() }),
          get: (args, { services }) => {
            expectTypeOf(args).toEqualTypeOf<{ topic: string; tone?: string | undefined }>();
            expectTypeOf(services.limit).toEqualTypeOf<number>();
            return args.topic;
          },
        }),
      }),
    });
    expectTypeOf<PackServices<typeof pack>>().toEqualTypeOf<{ store: Store; limit: number }>();
    expectTypeOf<PackConfigInput<typeof pack>>().toEqualTypeOf<{ dir: string; limit?: number | undefined }>();
  });

  it('types tools written in their own files through the call parameter', () => {
    interface Services {
      store: Store;
    }
    const count = defineTool({
      description: 'Count.',
      inputSchema: z.object({ q: z.string() }),
      annotations: { readOnlyHint: true },
      execute: (input, { services }: ToolCall<Services>) => {
        expectTypeOf(input.q).toEqualTypeOf<string>();
        return services.store.count();
      },
    });
    definePack({
      name: 'ok',
      description: 'Provides the services.',
      setup: () => ({ store: new Store(), extra: 1 }),
      tools: { count },
    });
    // @ts-expect-error: the pack's services lack `store`
    definePack({ name: 'bad', description: 'Does not.', setup: () => ({ other: 1 }), tools: { count } });
    const free = defineTool({
      description: 'Needs no services.',
      inputSchema: z.object({}),
      annotations: { readOnlyHint: true },
      execute: () => 'ok',
    });
    definePack({ name: 'any', description: 'Any services.', setup: () => ({ other: 1 }), tools: { free } });
  });

  it('rejects output that does not fit the outputSchema and tools without annotations', () => {
    defineTool({
      description: 'Wrong output.',
      inputSchema: z.object({}),
      outputSchema: z.object({ n: z.number() }),
      annotations: { readOnlyHint: true },
      // @ts-expect-error: n must be a number
      execute: () => ({ n: 'one' }),
    });
    // @ts-expect-error: annotations are required
    defineTool({ description: 'No annotations.', inputSchema: z.object({}), execute: () => 'x' });
  });
});

describe('mountPack typing', () => {
  it('types config by the pack’s schema input and services by setup', async () => {
    const pack = definePack({
      name: 'typed',
      description: 'Typed.',
      configSchema,
      setup: () => ({ store: new Store() }),
    });
    const server = new McpServer({ name: 's', version: '0' });
    const mounted = await mountPack(server, pack, { config: { dir: '/tmp' } });
    expectTypeOf(mounted.services.store).toEqualTypeOf<Store>();
    // @ts-expect-error: dir must be a string
    await mountPack(server, pack, { config: { dir: 1 } });
  });
});
