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
    // Any one character changed, the last included (whose spare bits base64url decoding would ignore).
    const flip = (text: string, at: number) =>
      `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
    const bad = [`${forged}.${mac}`, payload, '', '!!', '.', `${payload}.${mac}x`];
    for (const at of [0, 5, payload.length - 1]) bad.push(`${flip(payload, at)}.${mac}`);
    for (const at of [0, 9, mac.length - 1]) bad.push(`${payload}.${flip(mac, at)}`);
    // The same MAC bytes spelled otherwise: a spare bit of its last character set.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = `${mac.slice(0, -1)}${alphabet[alphabet.indexOf(mac.at(-1) as string) | 1]}`;
    expect(Buffer.from(respelled, 'base64url')).toEqual(Buffer.from(mac, 'base64url'));
    bad.push(`${payload}.${respelled}`);
    for (const candidate of bad) {
      expect(codeOf(() => seal.open('search_files', binding, candidate))).toBe('invalid_cursor');
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
