/**
 * The files of a new pack package (`mcp-packs pack new`): one working tool with its tests, a surface snapshot
 * test, a README, and scripts to build, test and check it. Everything it needs comes from npm.
 */

/** What the template is filled in with. */
export interface TemplateValues {
  /** The npm package name. */
  packageName: string;
  /** The pack's name (also its default prefix). */
  packName: string;
  /** Version ranges of the packages the new pack depends on. */
  versions: { core: string; server: string; sdk: string; zod: string; typescript: string; vitest: string };
}

function packageJson(v: TemplateValues): string {
  const json = {
    name: v.packageName,
    version: '0.1.0',
    description: `An MCP tool pack: ${v.packName}.`,
    keywords: ['mcp', 'mcp-packs', 'mcp-pack', 'model-context-protocol'],
    license: 'MIT',
    type: 'module',
    engines: { node: '>=22.12' },
    exports: {
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      './package.json': './package.json',
    },
    files: ['dist'],
    scripts: {
      build: 'tsc -p tsconfig.build.json',
      typecheck: 'tsc -p tsconfig.json',
      test: 'vitest run',
      check: 'npm run build && mcp-packs pack check .',
      prepublishOnly: 'npm run typecheck && npm test && npm run check',
    },
    peerDependencies: { '@mcp-packs/core': v.versions.core, zod: v.versions.zod },
    devDependencies: {
      '@mcp-packs/core': v.versions.core,
      '@mcp-packs/server': v.versions.server,
      '@modelcontextprotocol/client': v.versions.sdk,
      '@modelcontextprotocol/server': v.versions.sdk,
      '@types/node': '^24.0.0',
      typescript: v.versions.typescript,
      vitest: v.versions.vitest,
      zod: v.versions.zod,
    },
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

const TSCONFIG = `{
  "compilerOptions": {
    "target": "ES2023",
    "lib": ["ES2023", "ESNext.Disposable"],
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "types": ["node"],
    "strict": true,
    "noUncheckedIndexedAccess": true,
    "verbatimModuleSyntax": true,
    "skipLibCheck": true,
    "declaration": true,
    "noEmit": true
  },
  "include": ["src"]
}
`;

const TSCONFIG_BUILD = `{
  "extends": "./tsconfig.json",
  "compilerOptions": { "noEmit": false, "rootDir": "src", "outDir": "dist" },
  "exclude": ["src/**/*.test.ts"]
}
`;

function indexTs(v: TemplateValues): string {
  return `import { definePack, ToolError } from '@mcp-packs/core';
import { z } from 'zod';

/** The ${v.packName} pack. Mount it with mountPack, or name "${v.packageName}" in an mcp-packs config file. */
export const pack = definePack({
  name: '${v.packName}',
  description: 'Counts the words, lines and characters of a text.',
  configSchema: z.object({
    maxChars: z
      .number()
      .int()
      .positive()
      .default(1_000_000)
      .describe('The longest text count_words accepts, in characters.'),
  }),
  setup: ({ config }) => ({ maxChars: config.maxChars }),
  tools: ({ defineTool }) => ({
    count_words: defineTool({
      description:
        'Count the words, lines and characters of a text. Use it when exact counts matter (length limits, ' +
        'summaries of a given size); a word is a run of letters, digits, apostrophes or hyphens.',
      inputSchema: z.object({ text: z.string().describe('The text to count.') }),
      outputSchema: z.object({ words: z.number(), lines: z.number(), characters: z.number() }),
      annotations: { readOnlyHint: true, openWorldHint: false },
      execute: ({ text }, { services }) => {
        const characters = [...text].length;
        if (characters > services.maxChars) {
          throw new ToolError(\`The text has \${characters} characters; the limit is \${services.maxChars}.\`, {
            code: 'text_too_long',
            hint: 'Count the text in parts and add the counts up.',
          });
        }
        const words = text.match(/[\\p{L}\\p{N}'’-]+/gu)?.length ?? 0;
        const lines = text === '' ? 0 : text.split(/\\r\\n|\\r|\\n/).length;
        return { words, lines, characters };
      },
    }),
  }),
});

export default pack;
`;
}

function indexTestTs(): string {
  return `import { checkPack } from '@mcp-packs/core';
import { connectPack, errorCode, structured, surfaceSnapshot } from '@mcp-packs/core/testing';
import { describe, expect, it } from 'vitest';
import { pack } from './index.js';

describe('count_words', () => {
  it('counts words, lines and characters', async () => {
    await using conn = await connectPack(pack);
    const result = await conn.callTool('count_words', { text: "It's a well-known fact.\\nTwo lines." });
    expect(structured(result)).toEqual({ words: 6, lines: 2, characters: 34 });
  });

  it('refuses a text over the configured limit, with a hint', async () => {
    await using conn = await connectPack(pack, { config: { maxChars: 5 } });
    const result = await conn.callTool('count_words', { text: 'too long' });
    expect(result.isError).toBe(true);
    expect(errorCode(result)).toBe('text_too_long');
  });
});

// What clients see, committed: a change to a name, description or schema shows up in review.
describe('surface', () => {
  it('matches the committed snapshot', async () => {
    await expect(await surfaceSnapshot(pack)).toMatchFileSnapshot('./__snapshots__/surface.json');
  });

  it('passes the pack linter', () => {
    expect(checkPack(pack).filter((finding) => finding.level === 'error')).toEqual([]);
  });
});
`;
}

function readme(v: TemplateValues): string {
  return `# ${v.packageName}

An [mcp-packs](https://github.com/mcp-packs/mcp-packs) tool pack: it gives an AI assistant tools over MCP.

## Tools

| Tool | What it does |
| --- | --- |
| \`${v.packName}_count_words\` | Counts the words, lines and characters of a text. |

(Tool names carry the mount's prefix, \`${v.packName}\` by default.)

## Config

| Key | Default | Meaning |
| --- | --- | --- |
| \`maxChars\` | \`1000000\` | The longest text \`count_words\` accepts, in characters. |

## Use it

In an \`mcp-packs\` config file (\`npm install ${v.packageName}\` beside it):

\`\`\`jsonc
{
  "packs": [{ "use": "${v.packageName}", "config": { "maxChars": 200000 } }]
}
\`\`\`

Or in your own server:

\`\`\`ts
import { mountPack } from '@mcp-packs/core/host';
import { pack } from '${v.packageName}';

await mountPack(server, pack, { config: { maxChars: 200000 } });
\`\`\`

## Develop

\`\`\`sh
npm install
npm test            # the tool through a real MCP client, and the surface snapshot
npm run check       # build, then mcp-packs pack check: lint, smoke mount, snapshot diff
\`\`\`

When you change what clients see on purpose, run \`npx vitest run -u\` (or \`npx mcp-packs pack check . --update\`)
and commit the snapshot: \`pack check\` names the version bump the change needs.
`;
}

const GITIGNORE = 'node_modules/\ndist/\n';

/** The files of the new package, by path relative to its folder. */
export function templateFiles(values: TemplateValues): Record<string, string> {
  return {
    'package.json': packageJson(values),
    'tsconfig.json': TSCONFIG,
    'tsconfig.build.json': TSCONFIG_BUILD,
    'src/index.ts': indexTs(values),
    'src/index.test.ts': indexTestTs(),
    'README.md': readme(values),
    '.gitignore': GITIGNORE,
  };
}
