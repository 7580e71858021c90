/**
 * What a failed fetch becomes: one {@link FetchError} that says whether it was cancelled, a policy refusal, a
 * timeout (and in which phase), or a network, DNS or TLS failure, with a hint for the model.
 */
import { FetchError, findFetchError } from '../policy/fetch-error.js';

/** Where a fetch was when it failed, named for the reader of a timeout. */
export type Phase =
  | 'waiting for a connection slot'
  | 'checking robots.txt'
  | 'waiting for the response'
  | 'reading the body';

/** What the fetch knew when it failed. */
export interface ErrorContext {
  url: URL;
  phase: Phase;
  received: number;
  timeoutMs: number;
  timedOut: boolean;
  cancelled: boolean;
}

const TLS_CODES = /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH|ERR_CERT)/;

/** The one error a failed fetch throws. */
export function classifyError(error: unknown, context: ErrorContext): FetchError {
  const host = context.url.host;
  if (context.cancelled) {
    return new FetchError(`The fetch of ${context.url.href} was cancelled.`, {
      code: 'cancelled',
      kind: 'cancelled',
      cause: error,
    });
  }
  const known = findFetchError(error);
  if (known) return known;
  if (context.timedOut) {
    const progress = context.phase === 'reading the body' ? ` after ${context.received} bytes of body` : '';
    return new FetchError(
      `Timed out after ${context.timeoutMs} ms while ${context.phase} from ${host}${progress}. This is a network timeout, not a policy refusal.`,
      {
        code: 'timeout',
        kind: 'network',
        retryable: true,
        hint: 'Try again, perhaps with a larger timeoutMs, or use another source.',
        details: { phase: context.phase, receivedBytes: context.received, timeoutMs: context.timeoutMs },
        cause: error,
      },
    );
  }
  const code = String((error as { code?: unknown }).code ?? '');
  const network = (errorCode: string, message: string, hint: string, retryable = true): FetchError =>
    new FetchError(`${message} This is a network failure, not a policy refusal.`, {
      code: errorCode,
      kind: 'network',
      retryable,
      hint,
      details: { host, systemCode: code || undefined },
      cause: error,
    });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NODATA' || code === 'EAI_NONAME') {
    return network(
      'dns_failed',
      `The host ${context.url.hostname} could not be resolved (${code}).`,
      'Check the spelling of the host name.',
      code === 'EAI_AGAIN',
    );
  }
  if (code === 'ECONNREFUSED') {
    return network('connection_refused', `${host} refused the connection.`, 'The server may be down; try again later.');
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE') {
    return network(
      'connection_reset',
      `The connection to ${host} was closed unexpectedly while ${context.phase}.`,
      'Try again.',
    );
  }
  if (code === 'ETIMEDOUT' || code === 'ENETUNREACH' || code === 'EHOSTUNREACH') {
    return network('unreachable', `${host} could not be reached (${code}).`, 'Try again later.');
  }
  if (TLS_CODES.test(code)) {
    return network(
      'tls_error',
      `The TLS connection to ${host} failed (${code}).`,
      'The site’s certificate is not valid; do not retry.',
      false,
    );
  }
  if (code.startsWith('HPE_')) {
    const why =
      code === 'HPE_HEADER_OVERFLOW'
        ? 'its headers are larger than the 16 KiB this client reads'
        : `${error instanceof Error ? error.message : code}`.slice(0, 120);
    return new FetchError(
      `${host} sent a response that is not valid HTTP while ${context.phase} (${why}). This is a fault of the server, not a network failure or a policy refusal.`,
      {
        code: 'invalid_response',
        kind: 'http',
        hint: 'Use another source for this page.',
        details: { host, systemCode: code },
        cause: error,
      },
    );
  }
  if (code === 'ERR_INVALID_CHAR' || code === 'ERR_INVALID_HTTP_TOKEN') {
    return new FetchError('A request header name or value is not valid HTTP.', {
      code: 'invalid_header',
      kind: 'input',
      hint: 'Use plain ASCII header names and single-line values.',
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return network(
    'network_error',
    `The request to ${host} failed while ${context.phase}: ${message.slice(0, 200)}.`,
    'Try again later.',
  );
}
