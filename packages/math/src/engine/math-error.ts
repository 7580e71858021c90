/**
 * Why an evaluation failed, as a stable code. The tool layer turns these into `ToolError`s; the worker sends them
 * across the process boundary as plain data ({@link MathErrorData}).
 */
export type MathErrorCode =
  /** The expression does not parse. */
  | 'syntax_error'
  /** The expression parsed but failed while evaluating (wrong types, undefined symbol, dimension mismatch). */
  | 'evaluation_error'
  /** The expression reaches for something the sandbox does not allow. */
  | 'forbidden'
  /** A scope variable has a bad name or a value that cannot be read. */
  | 'invalid_scope'
  /** Input the tool cannot use (an empty matrix, an unknown unit, a bad variable name). */
  | 'invalid_input'
  /** The expression is longer than the configured limit. */
  | 'expression_too_long'
  /** The expression nests brackets (or operators) deeper than the parser can follow. */
  | 'expression_too_deep'
  /** The batch has more expressions than the configured limit. */
  | 'batch_too_large'
  /** The result text is longer than the configured limit. */
  | 'result_too_large'
  /** A matrix or range would have more elements than the configured limit. */
  | 'matrix_too_large'
  /** The evaluation ran past the time limit and its worker was stopped. */
  | 'time_limit'
  /** The evaluation ran past the memory limit and its worker was stopped. */
  | 'memory_limit'
  /** The evaluation recursed past the stack limit. */
  | 'recursion_limit'
  /** The result is a function, which is never returned. */
  | 'function_result'
  /** The units cannot be converted into each other. */
  | 'incompatible_units'
  /** The linear system has no unique solution. */
  | 'singular_matrix'
  /** Every worker is busy and the queue is full. */
  | 'busy'
  /** The call was cancelled by the client. */
  | 'cancelled'
  /** The evaluator was closed (the pack was unmounted). */
  | 'closed'
  /** A worker died for a reason other than a limit. */
  | 'worker_crashed';

/** A {@link MathError} as plain data, for `postMessage`. */
export interface MathErrorData {
  code: MathErrorCode;
  message: string;
  hint?: string;
  retryable?: boolean;
  details?: Record<string, unknown>;
}

/**
 * An expected failure of the math engine: bad input, a sandbox refusal, a limit. Its `hint` tells the caller (a
 * model) how to change the request.
 */
export class MathError extends Error {
  readonly code: MathErrorCode;
  readonly hint: string | undefined;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: MathErrorCode, message: string, options: Omit<MathErrorData, 'code' | 'message'> = {}) {
    super(message);
    this.name = 'MathError';
    this.code = code;
    this.hint = options.hint;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }

  /** The error as plain data, safe to send between processes. */
  toData(): MathErrorData {
    const data: MathErrorData = { code: this.code, message: this.message };
    if (this.hint !== undefined) data.hint = this.hint;
    if (this.retryable) data.retryable = true;
    if (this.details !== undefined) data.details = this.details;
    return data;
  }

  /** Rebuild an error posted by {@link MathError.toData}. */
  static fromData(data: MathErrorData): MathError {
    return new MathError(data.code, data.message, data);
  }
}

/** True for a {@link MathError}. */
export function isMathError(value: unknown): value is MathError {
  return value instanceof MathError;
}
