import type { MountedPack } from '../mount.js';

/**
 * The name a client lists for the tool a test calls `name`: `name` itself when the mount has a tool of that name
 * (a final name given as is), else `<prefix>_<name>` when the mount has that one (a key given, as tests usually do),
 * else `name` unchanged, so the server's own "unknown tool" answer reaches the test. Internal to the test kit: shared
 * by `connectPack`'s `callTool` and `viewOf`.
 */
export function finalToolName(mounted: Pick<MountedPack<unknown>, 'prefix' | 'tools'>, name: string): string {
  if (mounted.tools.includes(name)) return name;
  const prefixed = mounted.prefix === null ? name : `${mounted.prefix}_${name}`;
  return mounted.tools.includes(prefixed) ? prefixed : name;
}
