/**
 * Tools that answer with each kind of content block (conformance scenarios `tools-call-simple-text`,
 * `tools-call-image`, `tools-call-audio`, `tools-call-embedded-resource`, `tools-call-mixed-content`,
 * `tools-call-error`).
 */
import { contentResult, defineTool, ToolError } from '@mcp-packs/core';
import { z } from 'zod';
import { RED_PIXEL_PNG, SILENT_WAV } from '../fixtures.js';

const noInput = z.object({});
const harmless = { readOnlyHint: true, openWorldHint: false } as const;

/** `test_simple_text`: one text block. */
export const simpleText = defineTool({
  description: 'Conformance fixture: answers with one fixed text block.',
  inputSchema: noInput,
  annotations: harmless,
  execute: () => 'This is a simple text response for testing.',
});

/** `test_image_content`: one PNG image block. */
export const imageContent = defineTool({
  description: 'Conformance fixture: answers with a 1x1 PNG image block.',
  inputSchema: noInput,
  annotations: harmless,
  execute: () => contentResult([{ type: 'image', data: RED_PIXEL_PNG, mimeType: 'image/png' }]),
});

/** `test_audio_content`: one WAV audio block. */
export const audioContent = defineTool({
  description: 'Conformance fixture: answers with a one-sample WAV audio block.',
  inputSchema: noInput,
  annotations: harmless,
  execute: () => contentResult([{ type: 'audio', data: SILENT_WAV, mimeType: 'audio/wav' }]),
});

/** `test_embedded_resource`: one embedded text resource. */
export const embeddedResource = defineTool({
  description: 'Conformance fixture: answers with an embedded text resource.',
  inputSchema: noInput,
  annotations: harmless,
  execute: () =>
    contentResult([
      {
        type: 'resource',
        resource: {
          uri: 'test://embedded-resource',
          mimeType: 'text/plain',
          text: 'This is an embedded resource content.',
        },
      },
    ]),
});

/** `test_multiple_content_types`: text, an image and an embedded JSON resource in one result. */
export const multipleContentTypes = defineTool({
  description: 'Conformance fixture: answers with a text block, an image block and an embedded JSON resource.',
  inputSchema: noInput,
  annotations: harmless,
  execute: () =>
    contentResult([
      { type: 'text', text: 'Multiple content types test:' },
      { type: 'image', data: RED_PIXEL_PNG, mimeType: 'image/png' },
      {
        type: 'resource',
        resource: {
          uri: 'test://mixed-content-resource',
          mimeType: 'application/json',
          text: JSON.stringify({ test: 'data', value: 123 }),
        },
      },
    ]),
});

/** `test_error_handling`: always fails, as a tool error the model could act on. */
export const errorHandling = defineTool({
  description: 'Conformance fixture: always fails with a tool error (isError: true).',
  inputSchema: noInput,
  annotations: harmless,
  execute: () => {
    throw new ToolError('This tool intentionally returns an error for testing', {
      code: 'intentional_error',
      hint: 'Nothing to fix: the conformance suite expects this error.',
    });
  },
});
