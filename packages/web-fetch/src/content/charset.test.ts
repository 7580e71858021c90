import { describe, expect, it } from 'vitest';
import { decodeBody } from './charset.js';

const cp1252 = (text: string): Buffer => Buffer.from(new Uint8Array([...text].map((char) => char.charCodeAt(0))));

describe('decodeBody', () => {
  it('uses the Content-Type charset, then the document declaration, then UTF-8', () => {
    expect(decodeBody(cp1252('caf\u00e9'), 'iso-8859-1', 'text')).toEqual({
      text: 'café',
      charset: 'windows-1252',
      note: undefined,
    });
    const meta = Buffer.concat([Buffer.from('<meta charset="windows-1252"><p>'), cp1252('\u00fcber')]);
    expect(decodeBody(meta, undefined, 'html')).toMatchObject({ charset: 'windows-1252', note: undefined });
    expect(decodeBody(Buffer.from('plain ✓'), undefined, 'text')).toMatchObject({ text: 'plain ✓', charset: 'utf-8' });
  });

  it('honours a byte order mark over everything', () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<p>größe</p>')]);
    expect(decodeBody(bom, 'iso-8859-1', 'html')).toMatchObject({ text: '<p>größe</p>', charset: 'utf-8' });
  });

  it('repairs a body declared UTF-8 that is not', () => {
    const result = decodeBody(cp1252('Gr\u00f6\u00dfe \u20ac'.replace('\u20ac', '\u0080')), 'utf-8', 'text');
    expect(result.text).toBe('Größe €');
    expect(result.charset).toBe('windows-1252');
    expect(result.note).toMatch(/declared UTF-8 but is not valid UTF-8/);
  });

  it('repairs a body declared as a legacy encoding that is really UTF-8', () => {
    const html = Buffer.from('<meta charset="iso-8859-1"><p>café – naïve</p>');
    const result = decodeBody(html, undefined, 'html');
    expect(result.text).toContain('café – naïve');
    expect(result.charset).toBe('utf-8');
    expect(result.note).toMatch(/declared windows-1252 but is valid UTF-8/);
  });

  it('ignores an unknown charset label and says so', () => {
    expect(decodeBody(Buffer.from('ok'), 'x-klingon', 'text')).toEqual({
      text: 'ok',
      charset: 'utf-8',
      note: 'the declared charset "x-klingon" is unknown; it was ignored',
    });
  });

  it('does not call a body cut mid-character wrong', () => {
    const cut = Buffer.from('naïve ✓').subarray(0, -1);
    const result = decodeBody(cut, 'utf-8', 'text');
    expect(result.charset).toBe('utf-8');
    expect(result.note).toBeUndefined();
  });
});
