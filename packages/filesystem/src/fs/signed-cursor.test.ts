import { describe, expect, it } from 'vitest';
import { isFsError } from './errors.js';
import { bindingOf, CursorSeal } from './signed-cursor.js';

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return isFsError(error) ? error.code : 'not an FsError';
  }
  return undefined;
}

describe('CursorSeal', () => {
  const binding = bindingOf(['*.ts', null]);

  it('opens what it sealed, for the same kind and arguments', () => {
    const seal = new CursorSeal();
    const cursor = seal.seal('search_files', binding, { s: 1, a: 'src/x.ts' });
    expect(seal.open('search_files', binding, cursor)).toEqual({ s: 1, a: 'src/x.ts' });
  });

  it('refuses a changed cursor, other arguments, another tool, another key, and garbage', () => {
    const seal = new CursorSeal();
    const cursor = seal.seal('search_files', binding, { s: 0, a: 'a' });
    const [payload, mac] = cursor.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ t: Date.now(), p: { s: 0, a: '../../etc' } })).toString('base64url');
    const flip = (text: string) => `${text.slice(0, -1)}${text.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [
      `${forged}.${mac}`,
      `${flip(payload)}.${mac}`,
      `${payload}.${flip(mac)}`,
      payload,
      '',
      '!!',
      '.',
    ]) {
      expect(codeOf(() => seal.open('search_files', binding, bad))).toBe('invalid_cursor');
    }
    expect(codeOf(() => seal.open('search_files', bindingOf(['*.js', null]), cursor))).toBe('invalid_cursor');
    expect(codeOf(() => seal.open('search_content', binding, cursor))).toBe('invalid_cursor');
    expect(codeOf(() => new CursorSeal().open('search_files', binding, cursor))).toBe('invalid_cursor');
  });

  it('refuses a cursor older than its time to live, telling to start again', () => {
    let now = 1_000_000;
    const seal = new CursorSeal({ ttlMs: 60_000, now: () => now });
    const cursor = seal.seal('search_files', binding, { s: 0 });
    now += 59_000;
    expect(seal.open('search_files', binding, cursor)).toEqual({ s: 0 });
    now += 2000;
    let message = '';
    try {
      seal.open('search_files', binding, cursor);
    } catch (error) {
      expect(isFsError(error) && error.code).toBe('expired_cursor');
      message = isFsError(error) ? `${error.message} ${error.hint}` : '';
    }
    expect(message).toMatch(/start again/i);
  });
});
