/**
 * Tools that talk to the client while they run: log messages and progress (conformance scenarios
 * `tools-call-with-logging`, `tools-call-with-progress`, and the 2026-era `server-stateless` checks that a request
 * without a log level gets no log messages).
 */
import { defineTool } from '@mcp-packs/core';
import { z } from 'zod';
import { pause } from '../fixtures.js';

const noInput = z.object({});
const harmless = { readOnlyHint: true, openWorldHint: false } as const;

/** `test_tool_with_logging`: three info messages, 50 ms apart. */
export const toolWithLogging = defineTool({
  description: 'Conformance fixture: logs three info messages, 50 ms apart, then answers.',
  inputSchema: noInput,
  annotations: harmless,
  execute: async (_input, { log, signal }) => {
    log.info('Tool execution started');
    await pause(50, signal);
    log.info('Tool processing data');
    await pause(50, signal);
    log.info('Tool execution completed');
    return 'Tool with logging executed successfully';
  },
});

/** `test_tool_with_progress`: progress 0, 50 and 100 of 100, 50 ms apart. */
export const toolWithProgress = defineTool({
  description: 'Conformance fixture: reports progress 0, 50 and 100 of 100, 50 ms apart, then answers.',
  inputSchema: noInput,
  annotations: harmless,
  execute: async (_input, { progress, signal }) => {
    for (const done of [0, 50, 100]) {
      if (done > 0) await pause(50, signal);
      await progress(done, 100, `Completed step ${done} of 100`);
    }
    return 'Progress reported: 0, 50 and 100 of 100.';
  },
});

/** `test_logging_tool`: one info message; the client gets it only if its request names a log level (2026 era). */
export const loggingTool = defineTool({
  description: 'Conformance fixture: logs one info message and answers.',
  inputSchema: noInput,
  annotations: harmless,
  execute: (_input, { log }) => {
    log.info('Diagnostic trace logging activated');
    return 'Logging evaluated';
  },
});
