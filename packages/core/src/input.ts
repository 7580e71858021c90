/**
 * Input requests: a tool asks the user something mid-call (MCP elicitation, form mode) through `call.elicit()`,
 * the same way in both protocol eras. No SDK import: the adapters (sdk/) carry the question out and the answer back.
 *
 * Two ways to carry it, one API:
 * - **Push** (a v1 SDK server): the question goes out as a server-to-client `elicitation/create` request and
 *   `elicit()` resolves with the answer.
 * - **Replay** (a v2 SDK server, both eras): the 2026-07-28 protocol has no server-to-client requests. `elicit()`
 *   throws {@link InputNeeded}; the call ends with an `input_required` result carrying the question and a sealed
 *   `requestState`; the client asks the user and calls the tool again with the answer, and the tool runs again from
 *   the start, its `elicit()` now returning the answer. On a 2025-era connection the SDK plays the client's part
 *   (real `elicitation/create` requests), so handlers see the same thing in both eras.
 *
 * Replay keeps every answer of a call in the request state (sealed with HMAC-SHA256, bound to the tool, its
 * arguments and an expiry), each with a digest of the question it answered: an answer is used only for the very
 * same question, so when a tool asks something else on a later round (the file changed, so the diff did), the user
 * is asked again. Tampered, expired or foreign state is ignored, which means asking again: never trusting it.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import { ToolError } from './errors.js';
import { listedJsonSchema } from './json-schema.js';
import { isPlainObject } from './results.js';

/** What a tool asks the user: a message and, optionally, a form (a flat zod object of strings, numbers, booleans, enums). */
export interface ElicitRequest<T extends z.ZodObject = z.ZodObject> {
  /** What the user is asked, in full: what will happen if they accept. */
  message: string;
  /** The form's fields, each `.describe()`d. Omit for a plain accept/decline question. */
  schema?: T;
  /**
   * The question's name on the wire (its key in the 2026 era's `inputRequests`), `[A-Za-z0-9_.-]{1,64}`, unique
   * within the call. Default `q0`, `q1`, … in asking order.
   */
  key?: string;
}

/** What a question key may look like. */
const QUESTION_KEY = /^[A-Za-z0-9_.-]{1,64}$/;

/** The user's answer: accepted (with the form's content, checked against its schema), declined, or dismissed. */
export type ElicitResult<T = Record<string, never>> =
  | { action: 'accept'; content: T }
  | { action: 'decline' }
  | { action: 'cancel' };

/** An elicitation request's parameters on the wire (form mode). */
export interface ElicitParams {
  mode: 'form';
  message: string;
  requestedSchema: Record<string, unknown>;
}

/** An answer as it arrives from a client (unchecked). */
export interface RawAnswer {
  action: 'accept' | 'decline' | 'cancel';
  content?: Record<string, unknown>;
}

/** How an adapter carries questions for one call. */
export type InputPort =
  | { kind: 'none'; reason: string }
  | { kind: 'push'; ask(params: ElicitParams, signal: AbortSignal): Promise<RawAnswer> }
  | { kind: 'replay'; state: unknown; responses: Record<string, unknown> | undefined };

const INPUT_NEEDED = Symbol.for('mcp-packs.input-needed');

/**
 * Thrown by `call.elicit()` under replay when the answer is not known yet; the call then ends with an
 * `input_required` result. A tool that catches errors must let it pass (rethrow what it does not recognise).
 */
export class InputNeeded extends Error {
  readonly [INPUT_NEEDED] = true;
  constructor(
    /** The key of the question in `inputRequests`. */
    readonly key: string,
    readonly params: ElicitParams,
    /** The sealed request state to send with it. */
    readonly requestState: string,
  ) {
    super('The tool needs an answer from the user; the call ends with input_required.');
    this.name = 'InputNeeded';
  }
}

/** True for an {@link InputNeeded} from any copy of core. */
export function isInputNeeded(value: unknown): value is InputNeeded {
  return typeof value === 'object' && value !== null && (value as { [INPUT_NEEDED]?: unknown })[INPUT_NEEDED] === true;
}

/** Options of the input state: the key that seals it and how long an unanswered question stays valid. */
export interface InputStateOptions {
  /**
   * The secret that seals request state (HMAC-SHA256). Default: random per pack instance, so state is valid only in
   * the process that made it; give every replica the same key when a load balancer may send the answer elsewhere.
   */
  key?: string | Uint8Array;
  /** How long a question may wait for its answer. Default 15 minutes. */
  ttlMs?: number;
}

interface Answer {
  /** Digest of the question it answers. */
  d: string;
  a: RawAnswer;
}

interface StatePayload {
  v: 1;
  /** Tool name and arguments digest: the state is for this call only. */
  t: string;
  g: string;
  /** Expiry, ms since the epoch. */
  x: number;
  /** Answers so far, by question index. */
  n: Answer[];
  /** The question now asked: its index, digest and key. */
  q: { i: number; d: string; k: string };
}

/** The sealers of the pack instances alive in this process, for {@link verifyInputState}. */
const liveSealers = new Set<InputSealer>();

/**
 * The SDK v2 server's `requestState.verify` hook: refuse, before any handler runs, request state a client sends
 * back that no pack instance of this process sealed, or that has expired (the 2026-07-28 spec requires rejecting
 * tampered state: SEP-2322; the SDK then answers `-32602` "Invalid or expired requestState"). Pass it when you
 * create an `McpServer`: `new McpServer(info, { requestState: { verify: verifyInputState } })`. Resolves nothing,
 * so handlers still read the wire string (core checks what the state is for: tool, arguments, question).
 */
export function verifyInputState(state: string): undefined {
  for (const sealer of liveSealers) if (sealer.authentic(state)) return undefined;
  throw new Error('request state not sealed by any pack instance of this process, or expired');
}

/** Seals and opens request state for one pack instance. */
export class InputSealer {
  readonly #given: string | Uint8Array | undefined;
  #made: Uint8Array | undefined;
  readonly #ttlMs: number;

  constructor(options: InputStateOptions = {}) {
    this.#given = options.key;
    this.#ttlMs = options.ttlMs ?? 15 * 60_000;
    liveSealers.add(this);
  }

  /** Stop vouching for state (the instance closed). */
  dispose(): void {
    liveSealers.delete(this);
  }

  /** Whether `state` carries this sealer's MAC and has not expired, whatever call it is for. */
  authentic(state: string): boolean {
    // A sealer that never sealed anything has no key yet, and vouches for nothing.
    if (this.#made === undefined && this.#given === undefined) return false;
    return this.#payload(state) !== undefined;
  }

  /** Made on first use: most instances never ask anything. */
  get #key(): Uint8Array {
    const given = this.#given;
    this.#made ??= given === undefined ? randomBytes(32) : typeof given === 'string' ? Buffer.from(given) : given;
    return this.#made;
  }

  seal(payload: Omit<StatePayload, 'v' | 'x'>): string {
    const body = Buffer.from(JSON.stringify({ v: 1, x: Date.now() + this.#ttlMs, ...payload })).toString('base64url');
    return `${body}.${this.#mac(body)}`;
  }

  /** The payload of `state`, if it is ours, intact, for this tool and these arguments, and not expired. */
  open(state: unknown, tool: string, argsDigest: string): StatePayload | undefined {
    if (typeof state !== 'string') return undefined;
    const payload = this.#payload(state);
    if (payload === undefined || payload.t !== tool || payload.g !== argsDigest) return undefined;
    return payload;
  }

  #payload(state: string): StatePayload | undefined {
    const dot = state.indexOf('.');
    if (dot <= 0) return undefined;
    const body = state.slice(0, dot);
    const mac = Buffer.from(state.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.#mac(body), 'base64url');
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return undefined;
    let payload: StatePayload;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as StatePayload;
    } catch {
      return undefined;
    }
    if (payload.v !== 1 || !(payload.x > Date.now())) return undefined;
    return payload;
  }

  #mac(body: string): string {
    return createHmac('sha256', this.#key).update(body).digest('base64url');
  }
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 22);
}

function rawAnswer(value: unknown): RawAnswer | undefined {
  if (!isPlainObject(value)) return undefined;
  const { action, content } = value;
  if (action !== 'accept' && action !== 'decline' && action !== 'cancel') return undefined;
  return action === 'accept' && isPlainObject(content) ? { action, content } : { action };
}

const EMPTY_FORM = { type: 'object', properties: {} } as const;

/** The JSON Schema of a form, checked to be what elicitation allows: a flat object of primitive fields. */
function formSchema(schema: z.ZodObject | undefined): Record<string, unknown> {
  if (!schema) return { ...EMPTY_FORM };
  const listed = listedJsonSchema(schema, 'input');
  if ('error' in listed) throw new TypeError(`call.elicit: the form schema cannot be listed (${listed.error}).`);
  const json = listed.schema;
  const properties = isPlainObject(json.properties) ? json.properties : {};
  for (const [field, property] of Object.entries(properties)) {
    const type = isPlainObject(property) ? property.type : undefined;
    if (type !== 'string' && type !== 'number' && type !== 'integer' && type !== 'boolean' && type !== 'array') {
      throw new TypeError(
        `call.elicit: form field "${field}" must be a string, number, integer, boolean or enum array (elicitation forms are flat).`,
      );
    }
  }
  const { additionalProperties: _extra, ...form } = json;
  return form;
}

/**
 * One call's questions: asks through the port, replays answers under replay. `elicit` is what `call.elicit` does.
 */
export class CallInput {
  readonly #port: InputPort;
  readonly #sealer: InputSealer;
  readonly #tool: string;
  readonly #argsDigest: string;
  #asked = 0;
  #answers: Answer[] | undefined;

  constructor(port: InputPort, sealer: InputSealer, tool: string, args: unknown) {
    this.#port = port;
    this.#sealer = sealer;
    this.#tool = tool;
    this.#argsDigest = port.kind === 'replay' ? digest(args) : '';
  }

  async elicit<T extends z.ZodObject>(
    request: ElicitRequest<T>,
    signal: AbortSignal,
  ): Promise<ElicitResult<z.output<T>>> {
    const port = this.#port;
    if (port.kind === 'none') {
      throw new ToolError(`This needs the user's answer, and ${port.reason}.`, {
        code: 'input_unavailable',
        hint: 'Tell the user what you meant to do and ask them to confirm in the chat, or to use a client that supports elicitation.',
      });
    }
    const params: ElicitParams = {
      mode: 'form',
      message: request.message,
      requestedSchema: formSchema(request.schema),
    };
    const index = this.#asked++;
    const key = request.key ?? `q${index}`;
    if (!QUESTION_KEY.test(key)) {
      throw new TypeError(`call.elicit: key ${JSON.stringify(key)} must match ${QUESTION_KEY}.`);
    }
    let answer: RawAnswer | undefined;
    if (port.kind === 'push') {
      answer = rawAnswer(await port.ask(params, signal));
    } else {
      const answers = this.#replayAnswers(port);
      const question = digest(params);
      const known = answers[index];
      if (known?.d === question) answer = known.a;
      else {
        throw new InputNeeded(
          key,
          params,
          this.#sealer.seal({
            t: this.#tool,
            g: this.#argsDigest,
            n: answers.slice(0, index),
            q: { i: index, d: question, k: key },
          }),
        );
      }
    }
    if (!answer || answer.action === 'cancel') return { action: 'cancel' };
    if (answer.action === 'decline') return { action: 'decline' };
    if (!request.schema) return { action: 'accept', content: {} as z.output<T> };
    const parsed = request.schema.safeParse(answer.content ?? {});
    if (!parsed.success) {
      throw new ToolError('The answer the user gave does not fit the form that was asked.', {
        code: 'invalid_answer',
        hint: 'Call the tool again to ask once more.',
      });
    }
    return { action: 'accept', content: parsed.data };
  }

  /** The answers of earlier rounds, plus this round's answer to the question last asked. */
  #replayAnswers(port: Extract<InputPort, { kind: 'replay' }>): Answer[] {
    if (this.#answers) return this.#answers;
    const state = this.#sealer.open(port.state, this.#tool, this.#argsDigest);
    const answers = state ? [...state.n] : [];
    if (state) {
      const answer = rawAnswer(port.responses?.[state.q.k]);
      if (answer) answers[state.q.i] = { d: state.q.d, a: answer };
    }
    this.#answers = answers;
    return answers;
  }
}
