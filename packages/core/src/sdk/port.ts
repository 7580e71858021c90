/**
 * The contract between core and an SDK adapter (v1.ts for `@modelcontextprotocol/sdk`, v2.ts for
 * `@modelcontextprotocol/server`). No SDK import here: core's call handling (calls.ts) is written against these
 * types, and each adapter turns its SDK's request context into a {@link RequestPort} and core's outcomes into its
 * SDK's results and errors.
 */
import type { ClientRoot } from '../call.js';
import type { InputPort } from '../input.js';
import type { LogLevel } from '../log.js';
import type { MountPlan } from '../plan.js';
import type { ListedResource } from '../resource.js';
import type { PromptResultWire, ReadResultWire, ToolResultWire } from '../results.js';

/** What a request handler can do with the request it serves, whatever the SDK and protocol era. */
export interface RequestPort {
  /** Aborted when the client cancels the request (or closes its stream), or the connection closes. */
  readonly signal: AbortSignal;
  /** The transport session, when there is one (2025-era Streamable HTTP). */
  readonly sessionId: string | undefined;
  /** The request's `_meta`, when it has one (trace context travels there: `traceparent`, `tracestate`). */
  readonly meta: Readonly<Record<string, unknown>> | undefined;
  /** The request's progress token, when the client asked for progress. */
  readonly progressToken: string | number | undefined;
  /** Send a notification related to this request (progress). Rejects when it cannot be sent. */
  notify(method: string, params: Record<string, unknown>): Promise<void>;
  /**
   * Send a log message to the client when it asked for this level: `logging/setLevel` in the 2025 era, the
   * request's `logLevel` in the 2026 era (absent: nothing is sent). Never throws.
   */
  log(level: LogLevel, logger: string, data: unknown): void;
  /** The roots the client shares, or undefined when it shares none (or the era has no way to ask). */
  roots(): Promise<readonly ClientRoot[] | undefined>;
  /** How questions to the user travel on this request. */
  input(): InputPort;
}

/** How a tool call ended: a result, or a question for the user (replay; see input.ts). */
export type ToolOutcome =
  | { kind: 'result'; result: ToolResultWire }
  | { kind: 'input'; key: string; params: Record<string, unknown>; requestState: string };

/** A failure a resource read or prompt answers with: a JSON-RPC error (MCP has no `isError` for them). */
export class ProtocolFault extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ProtocolFault';
  }
}

/** JSON-RPC codes core answers with. */
export const FAULT = { invalidParams: -32602, internalError: -32603, resourceNotFound: -32002 } as const;

/** A completion callback as the SDKs call it. */
export type Completer = (value: string, context?: { arguments?: Record<string, string> }) => Promise<string[]>;

/**
 * What core hands an adapter to register one pack instance on one server: the plan, and a function per handler.
 * Every function is SDK-free; the adapter only translates.
 */
export interface Handlers {
  readonly plan: MountPlan;
  tool(index: number, args: unknown, port: RequestPort): Promise<ToolOutcome>;
  resource(index: number, url: URL, port: RequestPort): Promise<ReadResultWire>;
  template(
    index: number,
    url: URL,
    variables: Record<string, string | string[]>,
    port: RequestPort,
  ): Promise<ReadResultWire>;
  listTemplate(index: number, port: RequestPort): Promise<{ resources: ListedResource[] }>;
  prompt(index: number, args: unknown, port: RequestPort): Promise<PromptResultWire>;
  /** A completion callback for a template variable or prompt argument (never throws; failures give no values). */
  completer(kind: 'template' | 'prompt', index: number, name: string): Completer | undefined;
}

/** One registration on a server, to undo on detach. */
export interface Registration {
  remove(): void;
}

/** An SDK adapter: registers handlers on its SDK's `McpServer`. */
export interface SdkAdapter {
  readonly sdk: 'v1' | 'v2';
  /** Register every tool, resource, template and prompt of `handlers.plan`; undoes its own work on failure. */
  register(server: object, handlers: Handlers): Registration[];
  /** A log entry from outside any request (setup, background work): to the server's client if it wants it. */
  broadcastLog(server: object, level: LogLevel, logger: string, data: unknown): void;
  /** Called once per server core attaches to (first attach): install per-server handlers (roots changes). */
  prepareServer(server: object): void;
  /** Run `listener` once the server closes (its transport ended, or `close()`), after whatever ran before. */
  onClose(server: object, listener: () => void): void;
}

/**
 * Run `listener` once, when `server` closes: its transport ended (the protocol's `onclose`, chained after whatever
 * was set before), or `close()` was called on a server that never connected (no transport, so no `onclose`; the
 * SDK's HTTP entry does that with instances it turns away before serving).
 */
export function whenClosed(
  server: { close(): Promise<void> },
  protocol: { onclose?: (() => void) | undefined },
  listener: () => void,
): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    listener();
  };
  const previous = protocol.onclose;
  protocol.onclose = () => {
    previous?.();
    once();
  };
  const close = server.close;
  server.close = async function (this: unknown) {
    try {
      await close.call(this);
    } finally {
      once();
    }
  };
}

/** `{ [key]: value }` when the value is set, else nothing: for spreading optional fields into SDK metadata. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The completers of a resource template's variables, by variable name (those the pack completes). */
export function templateCompleters(handlers: Handlers, index: number): Record<string, Completer> {
  const complete: Record<string, Completer> = {};
  for (const variable of Object.keys(handlers.plan.templates[index]?.template.complete ?? {})) {
    const completer = handlers.completer('template', index, variable);
    if (completer) complete[variable] = completer;
  }
  return complete;
}
