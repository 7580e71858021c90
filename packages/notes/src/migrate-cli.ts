#!/usr/bin/env node
/**
 * `mcp-packs-notes-migrate`: apply (or undo) the notes pack's PostgreSQL schema migrations.
 *
 *   mcp-packs-notes-migrate [up|down] [--url postgres://...] [--count N] [--dry-run]
 *
 * The URL defaults to MCP_PACKS_NOTES_DATABASE_URL, then DATABASE_URL. `up` applies every pending migration; `down`
 * undoes the last one (or `--count`). Safe while servers run: migrations take an advisory lock and one transaction.
 */
import { parseArgs } from 'node:util';
import { migrateNotesDatabase } from './store/pg/migrate.js';

const USAGE =
  'usage: mcp-packs-notes-migrate [up|down] [--url postgres://user:password@host:port/db] [--count N] [--dry-run]';

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const direction = positionals[0] ?? 'up';
  if ((direction !== 'up' && direction !== 'down') || positionals.length > 1) {
    process.stderr.write(`unknown command ${positionals.join(' ')}\n${USAGE}\n`);
    return 2;
  }
  const url = values.url ?? process.env.MCP_PACKS_NOTES_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write(`no database: pass --url, or set MCP_PACKS_NOTES_DATABASE_URL or DATABASE_URL\n${USAGE}\n`);
    return 2;
  }
  const count = values.count === undefined ? undefined : Number(values.count);
  if (count !== undefined && !(Number.isSafeInteger(count) && count >= 1)) {
    process.stderr.write(`--count must be a positive integer, got ${values.count}\n`);
    return 2;
  }
  try {
    const { applied } = await migrateNotesDatabase({
      url,
      direction,
      ...(count === undefined ? {} : { count }),
      dryRun: values['dry-run'] ?? false,
      log: (message) => process.stderr.write(`${message}\n`),
    });
    const verb = direction === 'up' ? 'applied' : 'undone';
    process.stdout.write(
      applied.length === 0 ? 'The notes schema is up to date.\n' : `${verb}: ${applied.join(', ')}\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

function parse() {
  return parseArgs({
    options: {
      url: { type: 'string' },
      count: { type: 'string' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
}

process.exitCode = await main();
