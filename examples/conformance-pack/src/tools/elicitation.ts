/**
 * Tools that ask the user through `call.elicit()` (MCP elicitation, form mode). In the 2025 era core sends
 * `elicitation/create` to the client; in the 2026 era the call ends with an `input_required` result and the tool
 * runs again with the answer (core's replay). Scenarios: `tools-call-elicitation`, `elicitation-sep1034-defaults`,
 * `elicitation-sep1330-enums` (2025 era) and the `input-required-result-*` family (2026 era).
 */
import { defineTool, type ElicitResult } from '@mcp-packs/core';
import { z } from 'zod';

const noInput = z.object({});
const harmless = { readOnlyHint: true, openWorldHint: false } as const;

/** How the fixtures report an answer: the action and what the user filled in. */
function describeAnswer(prefix: string, answer: ElicitResult<unknown>): string {
  const content = answer.action === 'accept' ? answer.content : {};
  return `${prefix}: action=${answer.action}, content=${JSON.stringify(content)}`;
}

/** `test_elicitation`: asks for a user name and an email address with the caller's message. */
export const elicitation = defineTool({
  description: 'Conformance fixture: asks the user for a name and an email address, then reports the answer.',
  inputSchema: z.object({ message: z.string().describe('The message to show the user') }),
  annotations: harmless,
  execute: async ({ message }, { elicit }) => {
    const answer = await elicit({
      message,
      schema: z.object({
        username: z.string().describe("User's response"),
        email: z.string().describe("User's email address"),
      }),
    });
    return describeAnswer('User response', answer);
  },
});

/** The SEP-1034 form: a default for every primitive type. */
const withDefaults = z.object({
  name: z.string().default('John Doe').describe('User name'),
  age: z.int().default(30).describe('User age'),
  score: z.number().default(95.5).describe('User score'),
  status: z.enum(['active', 'inactive', 'pending']).default('active').describe('User status'),
  verified: z.boolean().default(true).describe('Verification status'),
});

/** `test_elicitation_sep1034_defaults`: a form whose every field has a default (SEP-1034). */
export const elicitationDefaults = defineTool({
  description: 'Conformance fixture: asks the user to review a form whose fields all have defaults (SEP-1034).',
  inputSchema: noInput,
  annotations: harmless,
  execute: async (_input, { elicit }) => {
    const answer = await elicit({
      message: 'Please review and update the form fields with defaults',
      schema: withDefaults,
    });
    return describeAnswer('Elicitation completed', answer);
  },
});

/**
 * One option of a titled enum, as SEP-1330 writes it: `{ const, title }`. zod's literal lists as `{ type, const }`;
 * `.meta()` adds the title (zod merges metadata into the JSON Schema it writes, as core's own listings do).
 */
function titled<const V extends string>(value: V, title: string) {
  return z.literal(value).meta({ title });
}

/**
 * The SEP-1330 form: every enum variant. Titled single-select is `oneOf` (zod's `xor`) with the `type` lifted to
 * the field, where SEP-1330 puts it; the legacy variant carries `enumNames` beside its `enum`.
 */
const enumVariants = z.object({
  untitledSingle: z.enum(['option1', 'option2', 'option3']).optional().describe('Select one option'),
  titledSingle: z
    .xor([titled('value1', 'First Option'), titled('value2', 'Second Option'), titled('value3', 'Third Option')])
    .meta({ type: 'string' })
    .optional()
    .describe('Select one option with titles'),
  legacyEnum: z
    .enum(['opt1', 'opt2', 'opt3'])
    .meta({ enumNames: ['Option One', 'Option Two', 'Option Three'] })
    .optional()
    .describe('Select one option (legacy)'),
  untitledMulti: z
    .array(z.enum(['option1', 'option2', 'option3']))
    .min(1)
    .max(3)
    .optional()
    .describe('Select multiple options'),
  titledMulti: z
    .array(
      z.union([titled('value1', 'First Choice'), titled('value2', 'Second Choice'), titled('value3', 'Third Choice')]),
    )
    .min(1)
    .max(3)
    .optional()
    .describe('Select multiple options with titles'),
});

/** `test_elicitation_sep1330_enums`: a form with each of the five enum variants (SEP-1330). */
export const elicitationEnums = defineTool({
  description: 'Conformance fixture: asks the user to pick from each of the five enum variants of SEP-1330.',
  inputSchema: noInput,
  annotations: harmless,
  execute: async (_input, { elicit }) => {
    const answer = await elicit({ message: 'Please select options from the enum fields', schema: enumVariants });
    return describeAnswer('Elicitation completed', answer);
  },
});

/** `test_input_required_result_elicitation`: asks for a name, then greets (2026 era: one `input_required` round). */
export const inputRequiredElicitation = defineTool({
  description: 'Conformance fixture: asks the user for their name, then greets them.',
  inputSchema: noInput,
  annotations: harmless,
  execute: async (_input, { elicit }) => {
    const answer = await elicit({
      key: 'user_name',
      message: 'What is your name?',
      schema: z.object({ name: z.string() }),
    });
    return answer.action === 'accept' ? `Hello, ${answer.content.name}!` : `No name given (${answer.action}).`;
  },
});

/**
 * `test_input_required_result_request_state`: asks for a confirmation. Core seals the request state (HMAC) and
 * opens it again on the retry; the answer reaches the tool only from state that verified, hence "state-ok".
 */
export const inputRequiredRequestState = defineTool({
  description: 'Conformance fixture: asks the user to confirm, then reports that the request state verified.',
  inputSchema: noInput,
  annotations: harmless,
  execute: async (_input, { elicit }) => {
    const answer = await elicit({ message: 'Please confirm', schema: z.object({ ok: z.boolean() }) });
    return answer.action === 'accept' ? `state-ok: confirmed=${answer.content.ok}` : `state-ok: ${answer.action}`;
  },
});

/** `test_input_required_result_multi_round`: two questions, one after the other (2026 era: two rounds). */
export const inputRequiredMultiRound = defineTool({
  description: 'Conformance fixture: asks for a name, then a favourite colour, then answers with both.',
  inputSchema: noInput,
  annotations: harmless,
  execute: async (_input, { elicit }) => {
    const first = await elicit({ message: 'Step 1: What is your name?', schema: z.object({ name: z.string() }) });
    if (first.action !== 'accept') return `Stopped at step 1 (${first.action}).`;
    const second = await elicit({
      message: 'Step 2: What is your favorite color?',
      schema: z.object({ color: z.string() }),
    });
    if (second.action !== 'accept') return `Stopped at step 2 (${second.action}).`;
    return `${first.content.name} likes ${second.content.color}.`;
  },
});

/** `test_input_required_result_tampered_state`: asks for a confirmation; its request state is sealed by core. */
export const inputRequiredTamperedState = defineTool({
  description: 'Conformance fixture: asks the user to confirm; used to check that altered request state is refused.',
  inputSchema: noInput,
  annotations: harmless,
  execute: async (_input, { elicit }) => {
    const answer = await elicit({ message: 'Please confirm', schema: z.object({ ok: z.boolean() }) });
    return describeAnswer('Confirmation', answer);
  },
});

/** `test_streaming_elicitation`: reports progress, then asks; in the 2026 era nothing but notifications may stream. */
export const streamingElicitation = defineTool({
  description: 'Conformance fixture: reports progress, then asks the user to confirm, then answers.',
  inputSchema: noInput,
  annotations: harmless,
  execute: async (_input, { progress, elicit }) => {
    await progress(50, 100, 'Half way');
    const answer = await elicit({ message: 'Continue?', schema: z.object({ ok: z.boolean() }) });
    return describeAnswer('Streaming complete', answer);
  },
});
