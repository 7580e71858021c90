/**
 * The tool cases beyond the per-tool families, which both tool suites run (tools.cases.ts, tools.test.ts): every
 * listed tool is fuzzed, hostile shapes of the call itself, and every tool still works after the fuzz.
 */
import type { HostileCase } from './harness.js';
import { judge, Literal, own, replyAnswer, type ToolsContext } from './tool-fuzz.js';
import { baseArguments, TOOL_NAMES } from './tools-fixture.js';

/** The first case: the server lists exactly the tools the fuzz covers. */
export function coverageCase<C extends ToolsContext>(): HostileCase<C> {
  let problems: string[] = [];
  return {
    name: 'every listed tool is fuzzed',
    async run(context) {
      const listed = [...context.tools.keys()];
      problems = [
        ...listed.filter((name) => !TOOL_NAMES.includes(name)).map((name) => `${name} is listed but not fuzzed`),
        ...TOOL_NAMES.filter((name) => !context.tools.has(name)).map((name) => `${name} is not listed`),
      ];
      const bases = baseArguments({ noteId: '', doomedId: '' });
      problems.push(...TOOL_NAMES.filter((name) => !(name in bases)).map((name) => `${name} has no base arguments`));
      return { kind: 'result', text: `${listed.length} tools listed, ${TOOL_NAMES.length} fuzzed` };
    },
    check: () => (problems.length ? problems.join('\n') : undefined),
  };
}

/**
 * Hostile shapes of the call itself: the name, params and `_meta`, whatever the tool. `stdio`: the shapes our stdio
 * transport answers on its own are sent too: a message that is not a valid request (params null or an array, `_meta`
 * an array, a progress token that is an object) gets `-32600` there, where the SDK's protocol layer, behind a
 * transport that passes everything on (the in-memory one), drops it without a reply; and a 5 MiB tool name, whose
 * "Tool <name> not found" the SDK writes whole, is cut by the transport's bound on error messages.
 */
export function callShapeCases<C extends ToolsContext>(options: { stdio: boolean }): HostileCase<C>[] {
  const manyKeys = Array.from({ length: 100_000 }, (_, i) => `"fuzz${i}":${i}`).join(',');
  const shapes: readonly (readonly [string, (context: C) => Record<string, unknown>])[] = [
    ['an unknown tool', (c) => ({ params: withMeta(c, { name: 'fuzz_no_such_tool', arguments: {} }) })],
    [
      'a tool name with a NUL byte',
      (c) => ({ params: withMeta(c, { name: 'fs_read_text_file\u0000', arguments: {} }) }),
    ],

    [
      '100,000 unknown arguments to a tool that takes none',
      (c) => ({
        params: withMeta(c, {
          name: 'fs_list_allowed_directories',
          arguments: new Literal(`{${manyKeys}}`, () => JSON.parse(`{${manyKeys}}`)),
        }),
      }),
    ],
    ['the tool name __proto__', (c) => ({ params: withMeta(c, { name: '__proto__', arguments: {} }) })],
    ['the tool name constructor', (c) => ({ params: withMeta(c, { name: 'constructor', arguments: {} }) })],
    ['the tool name toString', (c) => ({ params: withMeta(c, { name: 'toString', arguments: {} }) })],
    ['the tool name hasOwnProperty', (c) => ({ params: withMeta(c, { name: 'hasOwnProperty', arguments: {} }) })],
    ['the tool name as a number', (c) => ({ params: withMeta(c, { name: 42, arguments: {} }) })],
    ['the tool name null', (c) => ({ params: withMeta(c, { name: null, arguments: {} }) })],
    [
      'the tool name as an object',
      (c) => ({ params: withMeta(c, { name: { name: 'fs_read_text_file' }, arguments: {} }) }),
    ],
    ['no tool name', (c) => ({ params: withMeta(c, { arguments: {} }) })],
    ['no params', () => ({})],
    [
      'params with own __proto__',
      (c) => ({ params: withMeta(c, own([['__proto__', { name: 'fs_list_allowed_directories' }]])) }),
    ],
    ...(options.stdio
      ? ([
          [
            'a 5 MiB tool name',
            (c: C) => ({ params: withMeta(c, { name: 'a'.repeat(5 * 1024 * 1024), arguments: {} }) }),
          ],
          ['params null', () => ({ params: null })],
          ['params an array', () => ({ params: ['fs_list_allowed_directories'] })],
          [
            '_meta as an array',
            () => ({ params: { name: 'fs_list_allowed_directories', arguments: {}, _meta: ['fuzz'] } }),
          ],
          [
            '_meta with a progress token object',
            (c: C) => ({
              params: {
                name: 'fs_list_allowed_directories',
                arguments: {},
                _meta: { ...c.envelope, progressToken: { a: 1 } },
              },
            }),
          ],
        ] as const)
      : []),
  ];
  let problems: string[] = [];
  return [
    {
      name: 'call shape: name, params and _meta',
      async run(context) {
        problems = [];
        let refused = 0;
        for (const [label, build] of shapes) {
          const reply = await context.target.request({ method: 'tools/call', ...build(context) }, 20_000);
          const answer = replyAnswer(reply);
          problems.push(...judge({ label, args: undefined, expect: 'handle' }, reply, answer, context));
          if (answer.kind === 'isError' || answer.kind === 'protocolError') refused++;
          if (!context.alive()) {
            problems.push(`${label}: the server died`);
            break;
          }
        }
        return { kind: 'protocolError', text: `${shapes.length} shapes, ${refused} refused` };
      },
      check: () => (problems.length ? problems.join('\n') : undefined),
    },
  ];
}

function withMeta(context: ToolsContext, params: Record<string, unknown>): Record<string, unknown> {
  return context.envelope ? own([...Object.entries(params), ['_meta', context.envelope]]) : params;
}

/** The last case: every tool called with valid arguments once more, after everything the fuzz sent. */
export function afterwardsCase<C extends ToolsContext>(): HostileCase<C> {
  let problems: string[] = [];
  return {
    name: 'after the fuzz: every tool still works',
    async run(context) {
      problems = [];
      for (const tool of context.tools.values()) {
        const reply = await context.target.request(
          { method: 'tools/call', params: withMeta(context, { name: tool.name, arguments: tool.base }) },
          20_000,
        );
        const answer = replyAnswer(reply);
        problems.push(...judge({ label: tool.name, args: tool.base, expect: 'valid' }, reply, answer, context));
      }
      // What the fuzz wrote must still be readable: a listing of every note, a search, the tags, the whole tree.
      for (const [name, args] of [
        ['notes_list', { limit: 200 }],
        ['notes_list', { limit: 200, trash: true }],
        ['notes_search', { query: 'fuzz', limit: 50 }],
        ['notes_tags', {}],
        ['fs_directory_tree', { path: '.', maxEntries: 20000 }],
        ['fs_search_content', { query: 'fuzz', maxResults: 1000 }],
      ] as const) {
        const reply = await context.target.request(
          { method: 'tools/call', params: withMeta(context, { name, arguments: args }) },
          20_000,
        );
        const answer = replyAnswer(reply);
        if (answer.kind !== 'result') problems.push(`${name} ${JSON.stringify(args)}: ${answer.text.slice(0, 300)}`);
      }
      return { kind: 'result', text: `${context.tools.size} tools called, ${problems.length} problems` };
    },
    check: () => (problems.length ? problems.join('\n') : undefined),
  };
}
