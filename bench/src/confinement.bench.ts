/**
 * What the filesystem pack's confinement by descriptor costs, side by side in one run:
 *
 * - ours vs the reference server (`@modelcontextprotocol/server-filesystem`) on the same small operations: a 1 KB
 *   read (target: ours/reference <= 1.0), a 100-entry listing, a ~460-entry tree and a file's info. Both servers run
 *   as child processes over stdio, each behind its own real SDK v2 client speaking 2025-11-25 (the only era the
 *   reference speaks), so both pay the same transport. Ours also runs in process over the in-memory transport, as
 *   `filesystem.bench.ts` measures it, for the record.
 * - the race-proofing's own cost: with `FS_BENCH_BASELINE=<a checkout of the code before it, installed>`, that
 *   checkout's pack is spawned the same way (`baseline`) and every operation is compared with it too, and the
 *   system calls each call makes are counted under strace (ours and baseline), so the cost is shown in calls as
 *   well as in time.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectPack } from '@mcp-packs/core/testing';
import { filesystemPack } from '@mcp-packs/filesystem';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { compare, pairedRatio, type VariantStats, writeResult } from './harness.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SERVER_SCRIPT = path.join(here, 'fs-stdio-server.ts');
const BATCH = 50;
const BATCHES = 25;

interface Spawned {
  client: Client;
  /** The tool name prefix: `fs_` for ours, none for the reference. */
  prefix: string;
  /** The server's process id (for its CPU time). */
  pid: number;
}

/** Spawn a server over stdio and connect a v2 client in the 2025 era (the default `legacy` negotiation). */
async function spawnServer(command: string, args: string[], cwd: string, prefix: string): Promise<Spawned> {
  const client = new Client({ name: 'bench', version: '0' });
  const transport = new StdioClientTransport({ command, args, cwd, stderr: 'ignore' });
  await client.connect(transport);
  return { client, prefix, pid: transport.pid as number };
}

/** CPU time (user + system, all threads) a process has used, in ms; Linux only (`/proc`), else NaN. */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime: fields 14 and 15 of stat, 12 and 13 after the command name; in clock ticks (USER_HZ, 100).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/**
 * The server's CPU time per call over `calls` calls, in µs: steadier than wall time on a shared machine, since it
 * does not count the time the server waits for a core. Median of `rounds`, the servers taking turns.
 */
async function cpuPerCall(
  servers: Record<string, { server: Spawned; tool: string; args: Record<string, unknown> }>,
  calls: number,
  rounds: number,
): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(servers).map((key) => [key, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [key, { server, tool, args }] of Object.entries(servers)) {
      const before = cpuMs(server.pid);
      for (let i = 0; i < calls; i++) await call(server, tool, args);
      samples[key]?.push(((cpuMs(server.pid) - before) * 1000) / calls);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  return Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, Math.round(median(values))]));
}

/** Our pack from a checkout (`bench/` of it, installed), from its sources through tsx. */
function oursFrom(benchDir: string, script: string, roots: string[], wrapper: string[] = []): Promise<Spawned> {
  const args = ['--import', 'tsx', '--conditions=@mcp-packs/source', script, ...roots];
  const [command, ...rest] = wrapper.length > 0 ? [...wrapper, process.execPath, ...args] : [process.execPath, ...args];
  return spawnServer(command as string, rest, benchDir, 'fs_');
}

async function call(server: Spawned, tool: string, args: Record<string, unknown>) {
  const result = await server.client.callTool({ name: `${server.prefix}${tool}`, arguments: args });
  if (result.isError)
    throw new Error(`${server.prefix}${tool} failed: ${JSON.stringify(result.content).slice(0, 300)}`);
  return result;
}

/** The tree: `list/` with 100 files, `tree/` three levels deep (8 × 8 directories, 6 files each: 456 entries). */
async function buildRoot(root: string): Promise<void> {
  await mkdir(path.join(root, 'list'), { recursive: true });
  await writeFile(path.join(root, 'one-kb.txt'), `${'confinement bench line\n'.repeat(46)}`.padEnd(1024, '.'));
  for (let i = 0; i < 100; i++) await writeFile(path.join(root, 'list', `file-${i}.txt`), `file ${i}\n`);
  for (let a = 0; a < 8; a++) {
    for (let b = 0; b < 8; b++) {
      const dir = path.join(root, 'tree', `a${a}`, `b${b}`);
      await mkdir(dir, { recursive: true });
      for (let f = 0; f < 6; f++) await writeFile(path.join(dir, `f${f}.txt`), `${a}/${b}/${f}\n`);
    }
  }
}

/** File-system system calls (not the stdio pipe's reads and writes, nor the event loop's waits). */
const FS_CALLS =
  /^(openat|open|readlink|readlinkat|newfstatat|fstat|statx|lstat|stat|getdents64|access|faccessat2?|pread64|close)$/;

/**
 * System calls per operation, counted under `strace -f` between two marker calls (reads of names that do not exist),
 * after a warm-up. Returns, per operation, all calls and file-system calls per call, and the file-system calls by name.
 */
async function countSyscalls(
  spawn: (wrapper: string[]) => Promise<Spawned>,
  root: string,
  ops: Record<string, [string, Record<string, unknown>]>,
  log: string,
): Promise<Record<string, { all: number; fs: number; byName: Record<string, number> }>> {
  const server = await spawn(['strace', '-f', '-qq', '-o', log]);
  const N = 40;
  try {
    for (const [tool, args] of Object.values(ops)) for (let i = 0; i < 10; i++) await call(server, tool, args);
    for (const [name, [tool, args]] of Object.entries(ops)) {
      const mark = (end: string) =>
        server.client.callTool({
          name: `${server.prefix}get_file_info`,
          arguments: { path: path.join(root, `MARK-${name}-${end}`) },
        });
      await mark('start');
      for (let i = 0; i < N; i++) await call(server, tool, args);
      await mark('end');
    }
  } finally {
    await server.client.close();
  }
  // strace writes its log as the traced process exits; give it a moment.
  for (let i = 0; i < 50 && !readFileSync(log, 'utf8').includes('+++ exited'); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const lines = readFileSync(log, 'utf8').split('\n');
  const out: Record<string, { all: number; fs: number; byName: Record<string, number> }> = {};
  for (const name of Object.keys(ops)) {
    const start = lines.findIndex((line) => line.includes(`MARK-${name}-start`));
    const end = lines.findIndex((line) => line.includes(`MARK-${name}-end`));
    const byName: Record<string, number> = {};
    let all = 0;
    let fs = 0;
    for (const line of lines.slice(start + 1, end)) {
      const syscall = /^\d+\s+(?:<\.\.\. )?([a-z0-9_]+)[( ]/.exec(line)?.[1];
      if (!syscall || line.includes('resumed>') || syscall === 'exited') continue;
      all++;
      if (FS_CALLS.test(syscall)) {
        fs++;
        byName[syscall] = (byName[syscall] ?? 0) + 1;
      }
    }
    const per = (value: number) => Math.round((value / N) * 10) / 10;
    out[name] = {
      all: per(all),
      fs: per(fs),
      byName: Object.fromEntries(Object.entries(byName).map(([key, value]) => [key, per(value)])),
    };
  }
  return out;
}

const hasStrace = () => {
  try {
    execFileSync('strace', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

export default async function run(): Promise<void> {
  const base = await mkdtemp(path.join(tmpdir(), 'fs-confinement-bench-'));
  const root = path.join(base, 'root');
  const baselineDir = process.env.FS_BENCH_BASELINE;
  const servers: Spawned[] = [];
  try {
    await buildRoot(root);
    const referenceEntry = createRequire(import.meta.url).resolve(
      '@modelcontextprotocol/server-filesystem/dist/index.js',
    );
    const referenceVersion = (
      JSON.parse(readFileSync(path.join(path.dirname(referenceEntry), '..', 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
    const reference = await spawnServer(process.execPath, [referenceEntry, root], base, '');
    servers.push(reference);
    const spawnOurs = (wrapper: string[] = []) => oursFrom(path.dirname(here), SERVER_SCRIPT, [root], wrapper);
    const ours = await spawnOurs();
    servers.push(ours);
    let spawnBaseline: ((wrapper?: string[]) => Promise<Spawned>) | undefined;
    let baseline: Spawned | undefined;
    if (baselineDir) {
      // The baseline checkout predates this script: put a copy in its bench/src, where its own packages resolve.
      const script = path.join(baselineDir, 'bench', 'src', '.fs-stdio-server.ts');
      if (!existsSync(path.join(baselineDir, 'bench', 'node_modules')))
        throw new Error(`${baselineDir} is not installed`);
      copyFileSync(SERVER_SCRIPT, script);
      spawnBaseline = (wrapper: string[] = []) => oursFrom(path.join(baselineDir, 'bench'), script, [root], wrapper);
      baseline = await spawnBaseline();
      servers.push(baseline);
    }
    await using inProcess = await connectPack(filesystemPack, {
      config: { roots: [root] },
      protocol: '2025-11-25',
      logSink: () => {},
    });
    const protocols = {
      reference: reference.client.getNegotiatedProtocolVersion(),
      ours: ours.client.getNegotiatedProtocolVersion(),
      ...(baseline ? { baseline: baseline.client.getNegotiatedProtocolVersion() } : {}),
    };
    console.log('negotiated', protocols);

    const file = path.join(root, 'one-kb.txt');
    const ops: Record<string, [string, Record<string, unknown>]> = {
      read1KB: ['read_text_file', { path: file }],
      list100: ['list_directory', { path: path.join(root, 'list') }],
      tree456: ['directory_tree', { path: path.join(root, 'tree') }],
      info: ['get_file_info', { path: file }],
    };
    /** Our own arguments where they differ (a tree with room for all 456 entries). */
    const oursArgs: Record<string, Record<string, unknown>> = {
      tree456: { path: path.join(root, 'tree'), maxEntries: 20_000 },
    };
    const read = await call(ours, 'read_text_file', { path: file });
    if (!JSON.stringify(read.content).includes('confinement bench line')) throw new Error('ours read something else');

    const results: Record<string, unknown> = {};
    const targets: { description: string; met: boolean }[] = [];
    for (const [name, [tool, args]] of Object.entries(ops)) {
      const own = oursArgs[name] ?? args;
      const variants: Record<string, () => Promise<unknown>> = {
        reference: () => call(reference, tool, args),
        ours: () => call(ours, tool, own),
        oursInProcess: async () => {
          const result = await inProcess.callTool(tool, own);
          if (result.isError) throw new Error(`in process ${tool} failed`);
        },
      };
      if (baseline) variants.baseline = () => call(baseline, tool, own);
      const stats: Record<string, VariantStats> = await compare(variants, {
        batchSize: BATCH,
        batches: BATCHES,
        warmupBatches: 3,
      });
      const ratios = {
        oursVsReference: pairedRatio(stats, 'ours', 'reference'),
        oursInProcessVsReference: pairedRatio(stats, 'oursInProcess', 'reference'),
        ...(baseline
          ? {
              oursVsBaseline: pairedRatio(stats, 'ours', 'baseline'),
              baselineVsReference: pairedRatio(stats, 'baseline', 'reference'),
            }
          : {}),
      };
      const cpu = await cpuPerCall(
        {
          reference: { server: reference, tool, args },
          ours: { server: ours, tool, args: own },
          ...(baseline ? { baseline: { server: baseline, tool, args: own } } : {}),
        },
        name === 'tree456' ? 100 : 1000,
        3,
      );
      results[name] = {
        ...stats,
        pairedRatios: ratios,
        serverCpuUsPerCall: cpu,
        cpuRatios: {
          oursVsReference: (cpu.ours ?? Number.NaN) / (cpu.reference ?? Number.NaN),
          ...(baseline ? { oursVsBaseline: (cpu.ours ?? Number.NaN) / (cpu.baseline ?? Number.NaN) } : {}),
        },
      };
      const ms = (key: string) => stats[key]?.medianMs.toFixed(3);
      console.log(
        `${name}: reference ${ms('reference')} ms, ours ${ms('ours')} ms (${ratios.oursVsReference.toFixed(2)}x)` +
          (baseline ? `, baseline ${ms('baseline')} ms (ours/baseline ${ratios.oursVsBaseline?.toFixed(2)}x)` : '') +
          `, ours in process ${ms('oursInProcess')} ms (${ratios.oursInProcessVsReference.toFixed(2)}x); ` +
          `server CPU µs/call ${JSON.stringify(cpu)}`,
      );
      if (name === 'read1KB') {
        const cpuRatio = (cpu.ours ?? Number.NaN) / (cpu.reference ?? Number.NaN);
        targets.push(
          {
            description: `1 KB read, ours/reference over stdio ${ratios.oursVsReference.toFixed(2)} <= 1.0`,
            met: ratios.oursVsReference <= 1,
          },
          {
            description: `1 KB read, server CPU per call ours/reference ${cpuRatio.toFixed(2)} <= 1.0`,
            met: cpuRatio <= 1,
          },
        );
      }
    }

    // Our depth-3 listing, which the reference has no equivalent of: before vs after only.
    if (baseline) {
      const deep = { path: path.join(root, 'tree'), depth: 3, limit: 2000 };
      const stats = await compare(
        { ours: () => call(ours, 'list_directory', deep), baseline: () => call(baseline, 'list_directory', deep) },
        { batchSize: 20, batches: BATCHES, warmupBatches: 3 },
      );
      const ratio = pairedRatio(stats, 'ours', 'baseline');
      results.listDepth3 = { ...stats, pairedRatios: { oursVsBaseline: ratio } };
      console.log(
        `list depth 3 (456 entries): ours ${stats.ours?.medianMs.toFixed(2)} ms, baseline ${stats.baseline?.medianMs.toFixed(2)} ms (${ratio.toFixed(2)}x)`,
      );
    }

    for (const server of servers) await server.client.close();
    servers.length = 0;

    if (hasStrace() && process.env.FS_BENCH_SYSCALLS !== '0') {
      const syscallOps = { ...ops, tree456: ['directory_tree', oursArgs.tree456] as [string, Record<string, unknown>] };
      const syscalls: Record<string, unknown> = {
        ours: await countSyscalls(spawnOurs, root, syscallOps, path.join(base, 'strace-ours.log')),
      };
      if (spawnBaseline) {
        syscalls.baseline = await countSyscalls(
          spawnBaseline,
          root,
          syscallOps,
          path.join(base, 'strace-baseline.log'),
        );
      }
      results.syscallsPerCall = syscalls;
      console.log('file-system syscalls per call', JSON.stringify(syscalls));
    }

    writeResult({
      name: 'confinement',
      description: `The filesystem pack's confinement by descriptor: ours vs @modelcontextprotocol/server-filesystem@${referenceVersion} (reference), both spawned over stdio, each behind a real SDK v2 client in the 2025-11-25 era; ours in process (in-memory transport) for the record; with FS_BENCH_BASELINE, the pack before race-proofing (baseline) spawned the same way. ${BATCHES} batches of ${BATCH} sequential calls per variant, interleaved; ratios are paired per batch. Root: a 1 KB text file, a 100-file directory, a 3-level tree of 456 entries. Server CPU per call from /proc/<pid>/stat over 1,000 calls (100 for the tree), median of 3 rounds. Syscalls counted under strace -f over 40 calls after a warm-up (fs = file-system calls only).`,
      results: { protocols, baseline: baselineDir ?? null, ...results },
      targets,
    });
  } finally {
    for (const server of servers) await server.client.close().catch(() => {});
    await rm(base, { recursive: true, force: true });
  }
}
