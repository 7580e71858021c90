/**
 * The services of a mounted web-fetch pack, built once from its config: the guarded fetcher and the reader on top
 * of it. Also the one place that turns domain errors into the `ToolError`s the model sees.
 */
import { type ToolCall, ToolError } from '@mcp-packs/core';
import type { WebFetchConfig } from './config.js';
import { createFetcher, type Fetcher } from './http/fetcher.js';
import type { Resolver } from './http/guarded-lookup.js';
import { FetchError } from './policy/fetch-error.js';
import { formatBytes } from './reader/formats.js';
import { createWebReader, type WebReader } from './reader/reader.js';

/** What every web-fetch handler receives as `services`. */
export interface WebFetchServices {
  readonly config: WebFetchConfig;
  readonly fetcher: Fetcher;
  readonly reader: WebReader;
}

/** Build the services from a validated config. `resolver` replaces DNS (tests). */
export function createWebFetchServices(config: WebFetchConfig, resolver?: Resolver): WebFetchServices {
  const fetcher = createFetcher({
    allowPrivateNetwork: config.allowPrivateNetwork,
    allowAddresses: config.allowAddresses,
    allowHosts: config.allowHosts,
    denyHosts: config.denyHosts,
    allowedHeaders: config.allowedHeaders,
    allowedMethods: config.allowedMethods,
    maxBytes: config.maxBytes,
    maxRedirects: config.maxRedirects,
    userAgent: config.userAgent,
    respectRobotsTxt: config.respectRobotsTxt,
    proxy: config.proxy,
    maxConcurrentPerHost: config.maxConcurrentPerHost,
    ...(resolver ? { resolver } : {}),
  });
  const reader = createWebReader({
    fetcher,
    defaultMaxLength: config.defaultMaxLength,
    timeoutMs: config.timeoutMs,
    maxTimeoutMs: config.maxTimeoutMs,
    maxBytes: config.maxBytes,
  });
  return { config, fetcher, reader };
}

/** Turn a domain {@link FetchError} into a `ToolError` (kind in `details`); anything else is rethrown as is. */
export function toToolError(error: unknown): never {
  if (error instanceof FetchError) {
    throw new ToolError(error.message, {
      code: error.code,
      ...(error.hint ? { hint: error.hint } : {}),
      retryable: error.retryable,
      details: { kind: error.kind, ...error.details },
      cause: error,
    });
  }
  throw error;
}

/** A download-progress callback that sends MCP progress notifications for a call. */
export function progressReporter(call: ToolCall<WebFetchServices>) {
  return (received: number, total: number | undefined): void => {
    const message = total
      ? `Downloaded ${formatBytes(received)} of ${formatBytes(total)}`
      : `Downloaded ${formatBytes(received)}`;
    void call.progress(received, total, message);
  };
}
