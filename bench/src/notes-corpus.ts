/**
 * A generated notes corpus for the notes benchmarks: a Zipf-distributed vocabulary of 30,000 words, log-normal body
 * sizes around 150 words, 0-3 tags from 300, written straight to disk in the store's own file format (never through
 * the store: generating a million notes through create would take hours).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A seeded PRNG (mulberry32), so every run writes the same corpus. */
export function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES =
  'ka to ri na mo le su vi pe da lo mi ne ta ro gu be si fa zo chi an en in on ur ex al or ist ing ed er ly tion ment'.split(
    ' ',
  );

function vocabulary(size: number, random: () => number): string[] {
  const words = new Set<string>();
  while (words.size < size) {
    const parts = 1 + Math.floor(random() * 3.2);
    let word = '';
    for (let i = 0; i < parts; i++) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    words.add(word);
  }
  return [...words];
}

let zipfCdf: Float64Array | undefined;

/** A word rank drawn from a Zipf distribution (s = 1.05) over `size` ranks, with the caller's random source. */
function zipfRank(size: number, random: () => number): number {
  if (zipfCdf?.length !== size) {
    zipfCdf = new Float64Array(size);
    let sum = 0;
    for (let i = 0; i < size; i++) {
      sum += 1 / (i + 1) ** 1.05;
      zipfCdf[i] = sum;
    }
  }
  const cdf = zipfCdf;
  const x = random() * (cdf[size - 1] as number);
  let lo = 0;
  let hi = size - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cdf[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The corpus written so far: its vocabulary (for queries), size on disk, tags and note count. */
export interface Corpus {
  words: string[];
  tags: string[];
  bytes: number;
  count: number;
}

/** One generated note: its front-matter fields and its body (as the store reads it from the file). */
export interface GeneratedNote {
  id: string;
  title: string;
  tags: string[];
  created: string;
  body: string;
}

/** The vocabulary and tag set every corpus draws from (the same in every run). */
export function corpusWords(): { words: string[]; tags: string[] } {
  return { words: vocabulary(30_000, rng(42)), tags: vocabulary(300, rng(7)) };
}

/** Note `i` of the corpus, the same in every run and however the corpus was grown. */
export function noteAt(i: number, words: readonly string[], tags: readonly string[]): GeneratedNote {
  // Seeded per note, so note i is the same however the corpus was grown.
  const random = rng(1_000_003 * i + 17);
  const word = () => words[zipfRank(words.length, random)] as string;
  const title = Array.from({ length: 2 + Math.floor(random() * 6) }, word).join(' ');
  const z = Math.sqrt(-2 * Math.log(random() || 1e-9)) * Math.cos(2 * Math.PI * random());
  const length = Math.min(8000, Math.max(5, Math.round(Math.exp(Math.log(150) + 0.9 * z))));
  const lines: string[] = [];
  let line: string[] = [];
  for (let w = 0; w < length; w++) {
    line.push(word());
    if (line.length > 8 + random() * 20) {
      lines.push(`${line.join(' ')}.`);
      line = [];
      if (random() < 0.2) lines.push('');
    }
  }
  lines.push(line.join(' '));
  const noteTags = [
    ...new Set(
      Array.from({ length: Math.floor(random() * 4) }, () => tags[Math.floor(random() ** 2 * tags.length)] as string),
    ),
  ];
  const created = new Date(Date.parse('2022-01-01T00:00:00Z') + Math.floor(random() * 3e10)).toISOString();
  const id = `n${i.toString(36).padStart(8, '0')}`;
  return { id, title, tags: noteTags, created, body: `# ${title}\n\n${lines.join('\n')}\n` };
}

/**
 * Write notes `from` .. `to - 1` into `dir` (notes are numbered, so a corpus can be grown: 1,000, then up to 50,000,
 * then up to 1,000,000, each note the same in every run). `concurrency` writes are in flight at once.
 */
export async function generate(dir: string, from: number, to: number, concurrency = 256): Promise<Corpus> {
  const { words, tags } = corpusWords();
  let bytes = 0;
  let batch: Promise<void>[] = [];
  for (let i = from; i < to; i++) {
    const note = noteAt(i, words, tags);
    const text =
      `---\nid: ${note.id}\ntitle: ${note.title}\ntags:${note.tags.length ? note.tags.map((tag) => `\n  - ${tag}`).join('') : ' []'}\n` +
      `created: ${note.created}\nupdated: ${note.created}\nversion: 1\n---\n\n${note.body}`;
    bytes += Buffer.byteLength(text);
    batch.push(writeFile(path.join(dir, `${note.title.slice(0, 60)} ${note.id}.md`), text));
    if (batch.length >= concurrency) {
      await Promise.all(batch);
      batch = [];
    }
  }
  await Promise.all(batch);
  return { words, tags, bytes, count: to };
}

/** Realistic queries over the corpus: 1-3 content words, some 4-letter prefixes, some with two letters swapped. */
export function queries(words: string[], count: number): string[] {
  const random = rng(99);
  // Content words: ranks spread log-uniformly from the 20th to the 20,000th most frequent.
  const word = () => words[Math.floor(Math.exp(Math.log(20) + random() * Math.log(1000)))] as string;
  const result: string[] = [];
  for (let i = 0; i < count; i++) {
    const kind = random();
    if (kind < 0.6) result.push(Array.from({ length: 1 + Math.floor(random() * 3) }, word).join(' '));
    else if (kind < 0.8) result.push(word().slice(0, 4));
    else {
      const w = word();
      const at = 1 + Math.floor(random() * (w.length - 2));
      result.push(`${w.slice(0, at)}${w[at + 1] ?? ''}${w[at] ?? ''}${w.slice(at + 2)}`);
    }
  }
  return result;
}
