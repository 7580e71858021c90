import type { PackEntry } from './create-server.js';

/** The packs the server mounts when no config is given. Packs join this list as they land. */
export function defaultPacks(): PackEntry[] {
  return [];
}
