/**
 * The services of a mounted web-fetch pack, built once from its config: the guarded fetcher and the reader on top
 * of it.
 */
import type { ToolCall } from '@mcp-packs/core';
import type { WebFetchConfig } from './config.js';
import { createFetcher, type Fetcher } from './http/fetcher.js';
import type { Resolver } from './http/guarded-lookup.js';
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

/** A download-progress callback that sends MCP progress notifications for a call. */
export function progressReporter(call: ToolCall<WebFetchServices>) {
  return (received: number, total: number | undefined): void => {
    const message = total
      ? `Downloaded ${formatBytes(received)} of ${formatBytes(total)}`
      : `Downloaded ${formatBytes(received)}`;
    void call.progress(received, total, message);
  };
}
