/**
 * Write `schema.json`, the JSON Schema of the config file, from the zod schema (`pnpm --filter @mcp-packs/server
 * schema`). A test fails when the checked-in file is out of date.
 */
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../src/config/schema.ts';

const file = new URL('../schema.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.error(`wrote ${file.pathname}`);
