import { z } from 'zod';
import { resolveZone } from './time/zones.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why `value` is not a zone the time tools accept (with close matches), or undefined when it is one. */
function zoneProblem(value: string): string | undefined {
  try {
    resolveZone(value);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * What the sysinfo pack may reveal and do. Every identifying fact is hidden until its flag is turned on, and
 * `top_processes` is refused until `topProcesses` is true.
 */
export const sysinfoConfigSchema = z.strictObject({
  timeZone: z
    .string()
    .superRefine((value, context) => {
      const problem = zoneProblem(value);
      if (problem)
        context.addIssue({ code: 'custom', message: `${problem} Use an IANA name such as "Europe/Berlin".` });
    })
    .optional()
    .describe(
      'Zone the time tools use when a call names none, e.g. "Europe/Berlin". Default: the server\'s own zone (TZ or the OS setting).',
    ),
  expose: z
    .strictObject({
      hostname: z.boolean().default(false).describe('Show the host name in system_summary.'),
      username: z
        .boolean()
        .default(false)
        .describe("Show the server's user name, and the owners of people's processes in top_processes."),
      homeDirectory: z
        .boolean()
        .default(false)
        .describe('Show the home directory; when false it is also shortened to ~ in paths, values and command lines.'),
      macAddresses: z
        .boolean()
        .default(false)
        .describe('Show MAC addresses, and IPv6 addresses whose interface id is derived from one (EUI-64).'),
      serialNumbers: z
        .boolean()
        .default(false)
        .describe('Show the hardware serial number and the machine id in system_summary.'),
      commandLines: z
        .boolean()
        .default(false)
        .describe(
          'Show process command lines in top_processes (values of options that look like secrets stay masked).',
        ),
      environment: z
        .array(z.string().regex(ENV_NAME, 'an environment variable name such as LANG'))
        .default([])
        .describe(
          'Environment variables system_summary may show, by exact name (e.g. ["LANG", "TZ"]). Nothing else is ever shown.',
        ),
    })
    .prefault({})
    .describe('Identifying facts to reveal. All hidden by default.'),
  topProcesses: z
    .boolean()
    .default(false)
    .describe('Allow top_processes, which lists the processes of every user on the machine.'),
  maxSampleMs: z
    .number()
    .int()
    .min(100)
    .max(60_000)
    .default(5000)
    .describe('Longest sampling window cpu_usage and top_processes accept, in ms.'),
});

/** The sysinfo pack's config as written in a server config (all fields optional). */
export type SysinfoConfigInput = z.input<typeof sysinfoConfigSchema>;

/** The sysinfo pack's config after validation, with defaults applied. */
export type SysinfoConfig = z.output<typeof sysinfoConfigSchema>;
