/**
 * Tool calls as OpenTelemetry spans: a {@link CallObserver} over a tracer provider of this server's own (nothing is
 * registered globally, so a host that embeds the composer keeps its own OpenTelemetry setup).
 *
 * Each call is one SERVER span named `tools/call <tool>`, with the attributes of OpenTelemetry's MCP semantic
 * conventions (`mcp.method.name`, `gen_ai.operation.name`, `gen_ai.tool.name`, `mcp.session.id`, `error.type`)
 * plus `mcp_packs.pack`, `mcp_packs.tool` and `mcp_packs.outcome`. Argument values and results are never recorded.
 * A `traceparent` (and `tracestate`) in the request's `_meta` (SEP-414) makes the span a child of the caller's.
 */
import type { CallObserver } from '@mcp-packs/core/host';
import { DEFAULT_EXPORT_DELAY_MS, type TelemetryConfig } from './config.js';

/** Import one of the telemetry packages, resolved where the config's packs are. */
export type PackageImporter = (specifier: string) => Promise<Record<string, unknown>>;

/** Tracing, started: the observer to give each pack instance, and how to flush and stop it. */
export interface Telemetry {
  readonly observer: CallObserver;
  /** Export what is pending and stop. */
  shutdown(): Promise<void>;
}

type Api = typeof import('@opentelemetry/api');
type Core = typeof import('@opentelemetry/core');
type Resources = typeof import('@opentelemetry/resources');
type SdkTrace = typeof import('@opentelemetry/sdk-trace');
type Exporter = typeof import('@opentelemetry/exporter-trace-otlp-http');

/** The `_meta` keys of W3C trace context, read as a propagator carrier (string values only). */
const metaGetter = {
  keys: (carrier: Readonly<Record<string, unknown>>) => Object.keys(carrier),
  get: (carrier: Readonly<Record<string, unknown>>, key: string) => {
    const value = carrier[key];
    return typeof value === 'string' ? value : undefined;
  },
};

/** Start tracing as `config` says, with the packages `importPackage` finds. */
export async function startTelemetry(
  config: TelemetryConfig,
  importPackage: PackageImporter,
  version: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Telemetry> {
  const api = (await importPackage('@opentelemetry/api')) as unknown as Api;
  const core = (await importPackage('@opentelemetry/core')) as unknown as Core;
  const resources = (await importPackage('@opentelemetry/resources')) as unknown as Resources;
  const sdk = (await importPackage('@opentelemetry/sdk-trace')) as unknown as SdkTrace;
  const otlp = (await importPackage('@opentelemetry/exporter-trace-otlp-http')) as unknown as Exporter;

  const exporter = new otlp.OTLPTraceExporter({
    ...(config.endpoint === undefined ? {} : { url: config.endpoint }),
    ...(config.headers === undefined ? {} : { headers: config.headers }),
  });
  const provider = new sdk.TracerProvider({
    resource: resources.resourceFromAttributes({
      'service.name': config.serviceName ?? (env.OTEL_SERVICE_NAME || 'mcp-packs'),
      'service.version': version,
    }),
    spanProcessors: [
      new sdk.BatchSpanProcessor({
        exporter,
        scheduledDelayMillis: config.exportDelayMs ?? DEFAULT_EXPORT_DELAY_MS,
      }),
    ],
  });
  const tracer = provider.getTracer('@mcp-packs/server', version);
  const propagator = new core.W3CTraceContextPropagator();
  const { SpanKind, SpanStatusCode, ROOT_CONTEXT } = api;

  const observer: CallObserver = {
    toolCall(start) {
      const parent = start.meta ? propagator.extract(ROOT_CONTEXT, start.meta, metaGetter) : ROOT_CONTEXT;
      const span = tracer.startSpan(
        `tools/call ${start.name}`,
        {
          kind: SpanKind.SERVER,
          attributes: {
            'mcp.method.name': 'tools/call',
            'gen_ai.operation.name': 'execute_tool',
            'gen_ai.tool.name': start.name,
            'mcp_packs.pack': start.pack,
            'mcp_packs.tool': start.tool,
            ...(start.sessionId === undefined ? {} : { 'mcp.session.id': start.sessionId }),
          },
        },
        parent,
      );
      return (end) => {
        span.setAttribute('mcp_packs.outcome', end.outcome);
        if (end.outcome === 'error') {
          const type = end.errorCode ?? 'tool_error';
          span.setAttribute('error.type', type);
          span.setStatus({ code: SpanStatusCode.ERROR, message: type });
        }
        span.end();
      };
    },
  };
  return { observer, shutdown: () => provider.shutdown() };
}
