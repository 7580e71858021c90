import { pathToFileURL } from 'node:url';
import { isConfigError } from '@mcp-packs/core';
import { connectPack, errorCode, resultText, structured } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { tempDir } from './fixtures/temp.js';
import { filesystemPack } from './pack.js';

interface Allowed {
  roots: { path: string; label: string; source: string; within?: string }[];
  mode: string;
  configuredRoots: string[];
  ignoredClientRoots: { uri: string; reason: string }[];
}

const uri = (p: string) => pathToFileURL(p).href;

describe('config', () => {
  it('a missing root is a config error naming its key path', async () => {
    await using dir = await tempDir();
    const attempt = connectPack(filesystemPack, { config: { roots: [dir.path, dir.join('missing')] } });
    await expect(attempt).rejects.toSatisfy(isConfigError);
    await expect(attempt).rejects.toMatchObject({
      issues: [{ path: 'packs[fs].config.roots[1]', message: expect.stringContaining('does not exist') }],
    });
  });

  it('roots are required, a file is not a root, and deletes need writes', async () => {
    await using dir = await tempDir();
    await dir.write({ 'f.txt': '' });
    await expect(connectPack(filesystemPack, { config: {} as never })).rejects.toSatisfy(isConfigError);
    await expect(connectPack(filesystemPack, { config: { roots: [dir.join('f.txt')] } })).rejects.toMatchObject({
      issues: [{ message: expect.stringContaining('not a directory') }],
    });
    await expect(
      connectPack(filesystemPack, { config: { roots: [dir.path], allowDelete: true } }),
    ).rejects.toMatchObject({ issues: [{ path: 'packs[fs].config.allowDelete' }] });
  });

  it('roots are realpath-ed and nested duplicates folded', async () => {
    await using dir = await tempDir();
    await dir.write({ 'a/b/f.txt': 'x' });
    await using conn = await connectPack(filesystemPack, {
      config: { roots: [dir.join('a/b/../b'), dir.join('a'), `${dir.path}/a/`] },
    });
    const allowed = structured<Allowed>(await conn.callTool('list_allowed_directories'));
    expect(allowed.roots).toEqual([{ path: dir.join('a'), label: 'a', source: 'config' }]);
  });
});

describe('several roots', () => {
  it('relative paths try each root; a root label picks one; results carry the label', async () => {
    await using dir = await tempDir();
    await dir.write({ 'one/a.txt': 'A1', 'two/a.txt': 'A2', 'two/only.txt': 'O' });
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.join('one'), dir.join('two')] } });
    expect(structured(await conn.callTool('read_text_file', { path: 'only.txt' }))).toMatchObject({
      path: 'two/only.txt',
      content: 'O',
    });
    expect(structured(await conn.callTool('read_text_file', { path: 'two/a.txt' })).content).toBe('A2');
    expect(structured(await conn.callTool('read_text_file', { path: 'a.txt' })).content).toBe('A1');
    const found = structured<{ matches: string[] }>(await conn.callTool('search_files', { pattern: 'a.txt' }));
    expect(found.matches).toEqual(['one/a.txt', 'two/a.txt']);
  });
});

// Client roots are asked for in the 2025 era only (deprecated in 2026-07-28, where a call sees none): these run there.
describe('client roots narrow, never widen', () => {
  it('a client root inside a configured root narrows access to it', async () => {
    await using dir = await tempDir();
    await dir.write({ 'data/project/in.txt': 'in', 'data/other.txt': 'other' });
    await using conn = await connectPack(filesystemPack, {
      config: { roots: [dir.join('data')] },
      protocol: '2025-11-25', // client roots are a 2025-era feature
      roots: [{ uri: uri(dir.join('data/project')), name: 'project' }],
    });
    const allowed = structured<Allowed>(await conn.callTool('list_allowed_directories'));
    expect(allowed).toMatchObject({
      mode: 'narrowed-by-client',
      roots: [{ path: dir.join('data/project'), source: 'client', within: dir.join('data') }],
      configuredRoots: [dir.join('data')],
    });
    expect(structured(await conn.callTool('read_text_file', { path: 'in.txt' })).content).toBe('in');
    const denied = await conn.callTool('read_text_file', { path: dir.join('data/other.txt') });
    expect(errorCode(denied)).toBe('access_denied');
    expect(resultText(denied)).toContain('narrowed by the client');
  });

  it('a client root outside is ignored; one that contains a configured root leaves it as configured', async () => {
    await using dir = await tempDir();
    await dir.write({ 'data/a.txt': 'a', 'elsewhere/b.txt': 'b' });
    await using conn = await connectPack(filesystemPack, {
      config: { roots: [dir.join('data')] },
      protocol: '2025-11-25', // client roots are a 2025-era feature
      roots: [{ uri: uri(dir.join('elsewhere')) }, { uri: uri(dir.path) }, { uri: uri(dir.join('missing')) }],
    });
    const allowed = structured<Allowed>(await conn.callTool('list_allowed_directories'));
    expect(allowed.roots).toEqual([{ path: dir.join('data'), label: 'data', source: 'config' }]);
    expect(allowed.ignoredClientRoots.map((root) => root.reason)).toEqual([
      'outside every configured root, so it cannot widen access',
      'does not exist on the server',
    ]);
    expect(errorCode(await conn.callTool('read_text_file', { path: dir.join('elsewhere/b.txt') }))).toBe(
      'access_denied',
    );
  });

  it('with only outside client roots nothing is accessible, and the error says why', async () => {
    await using dir = await tempDir();
    await dir.write({ 'data/a.txt': 'a', 'elsewhere/b.txt': 'b' });
    await using conn = await connectPack(filesystemPack, {
      config: { roots: [dir.join('data')] },
      protocol: '2025-11-25', // client roots are a 2025-era feature
      roots: [{ uri: uri(dir.join('elsewhere')) }],
    });
    const result = await conn.callTool('read_text_file', { path: 'a.txt' });
    expect(errorCode(result)).toBe('no_roots');
    expect(resultText(await conn.callTool('list_allowed_directories'))).toContain('(none');
  });

  it('a roots list that cannot be read fails closed instead of falling back to the configured roots', async () => {
    await using dir = await tempDir();
    await dir.write({ 'data/a.txt': 'a' });
    await using conn = await connectPack(filesystemPack, {
      config: { roots: [dir.join('data')] },
      protocol: '2025-11-25', // client roots are a 2025-era feature
      roots: [{ uri: uri(dir.join('data')) }, { uri: 'https://example.com/not-a-file-root' }],
    });
    const result = await conn.callTool('read_text_file', { path: 'a.txt' });
    expect(errorCode(result)).toBe('roots_unavailable');
    expect(resultText(result)).not.toContain('a\n');
  });

  it('roots/list_changed takes effect on the next call', async () => {
    await using dir = await tempDir();
    await dir.write({ 'data/x/1.txt': '1', 'data/y/2.txt': '2' });
    await using conn = await connectPack(filesystemPack, {
      config: { roots: [dir.join('data')] },
      protocol: '2025-11-25', // client roots are a 2025-era feature
      roots: [{ uri: uri(dir.join('data/x')) }],
    });
    expect(errorCode(await conn.callTool('read_text_file', { path: dir.join('data/y/2.txt') }))).toBe('access_denied');
    await conn.setRoots([{ uri: uri(dir.join('data/y')) }]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(structured(await conn.callTool('read_text_file', { path: dir.join('data/y/2.txt') })).content).toBe('2');
    expect(errorCode(await conn.callTool('read_text_file', { path: dir.join('data/x/1.txt') }))).toBe('access_denied');
  });
});

describe('file resource template', () => {
  it('reads text and binary files by path, refuses outside, and completes paths', async () => {
    await using dir = await tempDir();
    await dir.write({
      'root/docs/readme.md': '# Hello',
      'root/docs/data.bin': Buffer.from([0, 1, 2]),
      'secret.txt': 's',
    });
    await using conn = await connectPack(filesystemPack, { config: { roots: [dir.join('root')] } });
    const { resourceTemplates } = await conn.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(['file://fs/{+path}']);
    const text = await conn.client.readResource({ uri: 'file://fs/docs/readme.md' });
    expect(text.contents).toEqual([{ uri: 'file://fs/docs/readme.md', mimeType: 'text/markdown', text: '# Hello' }]);
    const binary = await conn.client.readResource({ uri: 'file://fs/docs/data.bin' });
    expect(binary.contents[0]).toMatchObject({ blob: Buffer.from([0, 1, 2]).toString('base64') });
    await expect(conn.client.readResource({ uri: 'file://fs/../secret.txt' })).rejects.toBeTruthy();
    await expect(conn.client.readResource({ uri: 'file://fs/%2E%2E/secret.txt' })).rejects.toMatchObject({
      message: expect.not.stringContaining('s\n'),
    });
    const completion = await conn.client.complete({
      ref: { type: 'ref/resource', uri: 'file://fs/{+path}' },
      argument: { name: 'path', value: 'docs/re' },
    });
    expect(completion.completion.values).toEqual(['docs/readme.md']);
  });
});
