import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const read = (file: string) => JSON.parse(readFileSync(join(ROOT, file), 'utf8'));

describe('MCP Registry entry (server.json)', () => {
  it('names the package by its mcpName and carries its version (scripts/sync-server-json.mjs keeps it so)', () => {
    const manifest = read('package.json');
    const entry = read('server.json');
    expect(entry.name).toBe(manifest.mcpName);
    expect(entry.version).toBe(manifest.version);
    expect(entry.packages).toEqual([
      expect.objectContaining({ registryType: 'npm', identifier: manifest.name, version: manifest.version }),
    ]);
    expect(manifest.files).toContain('server.json');
  });
});
