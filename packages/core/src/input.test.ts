import { describe, expect, it } from 'vitest';
import { askPack } from './fixtures/ask.js';
import { InputSealer } from './input.js';
import { connectPack, errorCode, resultText, structured, TEST_PROTOCOLS } from './testing/index.js';

describe.each(TEST_PROTOCOLS)('call.elicit (%s)', (protocol) => {
  it('asks each question once, in order, and acts once with the answers', async () => {
    await using conn = await connectPack(askPack(), {
      protocol,
      elicit: (request) =>
        request.message.startsWith('Why')
          ? { action: 'accept', content: { reason: 'obsolete' } }
          : { action: 'accept' },
    });
    const result = await conn.callTool('delete_thing', { name: 'old.txt' });
    expect(structured(result)).toEqual({ deleted: true, reason: 'obsolete' });
    expect(conn.elicitations.map((request) => request.message)).toEqual(['Delete old.txt?', 'Why delete old.txt?']);
    expect(conn.elicitations[1]?.requestedSchema).toMatchObject({
      type: 'object',
      properties: { reason: { type: 'string', description: 'Why it goes' } },
      required: ['reason'],
    });
    expect(conn.mounted.services.done).toEqual(['old.txt: obsolete']);
  });

  it('stops when the user declines, and passes a cancel through', async () => {
    await using declines = await connectPack(askPack(), { protocol, elicit: () => ({ action: 'decline' }) });
    expect(structured(await declines.callTool('delete_thing', { name: 'a' }))).toEqual({
      deleted: false,
      answer: 'decline',
    });
    await using cancels = await connectPack(askPack(), {
      protocol,
      elicit: (request) => (request.message.startsWith('Why') ? { action: 'cancel' } : { action: 'accept' }),
    });
    expect(structured(await cancels.callTool('delete_thing', { name: 'a' }))).toEqual({
      deleted: false,
      answer: 'cancel',
    });
    expect(cancels.mounted.services.done).toEqual([]);
  });

  it('refuses with input_unavailable when the client cannot ask, acting on nothing', async () => {
    await using conn = await connectPack(askPack(), { protocol });
    const result = await conn.callTool('delete_thing', { name: 'a' });
    expect(errorCode(result)).toBe('input_unavailable');
    expect(resultText(result)).toContain('cannot ask the user');
    expect(conn.mounted.services.done).toEqual([]);
  });

  it('refuses an answer that does not fit the form', async () => {
    await using conn = await connectPack(askPack(), {
      protocol,
      elicit: (request) =>
        request.message.startsWith('Why') ? { action: 'accept', content: { reason: 1 } } : { action: 'accept' },
    });
    const result = await conn.callTool('delete_thing', { name: 'a' });
    expect(errorCode(result)).toBe('invalid_answer');
    expect(conn.mounted.services.done).toEqual([]);
  });
});

describe('request state between rounds (2026 era)', () => {
  it('runs the tool again from the start each round, reusing earlier answers', async () => {
    await using conn = await connectPack(askPack(), {
      protocol: '2026-07-28',
      elicit: (request) =>
        request.message.startsWith('Why') ? { action: 'accept', content: { reason: 'done' } } : { action: 'accept' },
    });
    await conn.callTool('delete_thing', { name: 'x' });
    // Round 1 asks to confirm, round 2 asks why, round 3 acts.
    expect(conn.mounted.services.runs).toBe(3);
    expect(conn.elicitations).toHaveLength(2);
  });

  it('names questions on the wire by their key, and refuses request state that is not its own (2026-07-28)', async () => {
    await using conn = await connectPack(askPack(), { protocol: '2026-07-28', elicit: () => ({ action: 'accept' }) });
    const call = (extra: Record<string, unknown>) =>
      conn.client.request(
        {
          method: 'tools/call',
          params: { name: 'ask_delete_thing', arguments: { name: 'x' }, ...extra },
        } as never,
        { allowInputRequired: true } as never,
      );
    const first = (await call({})) as {
      resultType?: string;
      inputRequests?: Record<string, unknown>;
      requestState?: string;
    };
    expect(first.resultType).toBe('input_required');
    expect(Object.keys(first.inputRequests ?? {})).toEqual(['q0']);
    const second = (await call({
      requestState: first.requestState,
      inputResponses: { q0: { action: 'accept' } },
    })) as typeof first;
    expect(Object.keys(second.inputRequests ?? {})).toEqual(['reason']);
    const runs = conn.mounted.services.runs;
    // State changed by the client, or from nowhere: refused before the tool runs (SEP-2322).
    const [body, mac] = (second.requestState as string).split('.') as [string, string];
    const tampered = `${body.slice(0, -2)}AA.${mac}`;
    for (const requestState of [tampered, 'forged.state']) {
      await expect(
        conn.client.request({
          method: 'tools/call',
          params: { name: 'ask_delete_thing', arguments: { name: 'x' }, requestState, inputResponses: {} },
        } as never),
      ).rejects.toMatchObject({ code: -32602 });
    }
    expect(conn.mounted.services.runs).toBe(runs);
    // Genuine state, sent with other arguments: never trusted for them, so the user is asked again.
    const elsewhere = (await call({
      arguments: { name: 'y' },
      requestState: second.requestState,
      inputResponses: { reason: { action: 'accept', content: { reason: 'reused' } } },
    })) as typeof first;
    expect(Object.keys(elsewhere.inputRequests ?? {})).toEqual(['q0']);
    expect(conn.mounted.services.done).toEqual([]);
  });

  it('is sealed: tampered, expired, foreign or re-aimed state opens as nothing', () => {
    const sealer = new InputSealer({ key: 'k' });
    const sealed = sealer.seal({ t: 'tool', g: 'args', n: [], q: { i: 0, d: 'q', k: 'q0' } });
    expect(sealer.open(sealed, 'tool', 'args')).toMatchObject({ t: 'tool', q: { i: 0 } });
    const [body, mac] = sealed.split('.') as [string, string];
    const forged = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(body, 'base64url').toString()),
        n: [{ d: 'q', a: { action: 'accept' } }],
      }),
    ).toString('base64url');
    expect(sealer.open(`${forged}.${mac}`, 'tool', 'args')).toBeUndefined();
    expect(sealer.open(sealed, 'other_tool', 'args')).toBeUndefined();
    expect(sealer.open(sealed, 'tool', 'other-args')).toBeUndefined();
    expect(new InputSealer({ key: 'another key' }).open(sealed, 'tool', 'args')).toBeUndefined();
    expect(
      new InputSealer({ key: 'k', ttlMs: -1 }).open(
        new InputSealer({ key: 'k', ttlMs: -1 }).seal({ t: 'tool', g: 'args', n: [], q: { i: 0, d: 'q', k: 'q0' } }),
        'tool',
        'args',
      ),
    ).toBeUndefined();
    expect(sealer.open('not-state', 'tool', 'args')).toBeUndefined();
    expect(sealer.open(42, 'tool', 'args')).toBeUndefined();
  });
});
