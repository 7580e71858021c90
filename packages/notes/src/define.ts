import { definersFor } from '@mcp-packs/core';
import type { NotesServices } from './services.js';

/** The notes pack's definers, bound to its services: `call.services` is typed in every tool, resource and prompt. */
export const { defineTool, defineResource, defineResourceTemplate, definePrompt, defineView } =
  definersFor<NotesServices>();
