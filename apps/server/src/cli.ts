#!/usr/bin/env node
/**
 * The `mcp-packs` executable. Turns on Node's compile cache (Node >= 22.1) before anything heavy is imported: the
 * SDK and zod dominate cold start, and cached bytecode cuts their load time on every start after the first.
 */
import module from 'node:module';

module.enableCompileCache?.();
const { run } = await import('./main.js');
run(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `mcp-packs: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
