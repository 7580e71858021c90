import { spawn } from 'node:child_process';
import { link, mkdir, readdir, readFile, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startChild } from './fixtures/child.js';
import { tempDir } from './fixtures/temp-dir.js';
import { NoteStore } from './note-store.js';
import { ownerTag, thisProcess } from './owner.js';
import { FOREIGN_TEMP_MAX_AGE_MS, sweepTempFiles, tempFileName } from './temp-files.js';

const linux = process.platform === 'linux';

/** The owner tag of a process that has exited (so it is certainly not alive). */
async function deadTag(): Promise<string> {
  const child = spawn(process.execPath, ['-e', '0']);
  const pid = child.pid as number;
  await new Promise((resolve) => child.on('exit', resolve));
  return ownerTag({ ...thisProcess(), pid });
}

/** A file at `dir/name` last modified `ageMs` ago. */
async function put(dir: string, name: string, ageMs = 0, text = 'partial'): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  if (ageMs > 0) {
    const when = new Date(Date.now() - ageMs);
    await utimes(file, when, when);
  }
  return file;
}

const HOUR = 60 * 60 * 1000;
const random = () => Math.random().toString(16).slice(2, 18).padEnd(16, '0');
const otherScope = () => (thisProcess().scope === '00000000' ? '00000001' : '00000000');

describe('the temp-file sweep', () => {
  it('removes a dead owner’s temp files at once, and never a live owner’s, however old', async () => {
    await using dir = await tempDir();
    const live = startChild('live-owner.ts', []);
    try {
      const liveTag = await live.line();
      const dead = await put(dir.path, `.mcp-notes-${await deadTag()}-${random()}.tmp`);
      const deadOld = await put(dir.path, `.mcp-notes-${await deadTag()}-${random()}.tmp`, 48 * HOUR);
      const mine = await put(dir.path, tempFileName(), 48 * HOUR);
      const theirs = await put(dir.path, `.mcp-notes-${liveTag}-${random()}.tmp`, linux ? 48 * HOUR : 0);
      const removed = sweepTempFiles([dead, deadOld, mine, theirs]);
      expect(removed.sort()).toEqual([dead, deadOld].sort());
      expect((await readdir(dir.path)).sort()).toEqual([path.basename(mine), path.basename(theirs)].sort());
    } finally {
      await live.kill();
    }
  });

  it.runIf(linux)('removes the temp file of an earlier process that had the pid of a live one', async () => {
    await using dir = await tempDir();
    const me = thisProcess();
    const reused = await put(dir.path, `.mcp-notes-${ownerTag({ ...me, start: `${me.start}0` })}-${random()}.tmp`);
    expect(sweepTempFiles([reused])).toEqual([reused]);
  });

  it('leaves temp files it cannot attribute (another host, an unknown name) until they are an hour old', async () => {
    await using dir = await tempDir();
    const tag = `${otherScope()}-${process.pid}-x`;
    const fresh = [
      await put(dir.path, `.mcp-notes-${tag}-${random()}.tmp`),
      await put(dir.path, '.mcp-notes-0123456789ab.tmp'),
      await put(dir.path, '.mcp-notes.lock.4f6e0a0c-3b8e-4d53-9a0f-6f0f5b8a2c11.tmp'),
    ];
    const old = [
      await put(dir.path, `.mcp-notes-${tag}-${random()}.tmp`, FOREIGN_TEMP_MAX_AGE_MS + HOUR),
      await put(dir.path, '.mcp-notes-ba9876543210.tmp', FOREIGN_TEMP_MAX_AGE_MS + HOUR),
    ];
    expect(sweepTempFiles([...fresh, ...old]).sort()).toEqual(old.sort());
    expect((await readdir(dir.path)).sort()).toEqual(fresh.map((file) => path.basename(file)).sort());
  });

  it('never removes a note: not one named like a temp file, not through a symlink, not one linked to a temp', async () => {
    await using dir = await tempDir();
    const dead = await deadTag();
    const note = await put(dir.path, 'Plan.md', 0, '# plan\n');
    const lookalike = await put(dir.path, `.mcp-notes-${dead}-${random()}.md`, 48 * HOUR);
    const pointer = path.join(dir.path, `.mcp-notes-${dead}-${random()}.tmp`);
    await symlink(note, pointer);
    // A create killed between linking its temp file into place and unlinking it: one file, two names.
    const created = await put(dir.path, 'Created.md', 0, '# created\n');
    const twin = path.join(dir.path, `.mcp-notes-${dead}-${random()}.tmp`);
    await link(created, twin);
    expect(sweepTempFiles([note, lookalike, pointer, twin])).toEqual([twin]);
    expect(await readFile(note, 'utf8')).toBe('# plan\n');
    expect(await readFile(created, 'utf8')).toBe('# created\n');
    expect((await readdir(dir.path)).sort()).toEqual(
      ['Created.md', 'Plan.md', path.basename(lookalike), path.basename(pointer)].sort(),
    );
  });

  it('runs when a store opens, in every folder a note can be written to, and keeps every note', async () => {
    await using dir = await tempDir();
    const seed = await NoteStore.open({ dir: dir.path, watch: false });
    const note = await seed.create({ title: 'Kept', body: 'kept body' });
    await seed.close();
    await mkdir(path.join(dir.path, 'projects', 'alpha'), { recursive: true });
    await writeFile(path.join(dir.path, 'projects', 'alpha', 'Plan.md'), 'the plan');
    const dead = await deadTag();
    const leftovers = [
      await put(dir.path, `.mcp-notes-${dead}-${random()}.tmp`),
      await put(path.join(dir.path, 'projects', 'alpha'), `.mcp-notes-${dead}-${random()}.tmp`),
      await put(path.join(dir.path, '.trash'), `.mcp-notes-${dead}-${random()}.tmp`),
    ];
    const foreign = await put(dir.path, `.mcp-notes-${otherScope()}-1-x-${random()}.tmp`);
    const store = await NoteStore.open({ dir: dir.path, watch: false });
    try {
      const names = await readdir(dir.path, { recursive: true });
      for (const file of leftovers) expect(names).not.toContain(path.relative(dir.path, file));
      expect(names).toContain(path.basename(foreign));
      expect((await store.read({ id: note.id })).body).toBe('kept body');
      expect((await store.read({ title: 'Plan' })).body).toBe('the plan');
      expect((await store.list()).notes).toHaveLength(2);
    } finally {
      await store.close();
    }
  });
});
