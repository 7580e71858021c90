/**
 * The notes stores side by side at 100,000 notes (issue 20): the folder store (`NoteStore`) and the PostgreSQL store
 * (`PgNoteStore`) over the same generated corpus (notes-corpus.ts), in this one process, through the store API.
 * Create, search and list are timed in alternating batches (harness.ts), so the ratios come from one run; memory
 * beside each time is this process's RSS (the folder store's index lives here) and the PostgreSQL cluster's RSS (its
 * processes summed). Ranking: for a fixed query set, how many of each store's top 10 the other also returns.
 * Env: NOTES_PG_SIZE (default 100000), MCP_PACKS_BENCH_PG_URL (else a private cluster via scripts/postgres.sh).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { NoteStore } from '@mcp-packs/notes';
import { migrateNotesDatabase, PgNoteStore } from '@mcp-packs/notes/postgres';
import pg from 'pg';
import { compare, pairedRatio, type VariantStats, writeResult } from './harness.ts';
import { corpusWords, generate, noteAt, queries } from './notes-corpus.ts';
import { benchDatabase } from './postgres-cluster.ts';

const SIZE = Number(process.env.NOTES_PG_SIZE ?? 100_000);
const TENANT = 'bench';
const LOAD_BATCH = 1000;

const rssMiB = () => Math.round((process.memoryUsage.rss() / 2 ** 20) * 10) / 10;
const ms = (value: number) => Math.round(value * 1000) / 1000;

/** Load notes 0 .. size-1 with multi-row inserts (create one by one would take most of an hour). */
async function load(url: string, size: number): Promise<void> {
  const { words, tags } = corpusWords();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let from = 0; from < size; from += LOAD_BATCH) {
      const notes = Array.from({ length: Math.min(LOAD_BATCH, size - from) }, (_, k) => noteAt(from + k, words, tags));
      await client.query(`BEGIN; SELECT set_config('mcp_notes.tenant', '${TENANT}', true)`);
      await client.query(
        `INSERT INTO notes (id, title, tags, tag_paths, body, excerpt, created, updated, version)
         SELECT id, title, string_to_array(tags, ' '), string_to_array(lower(tags), ' '), body,
                left(regexp_replace(body, '\\s+', ' ', 'g'), 160), created, created, 1
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
           AS t(id, title, tags, body, created)`,
        [
          notes.map((note) => note.id),
          notes.map((note) => note.title),
          notes.map((note) => note.tags.join(' ')),
          notes.map((note) => note.body),
          notes.map((note) => note.created),
        ],
      );
      await client.query(
        `INSERT INTO note_versions (id, version, title, tags, body, updated)
         SELECT id, 1, title, tags, body, updated FROM notes WHERE id = ANY($1)`,
        [notes.map((note) => note.id)],
      );
      await client.query('COMMIT');
    }
    await client.query('VACUUM ANALYZE notes');
    await client.query('VACUUM ANALYZE note_versions');
    // The search table the trigger filled: without statistics the planner guesses its size.
    await client.query('VACUUM ANALYZE note_search');
    await client.query('VACUUM ANALYZE note_counts');
  } finally {
    await client.end();
  }
}

function summary(stats: Record<string, VariantStats>) {
  return Object.fromEntries(
    Object.entries(stats).map(([name, value]) => [
      name,
      { medianMs: ms(value.medianMs), p95Ms: ms(value.p95Ms), operations: value.operations },
    ]),
  );
}

export default async function run(): Promise<void> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'notes-pg-bench-'));
  const dir = path.join(root, 'notes');
  await mkdir(dir);
  const database = await benchDatabase('notes_bench');
  let local: NoteStore | undefined;
  let remote: PgNoteStore | undefined;
  try {
    const rssStart = rssMiB();
    let t = performance.now();
    const corpus = await generate(dir, 0, SIZE);
    const generateMs = performance.now() - t;

    t = performance.now();
    local = await NoteStore.open({ dir, cacheDir: path.join(root, 'cache'), watch: false, rescanIntervalMs: 600_000 });
    await local.indexed();
    const localOpenMs = performance.now() - t;
    const rssLocal = rssMiB();

    t = performance.now();
    await migrateNotesDatabase({ url: database.url });
    await load(database.url, SIZE);
    const pgLoadMs = performance.now() - t;
    remote = await PgNoteStore.open({ url: database.url, tenant: TENANT });
    const rssBoth = rssMiB();
    const pgRssLoaded = database.serverRssMiB();
    console.log(
      `${SIZE} notes (${(corpus.bytes / 2 ** 20).toFixed(0)} MiB): generated in ${(generateMs / 1000).toFixed(1)} s, ` +
        `folder store opened and indexed in ${(localOpenMs / 1000).toFixed(1)} s (+${(rssLocal - rssStart).toFixed(0)} MiB RSS), ` +
        `PostgreSQL loaded in ${(pgLoadMs / 1000).toFixed(1)} s (cluster RSS ${pgRssLoaded.toFixed(0)} MiB)`,
    );
    const stores = { local, postgres: remote };

    // --- Ranking agreement --------------------------------------------------------------------------------------
    const rankingQueries = queries(corpus.words, 200);
    // noFuzzy: the same matching rules on both sides; unwindowed: and only queries the folder store ranked in full
    // (it ranks the 1,000 most recently changed matches of a query matching more).
    const agreement = {
      default: { overlap: 0, top1: 0, n: 0 },
      noFuzzy: { overlap: 0, top1: 0, n: 0 },
      noFuzzyUnwindowed: { overlap: 0, top1: 0, n: 0 },
    };
    let windowed = 0;
    let bothEmpty = 0;
    for (const query of rankingQueries) {
      const theirs = (await remote.search({ query, limit: 10 })).hits.map((hit) => hit.id);
      for (const [key, fuzzy] of [
        ['default', true],
        ['noFuzzy', false],
      ] as const) {
        const result = await local.search({ query, limit: 10, fuzzy });
        if (key === 'default' && result.windowed) windowed++;
        const ours = result.hits.map((hit) => hit.id);
        if (ours.length === 0 && theirs.length === 0) {
          if (key === 'default') bothEmpty++;
          continue;
        }
        const shared = ours.filter((id) => theirs.includes(id)).length;
        const keys = key === 'noFuzzy' && !result.windowed ? (['noFuzzy', 'noFuzzyUnwindowed'] as const) : [key];
        for (const k of keys) {
          agreement[k].overlap += shared / Math.max(ours.length, theirs.length);
          agreement[k].top1 += ours[0] !== undefined && ours[0] === theirs[0] ? 1 : 0;
          agreement[k].n++;
        }
      }
    }
    const ranking = Object.fromEntries(
      Object.entries(agreement).map(([key, value]) => [
        key,
        {
          queries: value.n,
          meanTop10Overlap: Math.round((value.overlap / value.n) * 1000) / 1000,
          top1Agreement: Math.round((value.top1 / value.n) * 1000) / 1000,
        },
      ]),
    );
    console.log(
      `ranking over ${rankingQueries.length} queries (${bothEmpty} empty in both, ${windowed} windowed by the folder store): ` +
        `top-10 overlap ${ranking.noFuzzy?.meanTop10Overlap} without fuzzy, ${ranking.default?.meanTop10Overlap} with, ` +
        `${ranking.noFuzzyUnwindowed?.meanTop10Overlap} without fuzzy on the ${ranking.noFuzzyUnwindowed?.queries} queries ranked in full; ` +
        `top-1 agreement ${ranking.noFuzzy?.top1Agreement} / ${ranking.default?.top1Agreement} / ${ranking.noFuzzyUnwindowed?.top1Agreement}`,
    );

    // --- Latency, side by side ---------------------------------------------------------------------------------
    const searchQueries = queries(corpus.words, 400);
    const phases: Record<string, unknown> = {};
    const ratios: Record<string, number> = {};
    const measure = async (name: string, op: (store: NoteStore | PgNoteStore, i: number) => Promise<unknown>) => {
      const counters = { local: 0, postgres: 0 };
      const stats = await compare(
        {
          local: () => op(stores.local, counters.local++),
          postgres: () => op(stores.postgres, counters.postgres++),
        },
        { batchSize: 20, batches: 8, warmupBatches: 2 },
      );
      ratios[name] = Math.round(pairedRatio(stats, 'postgres', 'local') * 100) / 100;
      phases[name] = {
        ...summary(stats),
        postgresOverLocal: ratios[name],
        rssMiB: rssMiB(),
        postgresRssMiB: Math.round(database.serverRssMiB()),
      };
      console.log(
        `${name}: folder ${ms(stats.local?.medianMs ?? Number.NaN)} ms, postgres ${ms(stats.postgres?.medianMs ?? Number.NaN)} ms (x${ratios[name]}) · RSS ${rssMiB()} MiB, cluster ${Math.round(database.serverRssMiB())} MiB`,
      );
    };
    await measure('search', (store, i) => store.search({ query: searchQueries[i % searchQueries.length] as string }));
    await measure('searchTag', (store, i) =>
      store.search({ query: searchQueries[i % searchQueries.length] as string, tag: corpus.tags[i % 40] as string }),
    );
    await measure('listFirstPage', (store) => store.list({ limit: 20 }));
    const cursors = {
      local: (await local.list({ limit: 20 })).nextCursor,
      postgres: (await remote.list({ limit: 20 })).nextCursor,
    };
    await measure('listSecondPage', (store) =>
      store.list({ limit: 20, cursor: (store === local ? cursors.local : cursors.postgres) as string }),
    );
    await measure('listByTitle', (store) => store.list({ sort: 'title', limit: 20 }));
    await measure('listByTag', (store, i) => store.list({ tag: corpus.tags[i % 40] as string, limit: 20 }));
    const { words } = corpusWords();
    await measure('create', (store, i) =>
      store.create({
        title: `bench ${words[i % 1000]} ${i}`,
        body: `${words[(i * 7) % 5000]} created by the benchmark`,
        tags: ['bench'],
      }),
    );
    const created = (await remote.list({ tag: 'bench', limit: 1 })).notes[0];
    const createdLocal = (await local.list({ tag: 'bench', limit: 1 })).notes[0];
    await measure('updateAppend', (store) =>
      store.update({ id: (store === local ? createdLocal?.id : created?.id) as string, append: 'one more line' }),
    );

    writeResult({
      name: 'notes-postgres',
      description: `The folder store and the PostgreSQL store side by side at ${SIZE} generated notes, through the store API in one process (alternating batches of 20). Times in ms per operation; postgresOverLocal is the paired ratio of medians; rssMiB is this process (both stores' clients, the folder store's index), postgresRssMiB the cluster's processes summed. Ranking: mean share of top-10 ids both stores return, and top-1 agreement, over 200 generated queries.`,
      results: {
        notes: SIZE,
        corpusMiB: Math.round(corpus.bytes / 2 ** 20),
        generateMs: Math.round(generateMs),
        folderOpenAndIndexMs: Math.round(localOpenMs),
        folderIndexRssGrowthMiB: Math.round(rssLocal - rssStart),
        postgresLoadMs: Math.round(pgLoadMs),
        postgresRssLoadedMiB: Math.round(pgRssLoaded),
        rssWithBothMiB: rssBoth,
        ranking: {
          queries: rankingQueries.length,
          emptyInBoth: bothEmpty,
          windowedByFolderStore: windowed,
          ...ranking,
        },
        phases,
      },
      targets: [
        {
          description: `PostgreSQL search median within 10x the folder store's at ${SIZE} notes (x${ratios.search})`,
          met: (ratios.search ?? Number.POSITIVE_INFINITY) <= 10,
        },
        {
          description: `PostgreSQL list (first page) median within 10x the folder store's (x${ratios.listFirstPage})`,
          met: (ratios.listFirstPage ?? Number.POSITIVE_INFINITY) <= 10,
        },
        {
          description: `ranking comparable: mean top-10 overlap without fuzzy, on queries the folder store ranks in full, >= 0.5 (${ranking.noFuzzyUnwindowed?.meanTop10Overlap})`,
          met: (ranking.noFuzzyUnwindowed?.meanTop10Overlap ?? 0) >= 0.5,
        },
      ],
    });
  } finally {
    await local?.close();
    await remote?.close();
    await database.dispose();
    await rm(root, { recursive: true, force: true });
  }
}
