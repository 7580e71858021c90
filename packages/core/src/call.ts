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
  /** Logs to the server log and, for levels the client asked for with `logging/setLevel`, to the client. */
  readonly log: Logger;
  /** The transport session, when there is one (Streamable HTTP). */
  readonly sessionId: string | undefined;
  /**
   * The roots the client shares (MCP roots capability), or `undefined` when the client does not support roots.
   * Cached per connection and refreshed on `notifications/roots/list_changed`.
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
}
