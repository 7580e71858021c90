/**
 * The `telemetry` section of the config: OpenTelemetry traces of tool calls, exported over OTLP/HTTP. Absent (the
 * default), nothing is traced and the OpenTelemetry packages are never loaded.
 */
import { z } from 'zod';

/** The npm packages tracing needs: optional peers of the server, installed only by those who turn it on. */
export const TELEMETRY_PACKAGES = [
  '@opentelemetry/api',
  '@opentelemetry/core',
  '@opentelemetry/resources',
  '@opentelemetry/sdk-trace',
  '@opentelemetry/exporter-trace-otlp-http',
] as const;

/** Default of `telemetry.exportDelayMs`: how long finished spans wait to be sent in one batch. */
export const DEFAULT_EXPORT_DELAY_MS = 5000;

/** The `telemetry` section. */
export const telemetrySchema = z
  .strictObject({
    endpoint: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe(
        'The OTLP/HTTP traces URL, e.g. "http://127.0.0.1:4318/v1/traces". Default: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, else OTEL_EXPORTER_OTLP_ENDPOINT + "/v1/traces", else http://localhost:4318/v1/traces.',
      ),
    headers: z
      .record(z.string().min(1), z.string())
      .optional()
      .describe(
        `HTTP headers sent with each export, e.g. { "authorization": "Bearer \${OTLP_TOKEN}" } (the token from the environment).`,
      ),
    serviceName: z
      .string()
      .min(1)
      .optional()
      .describe('The service.name of the spans. Default OTEL_SERVICE_NAME, else "mcp-packs".'),
    exportDelayMs: z
      .number()
      .int()
      .min(10)
      .max(60_000)
      .optional()
      .describe(`How long finished spans wait to be exported in one batch, in ms. Default ${DEFAULT_EXPORT_DELAY_MS}.`),
  })
  .describe(
    'OpenTelemetry: a span per tool call (pack, tool, outcome, duration; never argument values), joined to the trace in the request\'s _meta "traceparent" when there is one, exported over OTLP/HTTP. Needs the @opentelemetry packages installed beside the server. Absent: off, at no cost.',
  );

/** The `telemetry` section as written. */
export type TelemetryConfig = z.output<typeof telemetrySchema>;
