/**
 * Windows-style inputs through the real tools: refused with `invalid_path` and a hint where they are ambiguous or
 * dangerous, accepted where they are ordinary names on this platform (see `fs/windows-paths.ts` for the rules).
 */
import { readdir } from 'node:fs/promises';
import { connectPack, errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TempDir, tempDir } from './fixtures/temp.js';
import { filesystemPack } from './pack.js';

let dir: TempDir;

beforeAll(async () => {
  dir = await tempDir('fs-inputs-');
  await dir.write({ 'root/plain.txt': 'plain\n' });
});

afterAll(async () => {
  await dir[Symbol.asyncDispose]();
});

const connect = () => connectPack(filesystemPack, { config: { roots: [dir.join('root')], writes: 'on' } });

describe('paths that are not valid Unicode', () => {
  it('refuses an unpaired surrogate, which two different inputs would turn into one name', async () => {
    await using conn = await connect();
    for (const input of ['\ud800x.txt', '\udbffx.txt', 'dir/\udc00']) {
      const result = await conn.callTool('write_file', { path: input, content: 'x' });
      expect(errorCode(result), input).toBe('invalid_path');
      expect(resultText(result)).toContain('surrogate');
    }
    expect(errorCode(await conn.callTool('read_text_file', { path: '\udc00x.txt' }))).toBe('invalid_path');
    expect(await readdir(dir.join('root'))).toEqual(['plain.txt']);
  });
});

describe.skipIf(process.platform === 'win32')('Windows-style inputs on POSIX', () => {
  it('drive, UNC, device and stream paths are refused with a hint, by every kind of tool', async () => {
    await using conn = await connect();
    const cases: [string, string][] = [
      ['C:\\Users\\me\\plain.txt', 'Windows drive path'],
      ['c:/plain.txt', 'Windows drive path'],
      ['\\\\server\\share\\plain.txt', 'network share'],
      ['//server/share/plain.txt', 'network share'],
      ['//?/C:/plain.txt', 'device or extended-length'],
      ['plain.txt::$DATA', 'alternate data stream'],
    ];
    for (const [input, says] of cases) {
      for (const [tool, args] of [
        ['read_text_file', { path: input }],
        ['get_file_info', { path: input }],
        ['list_directory', { path: input }],
        ['write_file', { path: input, content: 'x' }],
      ] as const) {
        const result = await conn.callTool(tool, args);
        expect(errorCode(result), `${tool} ${input}`).toBe('invalid_path');
        expect(resultText(result)).toContain(says);
        expect(resultText(result)).toContain('Hint:');
      }
    }
    expect(await readdir(dir.join('root'))).toEqual(['plain.txt']);
  });

  it('what is an ordinary name here is allowed: a colon, device names, trailing dots', async () => {
    await using conn = await connect();
    for (const name of ['a:b.txt', 'con.txt', 'NUL', 'LPT9.log', 'trailing.']) {
      expect(errorCode(await conn.callTool('write_file', { path: name, content: name })), name).toBeUndefined();
      expect(structured(await conn.callTool('read_text_file', { path: name })).content).toBe(name);
    }
    expect(structured(await conn.callTool('read_text_file', { path: 'plain.txt' })).content).toBe('plain\n');
  });
});
