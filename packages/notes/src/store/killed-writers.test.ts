/**
 * Writers killed mid-write, and a writer held mid-write while another process opens the folder: real child
 * processes on the package's code, real files, SIGKILL.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkableBody, checkBody } from './fixtures/checkable-body.js';
import { type Child, startChild } from './fixtures/child.js';
import { tempDir } from './fixtures/temp-dir.js';
import { splitNote } from './front-matter.js';
import { NoteStore } from './note-store.js';
import { ownerTag } from './owner.js';

interface Event {
  event: 'ready' | 'wrote' | 'created' | 'paused' | 'done';
  owner?: string;
  id?: string;
  seq?: number;
  temp?: string;
  target?: string;
  version?: number;
}

async function next(child: Child, event: Event['event'], seen: Event[] = []): Promise<Event> {
  for (;;) {
    const parsed = JSON.parse(await child.line()) as Event;
    seen.push(parsed);
    if (parsed.event === event) return parsed;
  }
}

/** Every file under `dir` whose name starts with `.mcp-notes` (temp files, the lock, its steal file), relative. */
async function storeFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir, { recursive: true })) as string[];
  return names.filter((name) => path.basename(name).startsWith('.mcp-notes')).sort();
}

/** The files of the private indexes (database, journal, WAL, text build) the process `owner` keeps in the temp folder. */
async function privateIndexOf(owner: string): Promise<string[]> {
  return (await readdir(os.tmpdir())).filter((name) => name.startsWith(`mcp-notes-index-${owner}-`));
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

describe('a writer killed mid-write', () => {
  it('leaves, once the folder is opened again, no temp file and every note whole and indexed as it is', async () => {
    await using dir = await tempDir();
    await using cache = await tempDir('notes-cache-');
    // Notes in the folder and in a subfolder (a hand-written file, whose first write through the store adds its
    // front matter), each with a body that says whether it is whole, and which write it is from (every write has its
    // own sequence number: the seeds 1-7, writer n from n * 1000).
    const seed = await NoteStore.open({ dir: dir.path, cacheDir: cache.path, watch: false });
    for (let i = 0; i < 6; i++) await seed.create({ title: `Seed ${i}`, body: checkableBody(`Seed ${i}`, i + 1) });
    await seed.close();
    await mkdir(path.join(dir.path, 'projects'));
    await writeFile(path.join(dir.path, 'projects', 'Plan.md'), checkableBody('Plan', 7));

    const events: Event[] = [];
    let leftovers: string[] = [];
    let leftBehind = 0;
    let pausedKills = 0;
    for (let round = 1; round <= 22; round++) {
      const held = round % 8 === 0;
      let child: Child;
      if (held) {
        // Killed for certain between a write's temp file and its rename: the worst moment.
        const probe = await NoteStore.open({ dir: dir.path, watch: false });
        const target = (await probe.list({ limit: 1 })).notes[0];
        await probe.close();
        if (!target) throw new Error('no note to write');
        child = startChild('writer.ts', [dir.path, cache.path, 'pause', target.id, String(round * 1000)]);
      } else {
        child = startChild('writer.ts', [dir.path, cache.path, 'loop', String(round)]);
      }
      await next(child, 'ready', events);
      // Its open swept what the previous writer left.
      for (const file of leftovers) expect(await exists(path.join(dir.path, file))).toBe(false);
      if (held) {
        const paused = await next(child, 'paused', events);
        const before = await readFile(paused.target as string, 'utf8');
        await child.kill();
        pausedKills++;
        expect(await exists(paused.temp as string)).toBe(true);
        // The note it was replacing is untouched: the old version, whole.
        expect(await readFile(paused.target as string, 'utf8')).toBe(before);
        expect(checkBody(splitNote(before).body)).toBeDefined();
      } else {
        // A random moment: after 0-4 finished writes, then 0-40 ms into the next ones.
        const writes = Math.floor(Math.random() * 5);
        for (let i = 0; i < writes; i++) {
          const parsed = JSON.parse(await child.line()) as Event;
          events.push(parsed);
        }
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 40));
        await child.kill();
      }
      leftovers = (await storeFiles(dir.path)).filter((name) => name.endsWith('.tmp'));
      leftBehind += leftovers.length;
    }
    expect(pausedKills).toBe(2);
    expect(leftBehind).toBeGreaterThanOrEqual(pausedKills);

    const store = await NoteStore.open({ dir: dir.path, cacheDir: cache.path, watch: false });
    try {
      // Nothing of the dead writers is left: no temp file, no lock, no steal file.
      expect(await storeFiles(dir.path)).toEqual([]);

      // Every Markdown file is a note the index knows, and the other way round; none is skipped as broken.
      const listed = new Map<string, { id: string; title: string; version: number }>();
      let cursor: string | undefined;
      do {
        const page = await store.list({ limit: 100, ...(cursor ? { cursor } : {}) });
        for (const note of page.notes) listed.set(note.path, note);
        expect(page.problems).toEqual([]);
        cursor = page.nextCursor;
      } while (cursor);
      const files = ((await readdir(dir.path, { recursive: true })) as string[])
        .filter((name) => name.endsWith('.md'))
        .map((name) => name.split(path.sep).join('/'))
        .sort();
      expect([...listed.keys()].sort()).toEqual(files);
      expect(files.length).toBeGreaterThanOrEqual(7);

      const finalSeq = new Map<string, number>();
      for (const file of files) {
        const note = listed.get(file) as { id: string; title: string; version: number };
        const text = await readFile(path.join(dir.path, file), 'utf8');
        const { data, body } = splitNote(text);
        // Whole: the old content or the new, never a torn or mixed one.
        const whole = checkBody(body);
        expect(whole, file).toBeDefined();
        expect([note.id, note.title]).toContain(whole?.key);
        finalSeq.set(note.id, whole?.seq as number);
        // What the store reads and reports is what the file says.
        const read = await store.read({ id: note.id });
        expect(read.body).toBe(body);
        expect(read.version).toBe(data.version === undefined ? 1 : Number(data.version));
        // And the full-text index has this text, not an earlier one.
        const hits = await store.search({ query: `w${whole?.seq}x`, prefix: false, fuzzy: false });
        expect(hits.hits.map((hit) => hit.id)).toEqual([note.id]);
      }

      // No write a writer reported done was lost, and the index forgot the text it replaced.
      for (const event of events) {
        if (event.event === 'created') expect(finalSeq.has(event.id as string)).toBe(true);
        if (event.event !== 'wrote') continue;
        const seq = finalSeq.get(event.id as string) as number;
        expect(seq).toBeGreaterThanOrEqual(event.seq as number);
        if (seq !== event.seq) {
          const stale = await store.search({ query: `w${event.seq}x`, prefix: false, fuzzy: false });
          expect(stale.hits).toEqual([]);
        }
      }
    } finally {
      await store.close();
    }
  }, 180_000);
});

describe('a writer held mid-write while another process opens the folder', () => {
  it('keeps its temp file and its lock, and its write completes', async () => {
    await using dir = await tempDir();
    const seed = await NoteStore.open({ dir: dir.path, watch: false });
    const note = await seed.create({ title: 'Shared', body: checkableBody('Shared', 1) });
    await seed.close();

    const writer = startChild('writer.ts', [dir.path, '-', 'pause', note.id, '2']);
    try {
      const { owner } = await next(writer, 'ready');
      const paused = await next(writer, 'paused');
      const temp = paused.temp as string;
      expect(await storeFiles(dir.path)).toEqual(['.mcp-notes.lock', path.basename(temp)].sort());

      // This process opens the folder (a full scan, the sweep, the lock check) and scans it again.
      const store = await NoteStore.open({ dir: dir.path, watch: false });
      try {
        await store.refresh();
        expect(await storeFiles(dir.path)).toEqual(['.mcp-notes.lock', path.basename(temp)].sort());
        // Its private index in the temp folder is left alone too (this store opened one of its own beside it).
        expect(await privateIndexOf(owner as string)).not.toEqual([]);
        expect(await privateIndexOf(ownerTag())).not.toEqual([]);
        expect(checkBody((await store.read({ id: note.id })).body)?.seq).toBe(1);

        writer.process.stdin.write('go\n');
        expect((await next(writer, 'done')).version).toBe(2);
        await writer.exited;
        expect(writer.process.exitCode).toBe(0);

        await store.refresh();
        const read = await store.read({ id: note.id });
        expect(read.version).toBe(2);
        expect(checkBody(read.body)?.seq).toBe(2);
        expect(await storeFiles(dir.path)).toEqual([]);
      } finally {
        await store.close();
      }
    } finally {
      await writer.kill();
    }
  }, 60_000);
});

describe('a server with a private index killed', () => {
  it('leaves that index in the temp folder only until a private index is opened next', async () => {
    await using dir = await tempDir();
    const writer = startChild('writer.ts', [dir.path, '-', 'loop', '7']);
    let owner: string;
    try {
      owner = (await next(writer, 'ready')).owner as string;
      await next(writer, 'created');
    } finally {
      await writer.kill();
    }
    expect(await privateIndexOf(owner)).not.toEqual([]);
    const store = await NoteStore.open({ dir: dir.path, watch: false });
    try {
      expect(await privateIndexOf(owner)).toEqual([]);
      expect((await store.list()).notes.length).toBeGreaterThanOrEqual(1);
    } finally {
      await store.close();
    }
    expect(await privateIndexOf(ownerTag())).toEqual([]);
  }, 60_000);
});
