/**
 * Serving requests, whatever the SDK: the context every handler receives ({@link Context}) and the handlers an
 * adapter registers ({@link createHandlers}): check the input, run the pack's code, turn what it returned or threw
 * into MCP results and errors. No SDK import: adapters (sdk/) translate between their SDK and {@link RequestPort}.
 */
import type { z } from 'zod';
import type { ClientRoot, ToolCall } from './call.js';
import { isToolError, type ToolError } from './errors.js';
import { CallInput, type ElicitRequest, type ElicitResult, type InputSealer, isInputNeeded } from './input.js';
import type { Logger, LogLevel, LogSink } from './log.js';
import { mountedUri } from './naming.js';
import { type CallObserver, callEnd, type ToolCallEnd } from './observe.js';
import type { MountPlan } from './plan.js';
import type { CompleteVariable } from './resource.js';
import {
  cancelledResult,
  errorId,
  internalErrorResult,
  invalidInputResult,
  promptResult,
  readResult,
  toolErrorResult,
  toolResult,
} from './results.js';
import { type Completer, FAULT, type Handlers, ProtocolFault, type RequestPort, type ToolOutcome } from './sdk/port.js';
import { toolSchema } from './tool.js';

/** What an instance shares with every request it serves. */
export interface ServingState {
  readonly plan: MountPlan;
  readonly sink: LogSink;
  readonly controller: AbortController;
  readonly sealer: InputSealer;
  /** Requests running now; `close()` waits for them (bounded) after aborting. A counter: this is the hot path. */
  active: number;
  /** Set by `close()` while it waits for `active` to reach zero. */
  onIdle: (() => void) | undefined;
  services: unknown;
  /** The host's watcher of tool calls, if it has one. */
  readonly observer?: CallObserver | undefined;
}

const LEVEL_METHODS = ['debug', 'info', 'notice', 'warning', 'error'] as const;

/** A {@link Logger} over one write function. */
export function createLogger(write: (level: LogLevel, message: string, data: unknown) => void): Logger {
  const logger = {} as Logger;
  for (const level of LEVEL_METHODS) logger[level] = (message, data) => write(level, message, data);
  return logger;
}

/** What a log entry looks like to a client: the message, with its data when there is some. */
export function clientLogData(message: string, data: unknown): unknown {
  return data === undefined ? message : { message, data };
}

/** The context of one request: services, a lazily combined abort signal, a logger tied to the request. */
class Context implements ToolCall<unknown> {
  readonly #state: ServingState;
  readonly #port: RequestPort;
  readonly #args: unknown;
  #signal: AbortSignal | undefined;
  #log: Logger | undefined;
  #input: CallInput | undefined;
  #lastProgress = Number.NEGATIVE_INFINITY;
  #progressChain: Promise<void> = Promise.resolve();
  #finished = false;
  readonly toolName: string;

  constructor(state: ServingState, port: RequestPort, toolName: string, args?: unknown) {
    this.#state = state;
    this.#port = port;
    this.#args = args;
    this.toolName = toolName;
  }

  get services(): unknown {
    return this.#state.services;
  }

  get sessionId(): string | undefined {
    return this.#port.sessionId;
  }

  get signal(): AbortSignal {
    this.#signal ??= AbortSignal.any([this.#port.signal, this.#state.controller.signal]);
    return this.#signal;
  }

  get log(): Logger {
    this.#log ??= createLogger((level, message, data) => {
      const source = this.#state.plan.source;
      this.#state.sink({ level, source, message, data });
      if (!this.#finished) this.#port.log(level, source, clientLogData(message, data));
    });
    return this.#log;
  }

  // progress, roots, elicit and resourceUri are getters returning bound functions, so `const { progress } = call`
  // works; built on first use, as most calls never touch them.
  #progressFn: ToolCall['progress'] | undefined;
  #rootsFn: ToolCall['roots'] | undefined;
  #elicitFn: ToolCall['elicit'] | undefined;
  #resourceUriFn: ToolCall['resourceUri'] | undefined;

  get progress(): ToolCall['progress'] {
    this.#progressFn ??= (done, total, message) => this.#progress(done, total, message);
    return this.#progressFn;
  }

  get roots(): ToolCall['roots'] {
    this.#rootsFn ??= () => this.#port.roots();
    return this.#rootsFn;
  }

  get elicit(): ToolCall['elicit'] {
    this.#elicitFn ??= <T extends z.ZodObject>(request: ElicitRequest<T>): Promise<ElicitResult<z.output<T>>> => {
      this.#input ??= new CallInput(this.#port.input(), this.#state.sealer, this.toolName, this.#args);
      return this.#input.elicit(request, this.signal);
    };
    return this.#elicitFn;
  }

  get resourceUri(): ToolCall['resourceUri'] {
    this.#resourceUriFn ??= (uri) => mountedUri(uri, this.#state.plan.prefix);
    return this.#resourceUriFn;
  }

  #progress(done: number, total?: number, message?: string): Promise<void> {
    const token = this.#port.progressToken;
    if (token === undefined || this.#finished || !(done > this.#lastProgress)) return this.#progressChain;
    this.#lastProgress = done;
    const params = {
      progressToken: token,
      progress: done,
      ...(total === undefined ? {} : { total }),
      ...(message === undefined ? {} : { message }),
    };
    this.#progressChain = this.#progressChain.then(() =>
      this.#port.notify('notifications/progress', params).catch(() => {}),
    );
    return this.#progressChain;
  }

  finish(): void {
    this.#finished = true;
  }
}

/**
 * The `ToolError` a thrown error stands for: itself, or what the pack's error map makes of it; `undefined` leaves it
 * to the generic handling (an error map that throws is logged and counts as no answer).
 */
function asToolError(state: ServingState, error: unknown): ToolError | undefined {
  if (isToolError(error)) return error;
  const map = state.plan.pack.errors;
  if (map === undefined) return undefined;
  try {
    const mapped = map(error);
    return isToolError(mapped) ? mapped : undefined;
  } catch (mapError) {
    state.sink({ level: 'error', source: state.plan.source, message: "the pack's error map failed", error: mapError });
    return undefined;
  }
}

/** Resource and prompt failures are protocol errors (MCP has no `isError` for them). */
function fault(state: ServingState, what: string, thrown: unknown): ProtocolFault {
  const error = asToolError(state, thrown) ?? thrown;
  if (isToolError(error)) {
    const code = error.code === 'not_found' ? FAULT.resourceNotFound : FAULT.invalidParams;
    return new ProtocolFault(code, error.hint ? `${error.message} Hint: ${error.hint}` : error.message, {
      code: error.code,
    });
  }
  if (error instanceof ProtocolFault) return error;
  const id = errorId();
  state.sink({ level: 'error', source: state.plan.source, message: `${what} failed (error id ${id})`, error });
  return new ProtocolFault(FAULT.internalError, `${what} failed (error id ${id}); the details are in the server log.`);
}

function completeWith(state: ServingState, completer: CompleteVariable<unknown>): Completer {
  return async (value, context) => {
    try {
      return [...(await completer(value, { arguments: context?.arguments ?? {}, services: state.services }))].slice(
        0,
        100,
      );
    } catch (error) {
      state.sink({ level: 'error', source: state.plan.source, message: 'a completion failed', error });
      return [];
    }
  };
}

/** The handlers of one instance, for any number of servers and either SDK. */
export function createHandlers(state: ServingState): Handlers {
  const { plan } = state;
  const log = { sink: state.sink, source: plan.source };
  const track = async <T>(work: () => Promise<T>): Promise<T> => {
    state.active++;
    try {
      return await work();
    } finally {
      if (--state.active === 0) state.onIdle?.();
    }
  };
  /** Run `work` with a fresh context, finished afterwards (no logs or progress after the answer). */
  const withContext = <T>(port: RequestPort, name: string, work: (context: Context) => Promise<T>): Promise<T> =>
    track(async () => {
      const context = new Context(state, port, name);
      try {
        return await work(context);
      } finally {
        context.finish();
      }
    });

  /** Check a tool call's arguments, run it, and shape what it returned or threw. */
  const runTool = async (index: number, args: unknown, port: RequestPort): Promise<ToolOutcome> => {
    const { name, tool } = plan.tools[index] as MountPlan['tools'][number];
    // The SDK is handed a schema that accepts anything (json-schema.ts): the arguments are checked here, once,
    // against the tool's own schema, which a lazy one is built for on the first call.
    const parsed = await toolSchema(tool.inputSchema).safeParseAsync(args ?? {});
    if (!parsed.success) return { kind: 'result', result: invalidInputResult(name, parsed.error) };
    const input = parsed.data;
    return track(async () => {
      const context = new Context(state, port, name, args ?? {});
      try {
        return { kind: 'result', result: toolResult(log, tool, name, input, await tool.execute(input, context)) };
      } catch (error) {
        if (isInputNeeded(error)) {
          return { kind: 'input', key: error.key, params: { ...error.params }, requestState: error.requestState };
        }
        const toolError = asToolError(state, error);
        if (toolError) return { kind: 'result', result: toolErrorResult(toolError) };
        if (context.signal.aborted) return { kind: 'result', result: cancelledResult(name) };
        return { kind: 'result', result: internalErrorResult(log, name, 'it hit an unexpected error', error) };
      } finally {
        context.finish();
      }
    });
  };

  return {
    plan,
    async tool(index, args, port) {
      const observer = state.observer;
      if (observer === undefined) return runTool(index, args, port);
      const { key, name } = plan.tools[index] as MountPlan['tools'][number];
      let end: ((result: ToolCallEnd) => void) | undefined;
      try {
        end = observer.toolCall({ pack: plan.pack.name, tool: key, name, meta: port.meta, sessionId: port.sessionId });
      } catch (error) {
        state.sink({ level: 'warning', source: plan.source, message: 'the call observer failed', error });
      }
      const finish = (result: ToolCallEnd) => {
        try {
          end?.(result);
        } catch (error) {
          state.sink({ level: 'warning', source: plan.source, message: 'the call observer failed', error });
        }
      };
      let outcome: ToolOutcome;
      try {
        outcome = await runTool(index, args, port);
      } catch (error) {
        finish({ outcome: 'error', errorCode: 'internal_error' });
        throw error;
      }
      finish(callEnd(outcome.kind === 'result' ? outcome.result : undefined));
      return outcome;
    },
    resource(index, url, port) {
      const { name, resource } = plan.resources[index] as MountPlan['resources'][number];
      return withContext(port, name, async (context) => {
        try {
          return readResult(await resource.read(url, context), url.href, resource.mimeType);
        } catch (error) {
          throw fault(state, `reading ${url.href}`, error);
        }
      });
    },
    template(index, url, variables, port) {
      const { name, template } = plan.templates[index] as MountPlan['templates'][number];
      const values: Record<string, string> = {};
      for (const [key, value] of Object.entries(variables))
        values[key] = Array.isArray(value) ? value.join(',') : value;
      return withContext(port, name, async (context) => {
        try {
          return readResult(await template.read(url, values, context), url.href, template.mimeType);
        } catch (error) {
          throw fault(state, `reading ${url.href}`, error);
        }
      });
    },
    listTemplate(index, port) {
      const { name, uriTemplate, template } = plan.templates[index] as MountPlan['templates'][number];
      return withContext(port, name, async (context) => {
        try {
          return { resources: [...((await template.list?.(context)) ?? [])] };
        } catch (error) {
          throw fault(state, `listing ${uriTemplate}`, error);
        }
      });
    },
    prompt(index, args, port) {
      const { name, prompt } = plan.prompts[index] as MountPlan['prompts'][number];
      return withContext(port, name, async (context) => {
        try {
          return promptResult(await prompt.get((args ?? {}) as never, context));
        } catch (error) {
          throw fault(state, `prompt ${name}`, error);
        }
      });
    },
    completer(kind, index, name) {
      const completers =
        kind === 'template'
          ? (plan.templates[index] as MountPlan['templates'][number]).template.complete
          : (plan.prompts[index] as MountPlan['prompts'][number]).prompt.complete;
      const completer = completers?.[name];
      return completer ? completeWith(state, completer as CompleteVariable<unknown>) : undefined;
    },
  };
}

export type { ClientRoot };
