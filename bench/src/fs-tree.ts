/**
 * The generated trees the filesystem benchmark runs on (built in a temp dir, never committed): the same bytes on
 * every run, from a fixed-seed PRNG.
 */
import { mkdir, open, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A small deterministic PRNG (mulberry32), so every run builds the same tree. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'const let function return import export from class interface type async await value result error ' +
  'config server client request response buffer stream handle path file directory search index count ' +
  'string number boolean object array map set promise resolve reject module package data user session'
).split(' ');

function textFile(random: () => number, bytes: number, needle: string | undefined): string {
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const count = 3 + Math.floor(random() * 10);
    let line = '  '.repeat(Math.floor(random() * 4));
    for (let i = 0; i < count; i++) line += `${WORDS[Math.floor(random() * WORDS.length)]} `;
    if (needle && random() < 0.02) line += needle;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

export interface Tree {
  root: string;
  files: number;
  bytes: number;
}

/** 20,000 files, ~190 MB: sources (one in 50 with the needle), binaries, a node_modules and a .git. */
export async function generateTree(root: string): Promise<Tree> {
  const random = prng(42);
  let files = 0;
  let bytes = 0;
  const put = async (rel: string, content: string | Uint8Array) => {
    const file = path.join(root, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
    files++;
    bytes += typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  };
  await put('.gitignore', 'node_modules/\ndist/\n');
  // 15,500 source files in nested folders, ~8 KB each; one in 50 holds the literal needle.
  for (let i = 0; i < 15_500; i++) {
    const dir = `src/pkg${i % 40}/mod${Math.floor(i / 40) % 25}/part${Math.floor(i / 1000)}`;
    const needle = i % 50 === 7 ? 'NEEDLE_LITERAL_42 fn_lookup_123(' : undefined;
    await put(
      `${dir}/file${i}.${i % 3 === 0 ? 'ts' : i % 3 === 1 ? 'js' : 'md'}`,
      textFile(random, 2000 + Math.floor(random() * 12_000), needle),
    );
  }
  // 500 binaries, ~70 KB each.
  for (let i = 0; i < 500; i++) {
    const data = Buffer.alloc(40_000 + Math.floor(random() * 60_000));
    for (let j = 0; j < data.length; j += 7) data[j] = Math.floor(random() * 256);
    await put(`assets/bin${i % 10}/blob${i}.bin`, data);
  }
  // node_modules: 3,000 files, ~10 KB (ignored by both sides by default).
  for (let i = 0; i < 3000; i++) {
    await put(`node_modules/dep${i % 60}/lib/file${i}.js`, textFile(random, 10_000, 'NEEDLE_LITERAL_42'));
  }
  // .git: 999 object files (hidden; skipped by both sides).
  for (let i = 0; i < 999; i++) {
    await put(`.git/objects/${(i % 256).toString(16).padStart(2, '0')}/obj${i}`, textFile(random, 9000, undefined));
  }
  return { root, files, bytes };
}

/** A text file of `size` bytes, 4 MiB of generated lines repeated. */
export async function writeBigFile(file: string, size: number): Promise<void> {
  const random = prng(7);
  const block = Buffer.from(textFile(random, 4 * 1024 * 1024, undefined));
  const handle = await open(file, 'w');
  for (let written = 0; written < size; written += block.length) {
    await handle.write(block.subarray(0, Math.min(block.length, size - written)));
  }
  await handle.close();
}
