#!/usr/bin/env node
// After `changeset version`: carry @mcp-packs/server's new version into its MCP Registry entry (server.json).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'apps', 'server');
const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const file = join(dir, 'server.json');
const entry = JSON.parse(readFileSync(file, 'utf8'));
entry.version = version;
for (const pkg of entry.packages) if (pkg.identifier === '@mcp-packs/server') pkg.version = version;
writeFileSync(file, `${JSON.stringify(entry, null, 2)}\n`);
