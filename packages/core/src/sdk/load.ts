/**
 * Which SDK a server is from, and that SDK's adapter, loaded on first use (so a host needs only the SDK it uses
 * installed). The adapters themselves are sdk/v2.ts and sdk/v1.ts.
 */
import { PackError } from '../errors.js';
import type { SdkAdapter } from './port.js';

/**
 * An `McpServer` of either SDK major: `@modelcontextprotocol/server` (v2) or `@modelcontextprotocol/sdk` ^1.32
 * (v1). Structural, so core's types name no SDK type.
 */
export interface McpServerLike {
  readonly server: object;
  registerTool(...args: never[]): unknown;
}

/** Which SDK major a server is from: v1's `McpServer` still has the variadic `tool()` that v2 removed. */
export function sdkOf(server: McpServerLike): 'v1' | 'v2' {
  return typeof (server as { tool?: unknown }).tool === 'function' ? 'v1' : 'v2';
}

const adapters: { v1?: SdkAdapter; v2?: SdkAdapter } = {};

/** Load the adapter of one SDK major (and so that SDK). */
export async function loadAdapter(sdk: 'v1' | 'v2'): Promise<SdkAdapter> {
  const known = adapters[sdk];
  if (known) return known;
  try {
    const loaded = sdk === 'v2' ? (await import('./v2.js')).adapter : (await import('./v1.js')).adapter;
    adapters[sdk] = loaded;
    return loaded;
  } catch (error) {
    const pkg = sdk === 'v2' ? '@modelcontextprotocol/server' : '@modelcontextprotocol/sdk';
    throw new PackError(
      `Cannot load the MCP SDK ${sdk} (${pkg}): ${error instanceof Error ? error.message : String(error)}. Install ${pkg} beside @mcp-packs/core.`,
      { code: 'sdk_unavailable', cause: error },
    );
  }
}

export function adapterFor(server: McpServerLike, owner: string, packName: string): SdkAdapter {
  const sdk = sdkOf(server);
  const adapter = adapters[sdk];
  if (adapter) return adapter;
  throw new PackError(
    `Cannot attach ${owner} to an McpServer of SDK ${sdk}: its adapter is not loaded. Create the instance with createPackInstance(pack, { sdk: '${sdk}' }), or use mountPack.`,
    { code: 'sdk_not_loaded', pack: packName },
  );
}
