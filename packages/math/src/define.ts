import { definersFor } from '@mcp-packs/core';
import type { MathServices } from './services.js';

/** The math pack's definers, bound to its services: `call.services` is typed in every tool and resource. */
export const { defineTool, defineResource, defineResourceTemplate, defineView } = definersFor<MathServices>();
