/**
 * MCP Apps views through real clients: the v2 SDK in both eras (connectPack), and the v1 SDK's own client.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isPackError } from './errors.js';
import { mountPack } from './mount.js';
import { definePack } from './pack.js';
import { defineResource } from './resource.js';
import { connectPack, structured, TEST_PROTOCOLS } from './testing/index.js';
import { defineTool } from './tool.js';
import { defineView, VIEW_MIME_TYPE } from './view.js';

const PAGE = '<!doctype html><html><body><p id="out">waiting</p></body></html>';

function chartPack() {
  return definePack({
    name: 'chart',
    description: 'Squares numbers and shows them in a view.',
    configSchema: z.object({ label: z.string().default('squares') }),
    setup: ({ config }) => ({ label: config.label }),
    tools: {
      squares: defineTool({
        description: 'Square each number.',
        inputSchema: z.object({ values: z.array(z.number()) }),
        outputSchema: z.object({ squares: z.array(z.number()) }),
        annotations: { readOnlyHint: true },
        view: 'ui://bars',
        meta: { ui: { visibility: ['model', 'app'] }, other: 1 },
        execute: ({ values }) => ({ squares: values.map((value) => value * value) }),
      }),
      plain: defineTool({
        description: 'No view.',
        inputSchema: z.object({}),
        annotations: { readOnlyHint: true },
        execute: () => 'plain',
      }),
    },
    resources: ({ defineView }) => ({
      bars: defineView({
        uri: 'ui://bars',
        title: 'Bars',
        description: 'A bar chart of the squares.',
        html: (context) => PAGE.replace('waiting', `waiting for ${context.services.label}`),
        csp: { resourceDomains: ['https://cdn.example.com'] },
        prefersBorder: true,
      }),
      bare: defineView({ uri: 'ui://bare', description: 'A view with no options.', html: PAGE }),
    }),
  });
}

describe.each(TEST_PROTOCOLS)('views (%s)', (protocol) => {
  it('lists the tool with its view under the prefix, and the view with the MCP Apps mime type and _meta.ui', async () => {
    await using conn = await connectPack(chartPack(), { protocol, prefix: 'stats', config: { label: 'stats' } });
    const { tools } = await conn.client.listTools();
    const squares = tools.find((tool) => tool.name === 'stats_squares');
    expect(squares?._meta).toEqual({
      ui: { visibility: ['model', 'app'], resourceUri: 'ui://stats/bars' },
      other: 1,
    });
    expect(tools.find((tool) => tool.name === 'stats_plain')?._meta).toBeUndefined();

    const { resources } = await conn.client.listResources();
    expect(resources.find((resource) => resource.uri === 'ui://stats/bars')).toMatchObject({
      mimeType: VIEW_MIME_TYPE,
      title: 'Bars',
      _meta: { ui: { csp: { resourceDomains: ['https://cdn.example.com'] }, prefersBorder: true } },
    });
    expect(resources.find((resource) => resource.uri === 'ui://stats/bare')).not.toHaveProperty('_meta');

    const read = await conn.client.readResource({ uri: 'ui://stats/bars' });
    expect(read.contents).toEqual([
      {
        uri: 'ui://stats/bars',
        mimeType: VIEW_MIME_TYPE,
        text: PAGE.replace('waiting', 'waiting for stats'),
        _meta: { ui: { csp: { resourceDomains: ['https://cdn.example.com'] }, prefersBorder: true } },
      },
    ]);
    expect((await conn.client.readResource({ uri: 'ui://stats/bare' })).contents).toEqual([
      { uri: 'ui://stats/bare', mimeType: VIEW_MIME_TYPE, text: PAGE },
    ]);
  });

  it('keeps the result a client without MCP Apps shows', async () => {
    await using conn = await connectPack(chartPack(), { protocol });
    const result = await conn.callTool('squares', { values: [2, 3] });
    expect(structured(result)).toEqual({ squares: [4, 9] });
    expect(result.content).toEqual([{ type: 'text', text: '{"squares":[4,9]}' }]);
  });

  it('names the view without a prefix when mounted without one, and keeps it through a rename', async () => {
    await using conn = await connectPack(chartPack(), {
      protocol,
      prefix: null,
      transforms: { squares: { name: 'sq', tags: ['charts'] } },
    });
    const { tools } = await conn.client.listTools();
    expect(tools.find((tool) => tool.name === 'sq')?._meta).toMatchObject({ ui: { resourceUri: 'ui://bars' } });
  });
});

describe('views on SDK v1', () => {
  it('lists the tool _meta.ui and the view _meta.ui, and reads the page', async () => {
    const server = new McpServer({ name: 'v1', version: '0' });
    await using _mounted = await mountPack(server, chartPack(), {
      prefix: 'old',
      config: { label: 'old' },
      logSink: () => {},
    });
    const client = new Client({ name: 'v1-client', version: '0' });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(b);
    await client.connect(a);
    try {
      const { tools } = await client.listTools();
      expect(tools.find((tool) => tool.name === 'old_squares')?._meta).toMatchObject({
        ui: { resourceUri: 'ui://old/bars' },
      });
      const { resources } = await client.listResources();
      expect(resources.find((resource) => resource.uri === 'ui://old/bars')).toMatchObject({
        mimeType: VIEW_MIME_TYPE,
        _meta: { ui: { prefersBorder: true } },
      });
      const read = await client.readResource({ uri: 'ui://old/bars' });
      expect(read.contents[0]).toMatchObject({
        mimeType: VIEW_MIME_TYPE,
        text: expect.stringContaining('waiting for old'),
        _meta: { ui: { csp: { resourceDomains: ['https://cdn.example.com'] }, prefersBorder: true } },
      });
    } finally {
      await client.close();
    }
  });
});

describe('view definitions', () => {
  const tool = (view: string) =>
    defineTool({
      description: 'Has a view.',
      inputSchema: z.object({}),
      annotations: { readOnlyHint: true },
      view,
      execute: () => 'ok',
    });

  it('refuses a tool that names a view the pack does not have, listing the views it has', () => {
    let caught: unknown;
    try {
      definePack({
        name: 'broken',
        description: 'A tool with a missing view.',
        tools: { show: tool('ui://missing') },
        resources: {
          page: defineView({ uri: 'ui://page', description: 'A page.', html: PAGE }),
          text: defineResource({ uri: 'ui://text', description: 'Not a view.', read: () => 'x' }),
        },
      });
    } catch (error) {
      caught = error;
    }
    expect(isPackError(caught) && caught.code).toBe('invalid_definition');
    expect((caught as Error).message).toContain(
      'tools.show: view "ui://missing" is not a view of this pack (its views: ui://page); declare it with defineView and add it to resources',
    );
  });

  it('refuses a view that is a plain resource', () => {
    expect(() =>
      definePack({
        name: 'plain',
        description: 'A tool whose view is not a view.',
        tools: { show: tool('ui://text') },
        resources: { text: defineResource({ uri: 'ui://text', description: 'Not a view.', read: () => 'x' }) },
      }),
    ).toThrow('tools.show: view "ui://text" is not a view of this pack (it has none)');
  });
});
