/**
 * The errors of the fetch domain. Each says whether a policy refused the request (nothing was sent, or the
 * transfer was stopped on purpose), whether the network failed, or whether the server answered with an error, so
 * the model never mistakes a refusal for an outage.
 */

/** What kind of failure: a refusal by this server's policy, a network failure, an HTTP error, bad input, a cancel. */
export type FetchErrorKind = 'policy' | 'network' | 'http' | 'input' | 'cancelled';

/** Options of {@link FetchError}. */
export interface FetchErrorOptions {
  code: string;
  kind: FetchErrorKind;
  hint?: string;
  retryable?: boolean;
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** A failure of a fetch, with a stable code, its kind and a hint for what to do next. */
export class FetchError extends Error {
  readonly code: string;
  readonly kind: FetchErrorKind;
  readonly hint: string | undefined;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(message: string, options: FetchErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FetchError';
    this.code = options.code;
    this.kind = options.kind;
    this.hint = options.hint;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }
}

/** A refusal by policy. The message is prefixed so the model cannot read it as a network failure. */
export function policyError(
  code: string,
  reason: string,
  options: { hint?: string; details?: Record<string, unknown> } = {},
): FetchError {
  return new FetchError(`Refused by this server's fetch policy (not a network failure): ${reason}`, {
    code,
    kind: 'policy',
    ...options,
  });
}

/** True for a {@link FetchError}, also when it arrives wrapped as the `cause` of another error. */
export function findFetchError(error: unknown): FetchError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof FetchError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
