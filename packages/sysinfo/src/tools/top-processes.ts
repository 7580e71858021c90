import { ToolError } from '@mcp-packs/core';
import { z } from 'zod';
import { defineTool } from '../define.js';
import { checkSamplingWindow } from '../sampling-window.js';
import { integer } from '../schemas/integer.js';
import { loadSystem } from '../system/load.js';

/** `top_processes`: the busiest processes; refused unless the config enables it. */
export const topProcessesTool = defineTool({
  title: 'Top processes',
  description:
    'The processes using the most CPU or memory on the server machine (Linux), like `top`: pid, program name, ' +
    'owner, state, CPU % (of one CPU; over 100 for multi-threaded programs), resident memory, threads, start ' +
    'time. Command lines, and owners that are people\'s accounts, are "[redacted]" unless the server\'s ' +
    'configuration shows them.\n' +
    'Example: {"sortBy": "memory", "limit": 5}',
  inputSchema: () =>
    z.object({
      sortBy: z.enum(['cpu', 'memory']).default('cpu').describe('What to rank processes by'),
      limit: z.number().int().min(1).max(50).default(10).describe('How many processes'),
      windowMs: z
        .number()
        .int()
        .min(0)
        .max(60_000)
        .optional()
        .describe(
          'CPU sampling window in ms; 0 = average since each process started (instant). Default 500 for cpu, 0 for memory',
        ),
      nameContains: z.string().min(1).max(100).optional().describe('Only programs whose name contains this'),
    }),
  outputSchema: () =>
    z.object({
      sortBy: z.enum(['cpu', 'memory']),
      windowMs: integer(),
      cpuBasis: z.enum(['window', 'lifetime']),
      total: integer(),
      processes: z.array(
        z.object({
          pid: integer(),
          ppid: integer(),
          name: z.string(),
          user: z.string().nullable(),
          state: z.string(),
          cpuPercent: z.number(),
          memoryBytes: z.number(),
          memoryPercent: z.number(),
          threads: integer(),
          startedAt: z.string(),
          commandLine: z.string(),
        }),
      ),
    }),
  annotations: {
    title: 'Top processes',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  },
  execute: async ({ sortBy, limit, windowMs, nameContains }, { services, signal }) => {
    if (!services.config.topProcesses) {
      throw new ToolError('Listing processes is turned off on this server.', {
        code: 'disabled',
        hint: 'Do not retry. The server operator can enable it with "topProcesses": true in this pack\'s config.',
      });
    }
    const window = windowMs ?? (sortBy === 'cpu' ? 500 : 0);
    checkSamplingWindow(window, services.config.maxSampleMs, ', or 0 for the average since start');
    const { readUserNames, topProcesses } = await loadSystem();
    const [result, names] = await Promise.all([
      topProcesses({
        sortBy,
        limit,
        windowMs: window,
        signal,
        ...(nameContains === undefined ? {} : { nameContains }),
      }),
      readUserNames(),
    ]);
    const redactor = services.redactor;
    return {
      sortBy,
      windowMs: window,
      cpuBasis: window > 0 ? ('window' as const) : ('lifetime' as const),
      total: result.total,
      processes: result.processes.map(({ uid, argv, ...rest }) => ({
        ...rest,
        name: redactor.text(rest.name),
        user: redactor.owner(uid, names),
        commandLine: redactor.commandLine(argv),
      })),
    };
  },
});
