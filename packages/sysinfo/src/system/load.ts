import type * as Readers from './readers.js';

let readers: Promise<typeof Readers> | undefined;

/**
 * The system readers (procfs, statfs, cgroups, interfaces, processes), loaded by the first call that needs them:
 * starting a server with this pack does not pay for them.
 */
export function loadSystem(): Promise<typeof Readers> {
  readers ??= import('./readers.js');
  return readers;
}
