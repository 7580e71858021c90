import { McpServer } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkPack } from './check.js';
import { describeMount, mountPack } from './mount.js';
import { definePack } from './pack.js';
import { defineTool } from './tool.js';

const good = defineTool({
  description: 'Echo the text back unchanged; use it to test the connection.',
  inputSchema: z.object({ text: z.string().describe('What to echo') }),
  outputSchema: z.object({ text: z.string() }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  execute: ({ text }) => ({ text }),
});

describe('checkPack', () => {
  it('finds nothing in a clean pack', () => {
    const pack = definePack({
      name: 'clean',
      description: 'A clean pack.',
      configSchema: z.object({ level: z.number().default(1).describe('How loud') }),
      tools: { echo: good },
    });
    expect(checkPack(pack)).toEqual([]);
  });

  it('reports what breaks clients as errors and what costs the model as warnings', () => {
    type Tree = { name: string; children: Tree[] };
    const tree: z.ZodType<Tree> = z.lazy(() => z.object({ name: z.string(), children: z.array(tree) }));
    const pack = definePack({
      name: 'messy',
      description: 'A pack with every kind of problem.',
      configSchema: z.object({ undocumented: z.string().optional() }),
      tools: {
        when: defineTool({
          description: 'Short.',
          inputSchema: z.object({ at: z.string().describe('When, as an ISO date') }),
          annotations: {},
          execute: () => 'x',
        }),
        tree: defineTool({
          description: 'Store a tree of names; the children nest to any depth.',
          inputSchema: z.object({ root: tree.describe('The tree') }),
          annotations: { readOnlyHint: false, openWorldHint: false },
          execute: () => 'x',
        }),
        map: defineTool({
          description: 'Store a map of names to numbers, for later lookups by name.',
          inputSchema: z.object({ values: z.record(z.string(), z.number()), note: z.string() }),
          annotations: { readOnlyHint: true, openWorldHint: false },
          execute: () => 'x',
        }),
        [`a_${'x'.repeat(60)}`]: good,
      },
    });
    const findings = checkPack(pack, { prefixes: ['messy', null] });
    const summary = findings.map((f) => `${f.level} ${f.where}: ${f.message}`);
    expect(summary).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^error tools\.tree\.inputSchema: is recursive/),
        expect.stringMatching(/^error tools\.a_x+: final name "messy_a_x+" \(68 characters\)/),
        expect.stringMatching(/^warning tools\.when\.description: description is 6 characters/),
        expect.stringMatching(/^warning tools\.when\.annotations: readOnlyHint is not set/),
        expect.stringMatching(/^warning tools\.tree\.annotations: a tool that writes should set destructiveHint/),
        expect.stringMatching(/^warning tools\.map\.inputSchema\.properties\.values: uses "propertyNames"/),
        expect.stringMatching(/^warning tools\.map\.inputSchema\.properties\.note: has no description/),
        expect.stringMatching(/^warning configSchema\.properties\.undocumented: has no description/),
      ]),
    );
    expect(findings.filter((f) => f.level === 'error')).toHaveLength(2);
    expect(findings.findIndex((f) => f.level === 'warning')).toBe(2);
  });
});

describe('unlistable schemas', () => {
  it('refuses, at mount, a tool schema that cannot become JSON Schema, since it would break tools/list for every pack', async () => {
    const dates = definePack({
      name: 'dates',
      description: 'Takes a Date.',
      tools: {
        when: defineTool({
          description: 'Schedule something at a time.',
          inputSchema: z.object({ at: z.date() }),
          annotations: { readOnlyHint: true },
          execute: () => 'x',
        }),
      },
    });
    const problem = /tools\.when\.inputSchema: cannot be listed as JSON Schema \(Date cannot be represented/;
    expect(() => describeMount(dates)).toThrow(problem);
    await expect(mountPack(new McpServer({ name: 's', version: '0' }), dates)).rejects.toThrow(problem);
    expect(checkPack(dates).map((finding) => finding.message)).toContainEqual(
      expect.stringMatching(/cannot be listed/),
    );
  });
});
