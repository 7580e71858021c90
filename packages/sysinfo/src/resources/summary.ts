import { defineResource } from '../define.js';

/** `sysinfo://<prefix>/summary`: the system summary as JSON, for clients that attach resources. */
export const summaryResource = defineResource({
  uri: 'sysinfo://summary',
  title: 'System summary',
  description:
    'OS, hardware, CPU, memory, load, uptime, Node.js and container limits of the server machine, as JSON (the ' +
    'same as the system_summary tool, with the same redactions).',
  mimeType: 'application/json',
  read: async (_uri, { services }) => JSON.stringify(await services.summary(), null, 2),
});
