import { definersFor, type ToolCall } from '@mcp-packs/core';
import type { FilesystemServices } from './services.js';

/** The filesystem pack's definers, bound to its services: `call.services` is typed in every tool and resource. */
export const { defineTool, defineResourceTemplate } = definersFor<FilesystemServices>();

/** A call of one of this pack's tools, for helpers that take the whole call. */
export type FilesystemCall = ToolCall<FilesystemServices>;
