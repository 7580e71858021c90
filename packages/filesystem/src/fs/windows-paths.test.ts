import { describe, expect, it } from 'vitest';
import { windowsStyleProblem } from './windows-paths.js';

const refused = (input: string, platform: NodeJS.Platform) => windowsStyleProblem(input, platform) !== undefined;

describe('Windows-style paths', () => {
  it('UNC, device and extended-length paths are refused everywhere', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      for (const input of [
        '\\\\server\\share\\x',
        '//server/share',
        '//?/C:/x',
        '\\\\?\\C:\\x',
        '\\\\.\\pipe\\x',
        '//./COM1',
      ]) {
        expect(refused(input, platform), `${input} on ${platform}`).toBe(true);
      }
    }
    expect(windowsStyleProblem('//?/C:/', 'linux')?.message).toContain('device or extended-length');
    expect(windowsStyleProblem('//home/me', 'linux')?.hint).toContain('single "/"');
  });

  it('NTFS stream types are refused everywhere; a plain colon is a name on POSIX, a stream on Windows', () => {
    for (const platform of ['linux', 'win32'] as const) {
      expect(refused('file.txt::$DATA', platform)).toBe(true);
      expect(refused('dir/a.txt:zone:$DATA', platform)).toBe(true);
    }
    expect(refused('a:stream', 'linux')).toBe(false);
    expect(refused('logs/12:30.txt', 'darwin')).toBe(false);
    expect(windowsStyleProblem('file.txt:stream', 'win32')?.message).toContain('alternate data stream');
    // One letter and a colon is a drive on Windows: "a:stream" is relative to drive A's current directory.
    expect(windowsStyleProblem('a:stream', 'win32')?.message).toContain('current directory of drive');
    expect(refused('src\\a:b', 'win32')).toBe(true);
  });

  it('drive paths are refused on POSIX with a hint, and allowed on Windows when absolute', () => {
    for (const input of ['C:\\x', 'c:/x', 'C:', 'D:\\']) {
      expect(windowsStyleProblem(input, 'linux')?.hint, input).toContain('relative to a root');
    }
    expect(refused('C:\\Users\\me\\file.txt', 'win32')).toBe(false);
    expect(refused('c:/Users/me', 'win32')).toBe(false);
    // Drive-relative: relative to that drive's current directory.
    expect(windowsStyleProblem('C:x', 'win32')?.message).toContain('current directory of drive');
    expect(refused('c:x', 'linux')).toBe(false);
  });

  it('reserved device names are refused on Windows only, with or without an extension, in any part', () => {
    for (const input of ['CON', 'nul.txt', 'COM1', 'LPT9', 'dir\\aux\\x', 'conout$', 'Com¹.log']) {
      expect(windowsStyleProblem(input, 'win32')?.message, input).toContain('reserved device name');
      expect(refused(input.replaceAll('\\', '/'), 'linux'), input).toBe(false);
    }
    expect(refused('console.txt', 'win32')).toBe(false);
    expect(refused('COM10', 'win32')).toBe(false);
  });

  it('trailing dots and spaces are refused on Windows (it drops them), allowed on POSIX', () => {
    expect(windowsStyleProblem('a.txt.', 'win32')?.hint).toContain('"a.txt"');
    expect(refused('dir \\x', 'win32')).toBe(true);
    expect(refused('.. ', 'win32')).toBe(true);
    expect(refused('a.txt.', 'linux')).toBe(false);
    expect(refused('../x', 'win32')).toBe(false);
    expect(refused('a<b', 'win32')).toBe(true);
  });
});
