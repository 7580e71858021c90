import { definersFor } from '@mcp-packs/core';
import type { WebFetchServices } from './services.js';

/** The web-fetch pack's definers, bound to its services: `call.services` is typed in every tool and prompt. */
export const { defineTool, definePrompt } = definersFor<WebFetchServices>();
