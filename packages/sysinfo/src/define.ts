import { definersFor } from '@mcp-packs/core';
import type { SysinfoServices } from './services.js';

/** The sysinfo pack's definers, bound to its services: `call.services` is typed in every tool and resource. */
export const { defineTool, defineResource } = definersFor<SysinfoServices>();
