#!/usr/bin/env node
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createServer } from './create-server.js';
import { defaultPacks } from './default-packs.js';
import { VERSION } from './version.js';

const HELP = `mcp-packs ${VERSION}: serve MCP tool packs over stdio.

Usage: mcp-packs [--help] [--version]

Starts an MCP server on stdin/stdout with the default packs. Logs go to stderr.
`;

async function main(argv: readonly string[]): Promise<number | undefined> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write(HELP);
    return 0;
  }
  if (argv.includes('--version') || argv.includes('-v')) {
    process.stderr.write(`${VERSION}\n`);
    return 0;
  }
  const unknown = argv.find((arg) => arg !== '--');
  if (unknown !== undefined) {
    process.stderr.write(`mcp-packs: unknown argument ${JSON.stringify(unknown)}\n\n${HELP}`);
    return 2;
  }
  const composed = await createServer(defaultPacks());
  const transport = new StdioServerTransport();
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await composed.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop);
  await composed.server.connect(transport);
  process.stderr.write(`mcp-packs: serving ${composed.mounts.length} pack(s) on stdio\n`);
  return undefined;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`mcp-packs: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
