/**
 * The one error the domain code throws for input it cannot use: a stable code, a message and a hint for whoever
 * called. Plain TypeScript, no MCP: the tool adapters turn it into a `ToolError`.
 */
export class SysinfoInputError extends Error {
  /** A stable snake_case code, such as `unknown_time_zone`. */
  readonly code: string;
  /** What to do next. */
  readonly hint: string | undefined;
  /** Structured facts (JSON), such as close matches for a misspelt zone. */
  readonly details: Record<string, unknown> | undefined;
  /** True when the same call may succeed later (a filesystem that did not answer in time). */
  readonly retryable: boolean;

  constructor(
    code: string,
    message: string,
    options: { hint?: string; details?: Record<string, unknown>; retryable?: boolean } = {},
  ) {
    super(message);
    this.name = 'SysinfoInputError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
    this.retryable = options.retryable ?? false;
  }
}
