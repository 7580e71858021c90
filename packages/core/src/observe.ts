/**
 * Watching tool calls from the host: an {@link CallObserver} passed to `mountPack`/`createPackInstance` hears when
 * each call starts and how it ended, to make a trace span, a metric or an audit line of it. It never sees argument
 * values or results, only names, the request's `_meta` (where trace context travels, SEP-414) and the outcome.
 * Without an observer a call costs one `undefined` check.
 */
import { ERROR_META_KEY, type ToolResultWire } from './results.js';

/** One tool call as an observer sees it when it starts. */
export interface ToolCallStart {
  /** The pack's name (`filesystem`), whatever it is mounted as. */
  readonly pack: string;
  /** The tool's name in the pack (`read_text_file`). */
  readonly tool: string;
  /** The tool's name as the client called it (`fs_read_text_file`). */
  readonly name: string;
  /** The request's `_meta` (`traceparent`, `tracestate`, `baggage`, `progressToken`, …), when it has one. */
  readonly meta: Readonly<Record<string, unknown>> | undefined;
  /** The 2025-era transport session, when there is one. */
  readonly sessionId: string | undefined;
}

/** How a tool call ended. */
export interface ToolCallEnd {
  /**
   * `ok`; `error` (an `isError` result: the tool's `ToolError`, invalid arguments, a cancellation or an internal
   * error, told apart by `errorCode`); or `input_required` (the call asked the user a question and will be replayed).
   */
  readonly outcome: 'ok' | 'error' | 'input_required';
  /** For `error`: the result's code (`invalid_input`, `not_found`, `cancelled`, `internal_error`, …). */
  readonly errorCode?: string;
}

/**
 * Hears every tool call of the instances it is given to. `toolCall` runs as the call starts (after its arguments
 * were received, before they are checked) and returns what to run when it ends. Neither may throw (what they throw
 * is logged and ignored) and both run on the call's path, so keep them quick.
 */
export interface CallObserver {
  toolCall(start: ToolCallStart): (end: ToolCallEnd) => void;
}

/** What became of a call, from the result it answers with. */
export function callEnd(result: ToolResultWire | undefined): ToolCallEnd {
  if (result === undefined) return { outcome: 'input_required' };
  if (result.isError !== true) return { outcome: 'ok' };
  const meta = result._meta?.[ERROR_META_KEY] as { code?: unknown } | undefined;
  return typeof meta?.code === 'string' ? { outcome: 'error', errorCode: meta.code } : { outcome: 'error' };
}
