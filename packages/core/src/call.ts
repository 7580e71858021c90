import type { z } from 'zod';
import type { ElicitRequest, ElicitResult } from './input.js';
import type { Logger } from './log.js';

/** A root the client shares with the server (the MCP roots capability): a `file://` URI and an optional name. */
export interface ClientRoot {
  uri: string;
  name?: string;
}

/**
 * What every handler (tool, resource, prompt) receives beside its input: the pack's services and the live
 * facts of the request.
 */
export interface RequestContext<S = unknown> {
  /** What the pack's `setup()` returned. */
  readonly services: S;
  /** Aborted when the client cancels the request, when the connection closes, or when the mount is closed. */
  readonly signal: AbortSignal;
  /**
   * Logs to the server log and to the client when it asked for the level: with `logging/setLevel` (2025 era), or
   * with the request's own log level (2026 era; a request that names none gets no log messages).
   */
  readonly log: Logger;
  /** The transport session, when there is one (2025-era Streamable HTTP; the 2026 era has none). */
  readonly sessionId: string | undefined;
  /**
   * The roots the client shares (MCP roots capability), or `undefined` when the client does not support roots, or
   * on a 2026-era request (roots are deprecated there and would cost a round trip per call). Cached per connection
   * and refreshed on `notifications/roots/list_changed`.
   */
  roots(): Promise<readonly ClientRoot[] | undefined>;
  /**
   * The mounted form of a resource URI written the way the pack declares it: `note://abc` → `note://<prefix>/abc`.
   * Use it for resource links and template listings.
   */
  resourceUri(uri: string): string;
}

/** The context of one tool call. */
export interface ToolCall<S = unknown> extends RequestContext<S> {
  /** The tool's final (prefixed) name, as the client called it. */
  readonly toolName: string;
  /**
   * Report progress. Sent as `notifications/progress` only when the client asked for progress (sent a progress
   * token); otherwise a no-op. Notifications go out in call order; a value not greater than the last one sent is
   * dropped, because MCP requires progress to increase.
   */
  progress(done: number, total?: number, message?: string): Promise<void>;

  /**
   * Ask the user (MCP elicitation, form mode) and wait for the answer: accept (with the form's content, checked
   * against `schema`), decline, or cancel. Throws `ToolError` `input_unavailable` when the client cannot ask.
   *
   * In the 2026 era the call ends with the question and the tool runs again from the start once the user has
   * answered (it then gets the answer here at once), so do nothing irreversible before asking. An answer is reused
   * only for the very same question: ask with everything the user must see (the diff, the target) in `message`.
   * If you catch errors around it, rethrow what you do not recognise.
   */
  elicit<T extends z.ZodObject>(request: ElicitRequest<T>): Promise<ElicitResult<z.output<T>>>;
}
