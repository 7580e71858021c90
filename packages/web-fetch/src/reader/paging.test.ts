import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, takeWindow } from './paging.js';

describe('takeWindow', () => {
  it('cuts at a paragraph, then a line, then a word boundary near the end of the window', () => {
    const text = `${'a'.repeat(85)}\n\n${'b'.repeat(50)}`;
    expect(takeWindow(text, 0, 100)).toEqual({ text: `${'a'.repeat(85)}\n\n`, start: 0, end: 87, more: true });
    expect(takeWindow('word '.repeat(40), 0, 22).text).toBe('word word word word ');
    expect(takeWindow('x'.repeat(50), 0, 20)).toMatchObject({ end: 20, more: true });
    expect(takeWindow('short', 0, 100)).toEqual({ text: 'short', start: 0, end: 5, more: false });
    expect(takeWindow('short', 99, 100)).toEqual({ text: '', start: 5, end: 5, more: false });
  });

  it('never splits a surrogate pair', () => {
    const text = `${'x'.repeat(9)}😀${'y'.repeat(10)}`;
    const first = takeWindow(text, 0, 10);
    expect(first.text).toBe('x'.repeat(9));
    expect(takeWindow(text, first.end, 10).text.startsWith('😀')).toBe(true);
  });
});

describe('cursors', () => {
  it('round-trip and reject anything else', () => {
    const cursor = encodeCursor({ snapshot: 'abc', offset: 42, fingerprint: 'f1' });
    expect(decodeCursor(cursor)).toEqual({ snapshot: 'abc', offset: 42, fingerprint: 'f1' });
    expect(decodeCursor('garbage!')).toBeUndefined();
    expect(decodeCursor(Buffer.from('["a",-1,"f"]').toString('base64url'))).toBeUndefined();
    expect(decodeCursor(Buffer.from('{"a":1}').toString('base64url'))).toBeUndefined();
  });
});
