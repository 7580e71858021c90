/**
 * Prompts of the conformance fixtures (scenarios `prompts-list`, `prompts-get-simple`, `prompts-get-with-args`,
 * `prompts-get-embedded-resource`, `prompts-get-with-image`, and `completion-complete`, which completes `arg1`).
 */
import { definePrompt } from '@mcp-packs/core';
import { z } from 'zod';
import { RED_PIXEL_PNG } from './fixtures.js';

/** `test_simple_prompt`: one user message, no arguments. */
export const simplePrompt = definePrompt({
  title: 'Simple Test Prompt',
  description: 'Conformance fixture: a prompt without arguments.',
  get: () => 'This is a simple prompt for testing.',
});

const CITIES = ['paris', 'park', 'party'];

/** `test_prompt_with_arguments`: both arguments substituted; `arg1` completes from a short list. */
export const promptWithArguments = definePrompt({
  title: 'Prompt With Arguments',
  description: 'Conformance fixture: a prompt with two required arguments.',
  argsSchema: z.object({
    arg1: z.string().describe('First test argument'),
    arg2: z.string().describe('Second test argument'),
  }),
  complete: { arg1: (value) => CITIES.filter((city) => city.startsWith(value.toLowerCase())) },
  get: ({ arg1, arg2 }) => `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'`,
});

/** `test_prompt_with_embedded_resource`: a message embedding the resource named by `resourceUri`. */
export const promptWithEmbeddedResource = definePrompt({
  title: 'Prompt With Embedded Resource',
  description: 'Conformance fixture: a prompt that embeds a resource.',
  argsSchema: z.object({ resourceUri: z.string().describe('URI of the resource to embed') }),
  get: ({ resourceUri }) => [
    {
      role: 'user',
      content: {
        type: 'resource',
        resource: { uri: resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' },
      },
    },
    { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
  ],
});

/** `test_prompt_with_image`: an image, then a question about it. */
export const promptWithImage = definePrompt({
  title: 'Prompt With Image',
  description: 'Conformance fixture: a prompt that includes an image.',
  get: () => [
    { role: 'user', content: { type: 'image', data: RED_PIXEL_PNG, mimeType: 'image/png' } },
    { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
  ],
});
