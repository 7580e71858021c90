/**
 * @mcp-packs/sysinfo: time, system and resource tools for MCP, private by default. Every export here is public API.
 */
export { type SysinfoConfig, type SysinfoConfigInput, sysinfoConfigSchema } from './config.js';
export { sysinfoPack, sysinfoPack as default } from './pack.js';
export { REDACTED } from './privacy/redactor.js';
export { summaryResource } from './resources/summary.js';
export type { SysinfoServices } from './services.js';
export { convertTimeTool } from './tools/convert-time.js';
export { cpuUsageTool } from './tools/cpu-usage.js';
export { currentTimeTool } from './tools/current-time.js';
export { diskUsageTool } from './tools/disk-usage.js';
export { memoryUsageTool } from './tools/memory-usage.js';
export { networkInterfacesTool } from './tools/network-interfaces.js';
export { systemSummarySchema, systemSummaryTool } from './tools/system-summary.js';
export { topProcessesTool } from './tools/top-processes.js';
