import { ToolError } from '@mcp-packs/core';
import type { FilesystemServices } from '../services.js';

/** Refuse a write tool when the server did not enable writes. */
export function requireWrites(services: FilesystemServices, tool: string): void {
  if (services.writes === 'off') {
    throw new ToolError(`${tool} is disabled: this server is read-only.`, {
      code: 'writes_disabled',
      hint: 'Only the read tools work here. The user can enable writes with writes: "on" (or "ask", to approve each change) in the filesystem pack config.',
    });
  }
}

/** Refuse deleting when the server did not enable it. */
export function requireDeletes(services: FilesystemServices): void {
  requireWrites(services, 'delete');
  if (!services.config.allowDelete) {
    throw new ToolError('delete is disabled on this server.', {
      code: 'deletes_disabled',
      hint: 'The user can enable it with allowDelete: true (and writes: "on" or "ask") in the filesystem pack config.',
    });
  }
}
