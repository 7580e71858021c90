import { type RequestContext, ToolError } from '@mcp-packs/core';
import { defineResource, defineResourceTemplate } from '../define.js';
import type { Catalog, CatalogEntry } from '../engine/catalog.js';
import { DISABLED_FUNCTIONS } from '../engine/disabled.js';
import type { MathServices } from '../services.js';

function summary(entry: CatalogEntry): string {
  const sentence = /^(.*?[.!?])(\s|$)/.exec(entry.description)?.[1] ?? entry.description;
  return sentence.length > 140 ? `${sentence.slice(0, 137)}...` : sentence;
}

function grouped(entries: readonly CatalogEntry[], line: (entry: CatalogEntry) => string): string[] {
  const lines: string[] = [];
  let category: string | undefined;
  for (const entry of entries) {
    if (entry.category !== category) {
      category = entry.category;
      lines.push('', `## ${category}`, '');
    }
    lines.push(line(entry));
  }
  return lines;
}

/** The catalog as Markdown, grouped by category, one line per function or constant. */
function catalogMarkdown(catalog: Catalog, functionUri: string): string {
  return [
    '# Functions and constants for math expressions',
    '',
    'Call functions by name (sqrt(2)), ^ for powers, units after numbers (5 cm), matrices as [1, 2; 3, 4] with 1-based indices.',
    `Disabled inside expressions: ${Object.keys(DISABLED_FUNCTIONS).join(', ')} (the simplify and derivative tools do those jobs).`,
    `Details of one function, with examples: ${functionUri}.`,
    ...grouped(catalog.functions, (entry) => `- \`${entry.syntax[0] ?? entry.name}\`: ${summary(entry)}`),
    '',
    '# Constants',
    ...grouped(catalog.constants, (entry) => `- \`${entry.name}\`: ${summary(entry)}`),
    '',
  ].join('\n');
}

/** One function or constant as Markdown. */
function entryMarkdown(entry: CatalogEntry): string {
  const lines = [`# ${entry.name}`, '', `Category: ${entry.category}`, '', entry.description, '', 'Syntax:', ''];
  for (const syntax of entry.syntax) lines.push(`    ${syntax}`);
  if (entry.examples.length > 0) {
    lines.push('', 'Examples:', '');
    for (const example of entry.examples) lines.push(`    ${example}`);
  }
  if (entry.seealso.length > 0) lines.push('', `See also: ${entry.seealso.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

async function findEntry(context: RequestContext<MathServices>, name: string): Promise<CatalogEntry | undefined> {
  const catalog = await context.services.catalog(context.signal);
  return [...catalog.functions, ...catalog.constants].find((entry) => entry.name === name);
}

/** `math://functions`: every function and constant an expression may use. */
export const functionsResource = defineResource({
  uri: 'math://functions',
  title: 'Math functions and constants',
  description:
    'Every function and constant math expressions may use, by category, with syntax and a one-line description; and what is disabled in the sandbox.',
  mimeType: 'text/markdown',
  read: async (_uri, context) =>
    catalogMarkdown(await context.services.catalog(context.signal), context.resourceUri('math://functions/{name}')),
});

/** `math://functions/{name}`: one function or constant, with syntax, description and examples. */
export const functionResource = defineResourceTemplate({
  uriTemplate: 'math://functions/{name}',
  title: 'One math function',
  description: 'One function or constant of math expressions: syntax, description, examples, related functions.',
  mimeType: 'text/markdown',
  complete: {
    name: async (value, { services }) => {
      const catalog = await services.catalog();
      const lower = value.toLowerCase();
      return [...catalog.functions, ...catalog.constants]
        .map((entry) => entry.name)
        .filter((name) => name.toLowerCase().startsWith(lower));
    },
  },
  read: async (_uri, { name }, context) => {
    const decoded = decodeURIComponent(name ?? '');
    const entry = await findEntry(context, decoded);
    if (!entry) {
      const reason = DISABLED_FUNCTIONS[decoded];
      throw new ToolError(
        reason
          ? `${decoded} is disabled in math expressions: ${reason}.`
          : `No function or constant named "${decoded}".`,
        { code: 'not_found', hint: `Read ${context.resourceUri('math://functions')} for the list.` },
      );
    }
    return entryMarkdown(entry);
  },
});
