/**
 * Turning what handlers return into MCP result shapes, and failures into error results. Plain data in, plain data
 * out: the shapes are MCP's wire shapes, so this file needs no SDK import.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { type ContentBlock, isContentResult } from './content.js';
import type { ToolError } from './errors.js';
import type { LogSink } from './log.js';
import type { PromptMessage, PromptResult } from './prompt.js';
import type { ResourceReadResult } from './resource.js';
import { type AnyToolDefinition, toolSchema } from './tool.js';

/** The `_meta` key under which tool errors carry their code, for clients and tests. */
export const ERROR_META_KEY = 'mcp-packs/error';

/** What `_meta[ERROR_META_KEY]` holds on an error result. */
export interface ErrorMeta {
  code: string;
  retryable: boolean;
  details?: Record<string, unknown>;
  errorId?: string;
}

/** A `tools/call` result as it goes on the wire. */
export interface ToolResultWire {
  [key: string]: unknown;
  content: ContentBlock[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  _meta?: Record<string, unknown>;
}

/** A `resources/read` result. */
export interface ReadResultWire {
  [key: string]: unknown;
  contents: (
    | { uri: string; mimeType?: string; text: string; _meta?: Record<string, unknown> }
    | { uri: string; mimeType?: string; blob: string; _meta?: Record<string, unknown> }
  )[];
}

/** A `prompts/get` result. */
export interface PromptResultWire {
  [key: string]: unknown;
  description?: string;
  messages: PromptMessage[];
}

/** Where failures are logged, and under which name. */
export interface FailureLog {
  sink: LogSink;
  source: string;
}

/** A short random id that ties what the client sees to the server log. */
export function errorId(): string {
  return randomUUID().slice(0, 8);
}

function errorResult(text: string, meta: ErrorMeta): ToolResultWire {
  return { isError: true, content: [{ type: 'text', text }], _meta: { [ERROR_META_KEY]: meta } };
}

/** The result of a `ToolError`: `[code] message`, the hint, and the code in `_meta`. */
export function toolErrorResult(error: ToolError): ToolResultWire {
  let text = `[${error.code}] ${error.message}`;
  if (error.hint) text += `\nHint: ${error.hint}`;
  if (error.retryable) text += '\nThis may succeed if tried again.';
  const meta: ErrorMeta = { code: error.code, retryable: error.retryable };
  if (error.details) meta.details = error.details;
  return errorResult(text, meta);
}

/**
 * How many issues an invalid-input result lists, in its text and its details; the rest are counted. An array of
 * 20,000 wrong items is 20,000 issues: listed whole, a 100 KB request got a 3 MB answer, none of it more use to the
 * model than the first few lines.
 */
const MAX_LISTED_ISSUES = 10;

/** The longest issue path and message shown, in characters: a message may quote what the caller sent (its keys). */
const MAX_ISSUE_CHARS = 300;

/** The result for arguments the tool's input schema refuses: each field at fault and what it needs. */
export function invalidInputResult(toolName: string, error: z.ZodError): ToolResultWire {
  const issues = error.issues.slice(0, MAX_LISTED_ISSUES).map(issueSummary);
  const more = error.issues.length - issues.length;
  const rest = more > 0 ? `; and ${more} more issue${more === 1 ? '' : 's'}` : '';
  return errorResult(
    `[invalid_input] Invalid arguments for ${toolName}: ${joinIssues(issues)}${rest}\nHint: correct the fields named above (the tool's input schema says what each takes) and call again.`,
    { code: 'invalid_input', retryable: false, details: { issues, ...(more > 0 ? { moreIssues: more } : {}) } },
  );
}

interface IssueSummary {
  path: string;
  message: string;
}

/** `text` cut to `max` characters (never inside a surrogate pair), saying how much was left out. */
function bounded(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}… (${text.length - end} more characters)`;
}

function issueSummary(issue: z.core.$ZodIssue): IssueSummary {
  return {
    path: bounded(issue.path.length ? issue.path.map(String).join('.') : '(root)', MAX_ISSUE_CHARS),
    message: bounded(issueMessage(issue), MAX_ISSUE_CHARS),
  };
}

function joinIssues(issues: readonly IssueSummary[]): string {
  return issues.map(({ path, message }) => `${path}: ${message}`).join('; ');
}

/** The result of a cancelled call (rarely seen: the SDK drops responses to cancelled requests). */
export function cancelledResult(toolName: string): ToolResultWire {
  return errorResult(`[cancelled] ${toolName} was cancelled.`, { code: 'cancelled', retryable: true });
}

/** Log a failure with its stack under a fresh error id; tell the client only the id and a short reason. */
export function internalErrorResult(log: FailureLog, toolName: string, reason: string, error: unknown): ToolResultWire {
  const id = errorId();
  log.sink({ level: 'error', source: log.source, message: `${toolName}: ${reason} (error id ${id})`, error });
  return errorResult(
    `[internal_error] ${toolName} failed: ${reason} (error id ${id}). The fault is in the tool, not in your input; the details are in the server log.`,
    { code: 'internal_error', retryable: false, errorId: id },
  );
}

/** An issue's message; for a union, what each accepted form wanted ("Invalid input" alone says nothing). */
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return issue.message;
  const forms = issue.errors.map((form) =>
    form
      .map((inner) => `${inner.path.length ? `${inner.path.map(String).join('.')}: ` : ''}${inner.message}`)
      .join(', '),
  );
  return `${issue.message}, none of its accepted forms fits (${forms.join(' | ')})`;
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return joinIssues(issues.map(issueSummary));
}

function jsonText(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

/** True for a non-null, non-array object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The wire result of what `execute` returned: content blocks pass through; a plain object becomes
 * `structuredContent` plus text; a string becomes text. Output is checked against the tool's `outputSchema`, and a
 * mismatch is an internal error (the tool's bug), never sent as if it were valid.
 */
export function toolResult(
  log: FailureLog,
  tool: AnyToolDefinition,
  name: string,
  input: unknown,
  output: unknown,
): ToolResultWire {
  const schema = tool.outputSchema === undefined ? undefined : toolSchema(tool.outputSchema);
  const mismatch = (error: z.ZodError) =>
    internalErrorResult(
      log,
      name,
      `its result did not match its output schema (${describeIssues(error.issues)})`,
      error,
    );
  const text = (value: unknown) => (tool.toText ? tool.toText(value, input) : jsonText(value));

  if (isContentResult(output)) {
    const result: ToolResultWire = { content: [...output.content] };
    if (output.structuredContent !== undefined) {
      if (schema) {
        const parsed = schema.safeParse(output.structuredContent);
        if (!parsed.success) return mismatch(parsed.error);
        result.structuredContent = parsed.data as Record<string, unknown>;
      } else {
        result.structuredContent = output.structuredContent;
      }
    } else if (schema) {
      return internalErrorResult(
        log,
        name,
        'it declares an output schema but returned no structured content',
        undefined,
      );
    }
    return result;
  }
  if (schema) {
    const parsed = schema.safeParse(output);
    if (!parsed.success) return mismatch(parsed.error);
    const structured = parsed.data as Record<string, unknown>;
    return { content: [{ type: 'text', text: text(structured) }], structuredContent: structured };
  }
  if (typeof output === 'string') return { content: [{ type: 'text', text: output }] };
  if (output === undefined) return { content: [] };
  if (isPlainObject(output)) return { content: [{ type: 'text', text: text(output) }], structuredContent: output };
  return { content: [{ type: 'text', text: text(output) }] };
}

/** The wire result of a resource read. */
export function readResult(result: ResourceReadResult, uri: string, mimeType: string | undefined): ReadResultWire {
  const items =
    typeof result === 'string'
      ? [{ text: result }]
      : Array.isArray(result)
        ? result
        : [result as Exclude<ResourceReadResult, string | readonly unknown[]>];
  return {
    contents: items.map((item) => {
      const type = item.mimeType ?? mimeType;
      const base = {
        uri: item.uri ?? uri,
        ...(type === undefined ? {} : { mimeType: type }),
        ...(item.meta === undefined ? {} : { _meta: item.meta }),
      };
      if ('text' in item) return { ...base, text: item.text };
      return { ...base, blob: typeof item.blob === 'string' ? item.blob : Buffer.from(item.blob).toString('base64') };
    }),
  };
}

/** The wire result of a prompt: a string is one user message. */
export function promptResult(result: PromptResult): PromptResultWire {
  if (typeof result === 'string') return { messages: [{ role: 'user', content: { type: 'text', text: result } }] };
  if (Array.isArray(result)) return { messages: [...(result as readonly PromptMessage[])] };
  const full = result as Exclude<PromptResult, string | readonly unknown[]>;
  return {
    ...(full.description === undefined ? {} : { description: full.description }),
    messages: [...full.messages],
  };
}
