/**
 * OpenTelemetry (`telemetry` in the config) through the built CLI over stdio, in both protocol eras: each tool call
 * is one span, exported over OTLP/HTTP to a real receiver in this test (a plain HTTP server on 127.0.0.1 that
 * records what it is sent), joined to the caller's trace by `_meta.traceparent`, and never carrying argument values.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStdio, LOCAL_PACK, PROTOCOLS, runCli, tempDir, writeConfig } from './helpers.ts';

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes: { key: string; value: OtlpValue }[];
  status?: { code?: number; message?: string };
}
interface OtlpExport {
  resourceSpans: {
    resource: { attributes: { key: string; value: OtlpValue }[] };
    scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[];
  }[];
}

/** An OTLP/HTTP traces receiver: every export's raw body and its parsed spans. */
class Receiver {
  readonly bodies: string[] = [];
  readonly exports: OtlpExport[] = [];
  readonly contentTypes: string[] = [];
  #server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    const server = createServer(async (request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      if (request.method === 'POST' && request.url === '/v1/traces') {
        this.bodies.push(body);
        this.contentTypes.push(String(request.headers['content-type']));
        this.exports.push(JSON.parse(body) as OtlpExport);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else {
        response.writeHead(404).end();
      }
    });
    this.#server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
  }

  spans(): (OtlpSpan & { service: string | undefined; attrs: Record<string, unknown> })[] {
    return this.exports.flatMap((batch) =>
      batch.resourceSpans.flatMap((resource) => {
        const service = resource.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue;
        return resource.scopeSpans.flatMap((scope) =>
          scope.spans.map((span) => ({
            ...span,
            service,
            attrs: Object.fromEntries(
              span.attributes.map((a) => [a.key, a.value.stringValue ?? a.value.intValue ?? a.value.boolValue]),
            ),
          })),
        );
      }),
    );
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }
}

const dir = tempDir();
const receiver = new Receiver();
beforeAll(() => receiver.start());
afterAll(async () => {
  await receiver.close();
  dir.cleanup();
});

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

describe.each(PROTOCOLS)('telemetry (%s)', (protocol) => {
  it('exports one span per tool call, child of the caller trace, with outcome and no argument values', async () => {
    const service = `telemetry-test-${protocol}`;
    const file = writeConfig(
      dir.path,
      {
        telemetry: { endpoint: receiver.url, serviceName: service, exportDelayMs: 50 },
        packs: [{ use: LOCAL_PACK, prefix: 'fx' }],
      },
      `telemetry-${protocol}.json`,
    );
    const { client } = await connectStdio(['--config', file], { protocol });
    try {
      await client.callTool({
        name: 'fx_echo',
        arguments: { text: 'secret-argument-value' },
        _meta: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01`, tracestate: 'vendor=abc' },
      });
      const bad = await client.callTool({ name: 'fx_echo', arguments: { text: 42 } });
      expect(bad.isError).toBe(true);
      // A malformed traceparent is ignored: the span starts a trace of its own.
      await client.callTool({ name: 'fx_echo', arguments: { text: 'x' }, _meta: { traceparent: 'garbage' } });

      await expect
        .poll(() => receiver.spans().filter((s) => s.service === service).length, { timeout: 10_000 })
        .toBe(3);
    } finally {
      await client.close();
    }
    const spans = receiver.spans().filter((s) => s.service === service);
    const [ok, invalid, orphan] = spans.sort((a, b) => Number(a.startTimeUnixNano) - Number(b.startTimeUnixNano));
    expect(ok).toMatchObject({
      name: 'tools/call fx_echo',
      kind: 2, // SERVER
      traceId: TRACE_ID,
      parentSpanId: PARENT_ID,
      attrs: {
        'mcp.method.name': 'tools/call',
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'fx_echo',
        'mcp_packs.pack': 'fixture',
        'mcp_packs.tool': 'echo',
        'mcp_packs.outcome': 'ok',
      },
    });
    expect(ok?.status?.code ?? 0).not.toBe(2);
    expect(BigInt(ok?.endTimeUnixNano ?? 0)).toBeGreaterThan(BigInt(ok?.startTimeUnixNano ?? 0));
    expect(invalid).toMatchObject({
      attrs: { 'mcp_packs.outcome': 'error', 'error.type': 'invalid_input' },
      status: { code: 2, message: 'invalid_input' },
    });
    expect(invalid?.traceId).not.toBe(TRACE_ID);
    expect(orphan?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(orphan?.traceId).not.toBe(TRACE_ID);
    expect(orphan?.parentSpanId ?? '').toBe('');
    expect(receiver.bodies.join('')).not.toContain('secret-argument-value');
  });
});

describe('telemetry config', () => {
  it('is checked like every other section: an unknown key names the key meant', async () => {
    const file = writeConfig(
      dir.path,
      { telemetry: { endpont: 'http://127.0.0.1:4318/v1/traces' }, packs: [{ use: LOCAL_PACK }] },
      'telemetry-typo.json',
    );
    const result = await runCli(['check', '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('telemetry');
    expect(result.stderr).toContain('endpoint');
  });

  it('refuses an endpoint that is not an http(s) URL', async () => {
    const file = writeConfig(
      dir.path,
      { telemetry: { endpoint: 'ftp://collector/v1/traces' }, packs: [{ use: LOCAL_PACK }] },
      'telemetry-url.json',
    );
    const result = await runCli(['check', '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('telemetry.endpoint');
  });
});
