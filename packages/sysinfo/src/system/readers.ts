/** What the tools and the summary read from the system, gathered for {@link loadSystem}. */
export { readCgroupCpuSeconds, readCgroupLimits } from './cgroup.js';
export { sampleCpu } from './cpu.js';
export { filesystemOf, listFilesystems } from './disk.js';
export { percent, readHostMemory } from './memory.js';
export { ipv6Network64, readInterfaces } from './network.js';
export { readUserNames, topProcesses } from './processes.js';
export { systemSummary } from './summary.js';
