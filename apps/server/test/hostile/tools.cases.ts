/**
 * Hostile input, area `tools`: argument fuzzing of every tool of every pack (issue #18, part 4), through the real
 * `mcp-packs` server as a child process over stdio, all five packs mounted with every tool on (filesystem writes
 * and deletes on, in a temp root with a few files; notes in a temp folder; web-fetch as it comes; math; sysinfo with
 * top_processes allowed).
 *
 * A real SDK v2 client opens the connection (2026-07-28) and lists the tools; the fuzz requests are JSON text the
 * fuzzer writes itself on the same stdin (tool-fuzz.ts), so own `__proto__` keys, `-0`, `1e400` and bytes that are
 * not UTF-8 arrive as written. One case per tool and family of variants; a few cases about the call's shape and
 * the stdio line limit; and, last, every tool called again with valid arguments (nothing the fuzz sent broke a
 * store). The same cases run in process in tools.test.ts, where the prototypes are checked too.
 *
 * This file is the suite and the case only stdio has (the line limit); the fixture is in tools-fixture.ts, the child
 * process in tools-stdio.ts, the cases both suites run beside the families in tools-extra-cases.ts.
 */
import type { Answer, HostileCase, HostileSuite } from './harness.js';
import { expectAnswer } from './harness.js';
import { FAMILIES, type FamilyFigures, replyAnswer, toolCases } from './tool-fuzz.js';
import { afterwardsCase, callShapeCases, coverageCase } from './tools-extra-cases.js';
import { TOOL_NAMES } from './tools-fixture.js';
import { type StdioToolsContext, startStdio } from './tools-stdio.js';

export { afterwardsCase, callShapeCases, coverageCase } from './tools-extra-cases.js';
export {
  baseArguments,
  createFixture,
  createNotes,
  type FuzzNotes,
  fuzzTools,
  TOOL_NAMES,
  type ToolsFixture,
} from './tools-fixture.js';
export { ENVELOPE_2026, type StdioToolsContext } from './tools-stdio.js';

/** A line longer than the stdio limit (64 MiB) is answered, and the connection goes on. */
function lineLimitCase(): HostileCase<StdioToolsContext> {
  let problems: string[] = [];
  return {
    name: 'stdio: a request over the 64 MiB line limit',
    async run(context) {
      problems = [];
      const id = 'fuzz-line-limit';
      const big = 'a'.repeat(65 * 1024 * 1024);
      const line = Buffer.from(
        `{"jsonrpc":"2.0","id":"${id}","method":"tools/call","params":{"name":"fs_write_file","arguments":{"path":"out/big.txt","content":"${big}"},"_meta":${JSON.stringify(context.envelope)}}}`,
      );
      const before = context.transport.nullIdErrors.length;
      const reply = await context.transport.writeLine(line, id, 15_000);
      const answer: Answer =
        reply.kind === 'response'
          ? replyAnswer(reply)
          : context.transport.nullIdErrors.length > before
            ? {
                kind: 'protocolError',
                code: context.transport.nullIdErrors.at(-1)?.code as number,
                text: `(with "id": null) ${context.transport.nullIdErrors.at(-1)?.message}`,
              }
            : replyAnswer(reply);
      if (reply.kind !== 'response') {
        problems.push(
          `no reply with the request's id (${reply.text})${answer.kind === 'protocolError' ? `; got ${answer.text}` : ''}`,
        );
      }
      const verdict = expectAnswer.refused(answer);
      if (verdict) problems.push(verdict);
      return answer;
    },
    check: () => (problems.length ? problems.join('\n') : undefined),
  };
}

/** Figures of each family across tools, filled in as the cases run (for `pnpm bench hostile`). */
const familyFigures = new Map<string, FamilyFigures>();

/** The suite: the child-process server, every tool × every family, the call shapes, the line limit, the aftermath. */
const suite: HostileSuite<StdioToolsContext> = {
  area: 'tools',
  start: startStdio,
  cases: [
    coverageCase(),
    ...toolCases<StdioToolsContext>(TOOL_NAMES, FAMILIES, familyFigures),
    ...callShapeCases<StdioToolsContext>({ stdio: true }),
    lineLimitCase(),
    afterwardsCase(),
  ],
  async figures() {
    return { families: Object.fromEntries(familyFigures) };
  },
};

export default suite;
