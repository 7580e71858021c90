import { definePack } from '@mcp-packs/core';
import { sysinfoConfigSchema } from './config.js';
import { sysinfoErrors } from './error-map.js';
import { summaryResource } from './resources/summary.js';
import { createSysinfoServices } from './services.js';
import { convertTimeTool } from './tools/convert-time.js';
import { cpuUsageTool } from './tools/cpu-usage.js';
import { currentTimeTool } from './tools/current-time.js';
import { diskUsageTool } from './tools/disk-usage.js';
import { memoryUsageTool } from './tools/memory-usage.js';
import { networkInterfacesTool } from './tools/network-interfaces.js';
import { systemSummaryTool } from './tools/system-summary.js';
import { topProcessesTool } from './tools/top-processes.js';

/**
 * The sysinfo pack: the time in any zone and conversion between zones; OS, CPU, memory, disk, network and process
 * facts about the server machine, with container (cgroup) limits. Private by default: host name, user name, home
 * directory, MAC addresses, serial numbers, command lines and environment variables stay hidden until the config
 * shows each one, and `top_processes` is refused until enabled.
 *
 * Named `sysinfo`, with the default prefix `sys`: tools are `sys_current_time`, `sys_system_summary`, … and the
 * resource is `sysinfo://sys/summary`. `top_processes` is offered only when the config enables it.
 *
 * @example
 * const server = new McpServer({ name: 'my-server', version: '1.0.0' }, { capabilities: { logging: {} } });
 * await mountPack(server, sysinfoPack, { config: { timeZone: 'Europe/Berlin' } });
 * await server.connect(new StdioServerTransport());
 */
export const sysinfoPack = definePack({
  name: 'sysinfo',
  prefix: 'sys',
  version: '0.1.0',
  description:
    'The time in any zone and conversion between zones, and CPU, memory, disk, network and process facts about the server machine, private by default.',
  instructions: (tools) =>
    [
      tools.has('current_time')
        ? `Use ${tools.name('current_time')} whenever an answer depends on today's date or the current time; never guess it.`
        : '',
      tools.has('system_summary')
        ? `Use ${tools.name('system_summary')} first for questions about the machine, then the usage tools for live figures.`
        : '',
      'Values shown as "[redacted]" are hidden by the server\'s configuration: say so, do not guess them.',
    ]
      .filter(Boolean)
      .join(' '),
  configSchema: sysinfoConfigSchema,
  errors: sysinfoErrors,
  setup: ({ config }) => createSysinfoServices(config),
  tools: {
    current_time: currentTimeTool,
    convert_time: convertTimeTool,
    system_summary: systemSummaryTool,
    cpu_usage: cpuUsageTool,
    memory_usage: memoryUsageTool,
    disk_usage: diskUsageTool,
    network_interfaces: networkInterfacesTool,
    top_processes: topProcessesTool,
  },
  disabledTools: (config) =>
    config.topProcesses ? {} : { top_processes: 'process listing is off; set topProcesses: true to enable it' },
  resources: {
    summary: summaryResource,
  },
});
