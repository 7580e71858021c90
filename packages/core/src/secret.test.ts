import { describe, expect, it } from 'vitest';
import { InputSealer } from './input.js';
import { createKeyDeriver } from './secret.js';

const SECRET = 'one secret shared by every replica, 32+ bytes';

describe('createKeyDeriver', () => {
  it('derives one key per mount and purpose from the secret, the same in every process', () => {
    const a = createKeyDeriver(SECRET, 'filesystem:fs');
    const b = createKeyDeriver(SECRET, 'filesystem:fs');
    expect(a('search-cursor')).toHaveLength(32);
    expect(Buffer.from(a('search-cursor'))).toEqual(Buffer.from(b('search-cursor')));
    expect(Buffer.from(a('search-cursor'))).not.toEqual(Buffer.from(a('input-state')));
    expect(Buffer.from(a('search-cursor'))).not.toEqual(
      Buffer.from(createKeyDeriver(SECRET, 'filesystem:fs2')('search-cursor')),
    );
    expect(Buffer.from(a('x'))).not.toEqual(Buffer.from(createKeyDeriver(`${SECRET}!`, 'filesystem:fs')('x')));
  });

  it('without a secret, keys are random per deriver but stable for a purpose', () => {
    const a = createKeyDeriver(undefined, 'math:math');
    expect(a('p')).toBe(a('p'));
    expect(Buffer.from(a('p'))).not.toEqual(Buffer.from(createKeyDeriver(undefined, 'math:math')('p')));
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => createKeyDeriver('too short', 'x:y')).toThrow(/at least 32 bytes; it has 9/);
  });

  it('input state sealed with a derived key is authentic to another process deriving from the same secret', () => {
    const here = new InputSealer({ key: createKeyDeriver(SECRET, 'notes:notes')('input-state') });
    const there = new InputSealer({ key: createKeyDeriver(SECRET, 'notes:notes')('input-state') });
    const stranger = new InputSealer({ key: createKeyDeriver(undefined, 'notes:notes')('input-state') });
    try {
      const state = here.seal({ t: 'notes_delete', g: 'digest', n: [], q: { i: 0, d: 'q', k: 'q0' } });
      expect(there.authentic(state)).toBe(true);
      expect(there.open(state, 'notes_delete', 'digest')?.q.k).toBe('q0');
      expect(stranger.authentic(state)).toBe(false);
    } finally {
      for (const sealer of [here, there, stranger]) sealer.dispose();
    }
  });
});
