import { createRequire } from 'node:module';

type JsoncParser = typeof import('jsonc-parser');
let parser: JsoncParser | undefined;

/** jsonc-parser, loaded on first use: the built-in default config has no file to parse (it costs ~4 ms to load). */
export function jsonc(): JsoncParser {
  parser ??= createRequire(import.meta.url)('jsonc-parser') as JsoncParser;
  return parser;
}
