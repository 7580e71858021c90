/**
 * `writes: "ask"`: each change is shown to the user and made only after a yes, in both protocol eras (where the
 * tool runs again from the start once the user has answered), and on a v1 SDK server (where the tool waits for
 * the answer inside the call). Real files in temporary directories, a real client answering the questions.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type ConnectPackOptions,
  connectPack,
  errorCode,
  hintsOf,
  resultText,
  structured,
  TEST_PROTOCOLS,
} from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import type { FilesystemConfigInput } from '../config.js';
import { tempDir } from '../fixtures/temp.js';
import { filesystemPack, WRITE_TOOLS } from '../pack.js';

type Elicit = NonNullable<ConnectPackOptions['elicit']>;

/** Every file and directory under `root` with the content of each file: what a test compares before and after. */
async function tree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const at = path.join(dir, entry.name);
      const rel = path.relative(root, at);
      if (entry.isDirectory()) {
        out[`${rel}/`] = '';
        await walk(at);
      } else out[rel] = await readFile(at, 'utf8');
    }
  };
  await walk(root);
  return out;
}

const FILES = {
  'app.ts': 'const port = 3000;\nconst host = "localhost";\nexport { host, port };\n',
  'notes.md': '# Notes\n\n- one\n',
  'build/out.js': 'x',
  'build/maps/out.js.map': '{}',
  'docs/': '',
};

async function project() {
  const dir = await tempDir();
  await dir.write(Object.fromEntries(Object.entries(FILES).filter(([name]) => !name.endsWith('/'))));
  await mkdir(dir.join('docs'));
  return dir;
}

/** One call per write tool, each a change the user has to approve. */
const CALLS: { tool: (typeof WRITE_TOOLS)[number]; args: Record<string, unknown> }[] = [
  { tool: 'write_file', args: { path: 'new.txt', content: 'hello\n' } },
  { tool: 'write_file', args: { path: 'notes.md', content: '# Notes\n\n- two\n', mode: 'overwrite' } },
  { tool: 'edit_file', args: { path: 'app.ts', edits: [{ oldText: 'port = 3000', newText: 'port = 8080' }] } },
  { tool: 'create_directory', args: { path: 'src/components' } },
  { tool: 'move_file', args: { source: 'notes.md', destination: 'NOTES.md' } },
  { tool: 'copy_file', args: { source: 'build', destination: 'build-copy' } },
  { tool: 'delete', args: { path: 'build', recursive: true } },
];

describe.each(TEST_PROTOCOLS)('writes: "ask" (%s)', (protocol) => {
  const connect = (root: string, elicit: Elicit | undefined, config: Partial<FilesystemConfigInput> = {}) =>
    connectPack(filesystemPack, {
      protocol,
      config: { roots: [root], writes: 'ask', allowDelete: true, ...config },
      ...(elicit ? { elicit } : {}),
    });

  it('shows edit_file the unified diff and the file version, then applies exactly that edit', async () => {
    await using dir = await project();
    await using conn = await connect(dir.path, () => ({ action: 'accept' }));
    const result = await conn.callTool('edit_file', {
      path: 'app.ts',
      edits: [{ oldText: 'port = 3000', newText: 'port = 8080' }],
    });
    const out = structured<{ diff: string; sha256: string }>(result);
    expect(conn.elicitations).toHaveLength(1);
    const message = conn.elicitations[0]?.message ?? '';
    expect(message).toMatch(/^Edit app\.ts\? 1 line added, 1 removed:/);
    expect(message).toContain('--- a/app.ts\n+++ b/app.ts\n@@ -1,3 +1,3 @@\n-const port = 3000;\n+const port = 8080;');
    // The question holds the same diff the model gets back, and names the version it applies to.
    expect(message).toContain(out.diff.replace(/^=+\n/, '').trimEnd());
    expect(message).toMatch(/sha256 [0-9a-f]{16}…/);
    expect(conn.elicitations[0]?.requestedSchema).toEqual({ type: 'object', properties: {} });
    expect(await readFile(dir.join('app.ts'), 'utf8')).toBe(FILES['app.ts'].replace('3000', '8080'));
  });

  it('shows write_file a new file (path, size, text) or the diff of an overwrite, then writes it', async () => {
    await using dir = await project();
    await using conn = await connect(dir.path, () => ({ action: 'accept' }));
    const created = structured(await conn.callTool('write_file', { path: 'docs/new.md', content: 'a\nb\n' }));
    expect(created).toMatchObject({ created: true, bytesWritten: 4 });
    expect(conn.elicitations[0]?.message).toBe('Create docs/new.md? 4 bytes, 2 lines:\n\na\nb');
    const long = Array.from({ length: 500 }, (_, i) => `line ${i + 1}`).join('\n');
    await conn.callTool('write_file', { path: 'long.txt', content: long });
    const longQuestion = conn.elicitations[1]?.message ?? '';
    expect(longQuestion).toContain('Create long.txt? 4.3 KiB, 500 lines:\n\nline 1\n');
    expect(longQuestion).toContain('line 40\n… 460 more lines not shown');

    await conn.callTool('write_file', { path: 'notes.md', content: '# Notes\n\n- two\n', mode: 'overwrite' });
    const overwrite = conn.elicitations[2]?.message ?? '';
    expect(overwrite).toMatch(/^Overwrite notes\.md\? 1 line added, 1 removed \(15 bytes → 15 bytes\):/);
    expect(overwrite).toContain('-- one\n+- two');
    expect(await readFile(dir.join('notes.md'), 'utf8')).toBe('# Notes\n\n- two\n');

    await conn.callTool('write_file', { path: 'notes.md', content: '- three\n', mode: 'append' });
    expect(conn.elicitations[3]?.message).toBe('Append to notes.md? 8 bytes, 1 line:\n\n- three');
    expect(await readFile(dir.join('notes.md'), 'utf8')).toBe('# Notes\n\n- two\n- three\n');

    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]).toString('base64');
    await conn.callTool('write_file', { path: 'logo.png', content: png, encoding: 'base64' });
    expect(conn.elicitations[4]?.message).toMatch(
      /^Create logo\.png\? 8 bytes of binary data \(sha256 [0-9a-f]{16}…\)\.$/,
    );
    expect(conn.elicitations).toHaveLength(5);
  });

  it('shows move and copy as from → to, delete with what it removes, mkdir with its missing parents', async () => {
    await using dir = await project();
    await dir.write({ 'old.txt': 'old!' });
    await using conn = await connect(dir.path, () => ({ action: 'accept' }));
    const ask = async (tool: string, args: Record<string, unknown>) => {
      const result = await conn.callTool(tool, args);
      expect(result.isError, resultText(result)).toBeFalsy();
      return conn.elicitations.at(-1)?.message;
    };
    expect(await ask('move_file', { source: 'notes.md', destination: 'docs/notes.md' })).toBe(
      'Move the file notes.md (15 bytes)?\nnotes.md → docs/notes.md',
    );
    expect(await ask('move_file', { source: 'docs/notes.md', destination: 'old.txt', overwrite: true })).toBe(
      'Move the file docs/notes.md (15 bytes)?\ndocs/notes.md → old.txt\nThis replaces the file old.txt (4 bytes).',
    );
    expect(await ask('copy_file', { source: 'build', destination: 'build2' })).toBe(
      'Copy the directory build, with 2 files and 1 directory (3 bytes) in it?\nbuild → build2',
    );
    expect(await ask('create_directory', { path: 'src/ui/forms' })).toBe(
      'Create the directory src/ui/forms, and the missing parents src, src/ui?',
    );
    expect(await ask('delete', { path: 'build', recursive: true })).toBe(
      'Delete the directory build, with 2 files and 1 directory (3 bytes) in it? There is no undo.\nIt holds: maps/, out.js.',
    );
    expect(await ask('delete', { path: 'src/ui/forms' })).toBe(
      'Delete the empty directory src/ui/forms? There is no undo.',
    );
    expect(await ask('delete', { path: 'app.ts' })).toBe(
      `Delete the file app.ts (${FILES['app.ts'].length} bytes)? There is no undo.`,
    );
    expect(await tree(dir.path)).toEqual({
      'build2/': '',
      'build2/maps/': '',
      'build2/maps/out.js.map': '{}',
      'build2/out.js': 'x',
      'docs/': '',
      'old.txt': '# Notes\n\n- one\n',
      'src/': '',
      'src/ui/': '',
    });
  });

  it.each(['decline', 'cancel'] as const)('on %s, changes nothing and says so (write_declined)', async (action) => {
    await using dir = await project();
    const before = await tree(dir.path);
    await using conn = await connect(dir.path, () => ({ action }));
    for (const { tool, args } of CALLS) {
      const result = await conn.callTool(tool, args);
      expect(errorCode(result), tool).toBe('write_declined');
      expect(result._meta?.['mcp-packs/error']).toMatchObject({ details: { answer: action } });
      const text = resultText(result);
      expect(text).toContain(action === 'decline' ? 'The user declined to ' : 'The user dismissed the question');
      expect(text).toContain('nothing was changed');
      expect(text).toContain('Do not try this change again unless the user asks for it');
    }
    expect(conn.elicitations).toHaveLength(CALLS.length);
    expect(await tree(dir.path)).toEqual(before);
  });

  it('refuses on a client that cannot ask (approval_unavailable), changing nothing', async () => {
    await using dir = await project();
    const before = await tree(dir.path);
    await using conn = await connect(dir.path, undefined);
    // Offered all the same: the refusal says why, so the model can tell the user.
    const names = (await conn.client.listTools()).tools.map((tool) => tool.name);
    for (const key of WRITE_TOOLS) expect(names).toContain(`fs_${key}`);
    for (const { tool, args } of CALLS) {
      const result = await conn.callTool(tool, args);
      expect(errorCode(result), tool).toBe('approval_unavailable');
      expect(resultText(result)).toContain('this server is set to ask the user before every change to files');
      expect(resultText(result)).toContain('this client cannot show such questions');
    }
    expect(await tree(dir.path)).toEqual(before);
  });

  it('asks nothing for what changes nothing or fails anyway', async () => {
    await using dir = await project();
    await using conn = await connect(dir.path, () => ({ action: 'accept' }));
    const dry = await conn.callTool('edit_file', {
      path: 'app.ts',
      edits: [{ oldText: 'port = 3000', newText: 'port = 1' }],
      dryRun: true,
    });
    expect(structured<{ diff: string }>(dry).diff).toContain('+const port = 1;');
    expect(structured(await conn.callTool('create_directory', { path: 'docs' }))).toEqual({
      path: 'docs',
      created: false,
    });
    const failing: [string, Record<string, unknown>, string][] = [
      ['write_file', { path: 'app.ts', content: 'x' }, 'already_exists'],
      [
        'write_file',
        { path: 'app.ts', content: 'x', mode: 'overwrite', expectedSha256: '0'.repeat(64) },
        'hash_mismatch',
      ],
      ['edit_file', { path: 'app.ts', edits: [{ oldText: 'nowhere', newText: 'x' }] }, 'edit_not_found'],
      ['move_file', { source: 'app.ts', destination: 'notes.md' }, 'already_exists'],
      ['copy_file', { source: 'build', destination: 'docs', overwrite: true }, 'already_exists'],
      ['delete', { path: 'build' }, 'directory_not_empty'],
    ];
    for (const [tool, args, code] of failing) expect(errorCode(await conn.callTool(tool, args)), tool).toBe(code);
    expect(conn.elicitations).toEqual([]);
    expect(await readFile(dir.join('app.ts'), 'utf8')).toBe(FILES['app.ts']);
  });

  it('a file changed while the user decides is not overwritten with a change they did not see', async () => {
    await using dir = await project();
    const theirs = 'const port = 3000; // pinned by ops\nconst host = "localhost";\nexport { host, port };\n';
    // The first question gets a yes, but the file changes before the answer arrives; later questions get a no.
    const elicit: Elicit = async () => {
      if (conn.elicitations.length > 1) return { action: 'decline' };
      await writeFile(dir.join('app.ts'), theirs);
      return { action: 'accept' };
    };
    await using conn = await connect(dir.path, elicit);
    const result = await conn.callTool('edit_file', {
      path: 'app.ts',
      edits: [{ oldText: 'const port = 3000;', newText: 'const port = 8080;' }],
    });
    // The tool ran again with the answer, found another file, and asked about the change it would now make.
    expect(errorCode(result)).toBe('write_declined');
    expect(conn.elicitations).toHaveLength(2);
    expect(conn.elicitations[1]?.message).toContain(
      '-const port = 3000; // pinned by ops\n+const port = 8080; // pinned by ops',
    );
    expect(await readFile(dir.join('app.ts'), 'utf8')).toBe(theirs);
  });

  it('after a change elsewhere in the file, the user approves the new diff and exactly that is applied', async () => {
    await using dir = await project();
    const edited = `${FILES['app.ts']}// added meanwhile\n`;
    const elicit: Elicit = async () => {
      if (conn.elicitations.length === 1) await writeFile(dir.join('app.ts'), edited);
      return { action: 'accept' };
    };
    await using conn = await connect(dir.path, elicit);
    const result = await conn.callTool('write_file', { path: 'app.ts', content: 'export {};\n', mode: 'overwrite' });
    expect(result.isError, resultText(result)).toBeFalsy();
    // The same diff lines would not have shown the added line being thrown away: the question changed with the file.
    expect(conn.elicitations).toHaveLength(2);
    expect(conn.elicitations[0]?.message).not.toContain('added meanwhile');
    expect(conn.elicitations[1]?.message).toContain('-// added meanwhile');
    expect(await readFile(dir.join('app.ts'), 'utf8')).toBe('export {};\n');
  });

  it('a directory that fills up while the user decides is not deleted on the old answer', async () => {
    await using dir = await project();
    const elicit: Elicit = async () => {
      if (conn.elicitations.length === 1) await writeFile(dir.join('build/important.txt'), 'keep me');
      return conn.elicitations.length === 1 ? { action: 'accept' } : { action: 'decline' };
    };
    await using conn = await connect(dir.path, elicit);
    expect(errorCode(await conn.callTool('delete', { path: 'build', recursive: true }))).toBe('write_declined');
    expect(conn.elicitations[1]?.message).toContain('with 3 files and 1 directory');
    expect(await readFile(dir.join('build/important.txt'), 'utf8')).toBe('keep me');
  });

  it('delete still needs allowDelete, and writes "on" never asks', async () => {
    await using dir = await project();
    await using noDeletes = await connect(dir.path, () => ({ action: 'accept' }), { allowDelete: false });
    const names = (await noDeletes.client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('fs_write_file');
    expect(names).not.toContain('fs_delete');
    await expect(noDeletes.callTool('fs_delete', { path: 'app.ts' })).rejects.toThrow(/not found/);

    await using on = await connect(dir.path, () => ({ action: 'decline' }), { writes: 'on' });
    expect(structured(await on.callTool('write_file', { path: 'on.txt', content: 'x' }))).toMatchObject({
      created: true,
    });
    expect(on.elicitations).toEqual([]);
    expect(noDeletes.elicitations).toEqual([]);
    expect((await stat(dir.join('app.ts'))).isFile()).toBe(true);
  });

  it('lists the write tools with titles that say the user approves each change', async () => {
    await using dir = await project();
    await using conn = await connect(dir.path, () => ({ action: 'accept' }));
    const { tools } = await conn.client.listTools();
    for (const tool of tools) {
      const key = tool.name.replace(/^fs_/, '');
      if (!(WRITE_TOOLS as readonly string[]).includes(key)) continue;
      expect(tool.annotations?.title, key).toMatch(/\(the user approves/);
      expect(hintsOf(tool.annotations).readOnlyHint, key).toBe(false);
      expect(tool.description, key).toMatch(/If the server asks before writes|if the server asks before writes/);
    }
  });
});
