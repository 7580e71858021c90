/**
 * `writes: "ask"`: the user approves each change before a write tool makes it.
 *
 * A write tool works out its change first (the new content, the diff, what a directory holds), asks, and applies
 * it only after a yes. Nothing irreversible happens before the question: on a host that replays calls (the
 * 2026-07-28 protocol, and core's v2 adapter in both eras) the tool runs again from the start once the user has
 * answered, and the answer is reused only if the question is word for word the same, so a file that changed in
 * between gets a new question. On a host that waits for the answer inside the call (core's v1 adapter), the file
 * can change while the user reads; `stillCurrent` catches that after a yes, and the change is refused.
 */
import { isToolError, type ToolCall, ToolError } from '@mcp-packs/core';
import type { FilesystemServices } from '../services.js';

/** A change to put to the user. */
export interface ChangeToApprove {
  /** The change in a few words, for the errors: `edit "src/app.ts"`. */
  readonly what: string;
  /** The question in full: everything the user must see to decide (the diff, the target). */
  readonly message: string;
  /**
   * Checked after a yes: true when what the question showed still holds (the file has the hash it had, the
   * directory holds what it held), so what is applied is what was approved.
   */
  readonly stillCurrent: () => Promise<boolean>;
}

/** True when the server asks the user before each change: build the question only then. */
export function asksFirst(services: FilesystemServices): boolean {
  return services.writes === 'ask';
}

/**
 * In `ask` mode, put the change to the user and return only if they approve it; otherwise do nothing. Throws
 * `write_declined` (declined or dismissed), `approval_unavailable` (the client cannot ask) or
 * `changed_during_approval`; anything else `call.elicit` throws (such as the signal that the call now waits for
 * the answer) passes through untouched.
 */
export async function approveChange(
  call: ToolCall<FilesystemServices>,
  change: () => Promise<ChangeToApprove>,
): Promise<void> {
  if (!asksFirst(call.services)) return;
  const { what, message, stillCurrent } = await change();
  let answer: Awaited<ReturnType<typeof call.elicit>>;
  try {
    answer = await call.elicit({ message });
  } catch (error) {
    if (isToolError(error) && error.code === 'input_unavailable') {
      throw new ToolError(
        `Nothing was changed: this server is set to ask the user before every change to files (writes: "ask"), and this client cannot show such questions, so it cannot ${what}.`,
        {
          code: 'approval_unavailable',
          hint: 'Tell the user what you meant to change. They can make the change themselves, use a client that supports elicitation (questions from MCP servers), or set writes: "on" in the filesystem pack config.',
          cause: error,
        },
      );
    }
    throw error;
  }
  if (answer.action !== 'accept') {
    throw new ToolError(
      answer.action === 'decline'
        ? `The user declined to ${what}; nothing was changed.`
        : `The user dismissed the question whether to ${what}; nothing was changed.`,
      {
        code: 'write_declined',
        hint: 'Do not try this change again unless the user asks for it: ask them what they want instead.',
        details: { answer: answer.action },
      },
    );
  }
  if (!(await stillCurrent())) {
    throw new ToolError(
      `Nothing was changed: while the user was deciding whether to ${what}, the files involved changed, so the change they approved no longer matches them.`,
      {
        code: 'changed_during_approval',
        hint: 'Look at the current state again; if the change still makes sense, call the tool again and the user will be asked about the new change.',
      },
    );
  }
}
