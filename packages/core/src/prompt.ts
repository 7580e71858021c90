import type { z } from 'zod';
import type { RequestContext } from './call.js';
import type { ContentBlock } from './content.js';
import type { CompleteVariable } from './resource.js';
import type { Icon } from './tool.js';

/** One message of a prompt. */
export interface PromptMessage {
  role: 'user' | 'assistant';
  content: ContentBlock;
}

/** What a prompt's `get` returns: a string (one user message) or messages, with an optional description. */
export type PromptResult =
  | string
  | readonly PromptMessage[]
  | { description?: string; messages: readonly PromptMessage[] };

/** Prompt arguments arrive as strings (MCP); each field is a string, optional or not. */
export type PromptArgsSchema = z.ZodObject<Record<string, z.ZodString | z.ZodOptional<z.ZodString>>>;

/** The declaration of a prompt: a reusable message template the user picks in the client. */
export interface PromptSpec<S, A extends PromptArgsSchema | undefined> {
  title?: string;
  description: string;
  /** Icons a client may show for the prompt. */
  icons?: readonly Icon[];
  /** A zod object of string fields; each should be `.describe()`d. */
  argsSchema?: A;
  /** Completion of arguments, keyed by argument name. */
  complete?: Readonly<Record<string, CompleteVariable<S>>>;
  get: (
    args: A extends PromptArgsSchema ? z.output<A> : Record<string, never>,
    context: RequestContext<S>,
  ) => PromptResult | Promise<PromptResult>;
}

/** A prompt as {@link definePrompt} returns it. */
export interface PromptDefinition<S = unknown, A extends PromptArgsSchema | undefined = PromptArgsSchema | undefined>
  extends PromptSpec<S, A> {
  readonly kind: 'prompt';
}

/** A prompt with any arguments that can run with services `S`. */
// biome-ignore lint/suspicious/noExplicitAny: erases the argument type so prompts of any shape fit one record
export type AnyPromptDefinition<S = unknown> = PromptDefinition<S, any>;

/**
 * Declare a prompt.
 *
 * @example
 * definePrompt({
 *   description: 'Summarise the notes that match a query.',
 *   argsSchema: z.object({ query: z.string().describe('What to look for') }),
 *   get: ({ query }) => `Search my notes for "${query}" and summarise what you find.`,
 * });
 */
export function definePrompt<S = unknown, A extends PromptArgsSchema | undefined = undefined>(
  spec: PromptSpec<S, A>,
): PromptDefinition<S, A> {
  return { ...spec, kind: 'prompt' };
}
