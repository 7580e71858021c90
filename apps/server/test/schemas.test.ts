/**
 * Every input and output schema of every tool of our packs, as a client lists it, compiles under a strict JSON
 * Schema 2020-12 validator (Ajv's 2020 dialect in strict mode: unknown keywords, ambiguous types and draft-07
 * leftovers are errors), with every tool offered (writes and deletes on). MCP assumes 2020-12 where a schema names
 * no `$schema`; a client with a strict validator must not choke on ours.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Composition, compose, preparePacks } from '../src/compose.ts';
import { loadConfigFile } from '../src/config/load.ts';
import { LOCAL_PACK, tempDir, writeConfig } from './helpers.ts';

describe('listed schemas under a strict JSON Schema 2020-12 validator', () => {
  const dir = tempDir();
  let composition: Composition;
  let tools: { name: string; inputSchema: unknown; outputSchema?: unknown }[];

  beforeAll(async () => {
    mkdirSync(join(dir.path, 'root'));
    const file = writeConfig(dir.path, {
      // Output schemas are listed only on request: ask, so that they are checked too.
      listing: { outputSchemas: true },
      packs: [
        {
          use: '@mcp-packs/filesystem',
          config: { roots: [join(dir.path, 'root')], allowWrite: true, allowDelete: true },
        },
        { use: '@mcp-packs/math' },
        { use: '@mcp-packs/notes', config: { directory: join(dir.path, 'notes') } },
        { use: '@mcp-packs/sysinfo' },
        { use: '@mcp-packs/web-fetch', config: { allowedMethods: ['GET', 'HEAD', 'POST'] } },
        { use: LOCAL_PACK, prefix: 'fx' },
      ],
    });
    const loaded = loadConfigFile(file, { XDG_CACHE_HOME: dir.path });
    composition = await compose(loaded, await preparePacks(loaded), { logSink: () => {} });
    const client = new Client({ name: 'schema-test', version: '0' });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await composition.createServer().server.connect(serverSide);
    await client.connect(clientSide);
    tools = (await client.listTools()).tools;
    await client.close();
  });
  afterAll(async () => {
    await composition.close();
    dir.cleanup();
  });

  it('lists every tool of every pack', () => {
    expect(tools.length).toBeGreaterThanOrEqual(35);
  });

  it('compiles every input and output schema, none naming a draft-07 $schema', () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats.default(ajv);
    const refused: string[] = [];
    for (const tool of tools) {
      for (const [kind, schema] of [
        ['input', tool.inputSchema],
        ['output', tool.outputSchema],
      ] as const) {
        if (schema === undefined) continue;
        const declared = (schema as { $schema?: string }).$schema;
        if (declared !== undefined && declared !== 'https://json-schema.org/draft/2020-12/schema') {
          refused.push(`${tool.name} ${kind}: $schema ${declared}`);
          continue;
        }
        try {
          ajv.compile(schema as object);
        } catch (error) {
          refused.push(`${tool.name} ${kind}: ${(error as Error).message}`);
        }
      }
    }
    expect(refused).toEqual([]);
    expect(tools.filter((tool) => tool.outputSchema !== undefined).length).toBeGreaterThan(20);
  });
});
