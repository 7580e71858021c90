/**
 * Where the bytes of a tools/list go: each listed tool split into its parts (name, title, description, input schema
 * with its parameter descriptions counted apart, output schema, annotations, `_meta`, anything else), in UTF-8 bytes
 * of the JSON a server sends. Used by the listing benchmark; plain functions over JSON, no SDK.
 */

/** A tool as listed (JSON). */
export type ListedToolJson = Record<string, unknown> & { name: string };

/** The parts a listed tool is split into. */
export const PARTS = [
  'name',
  'title',
  'description',
  'inputSchema',
  'paramDescriptions',
  'outputSchema',
  'annotations',
  '_meta',
  'other',
] as const;
export type Part = (typeof PARTS)[number];
export type PartBytes = Record<Part, number>;

export const bytesOf = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

/** `"key":value,` as it sits in an object. */
const memberBytes = (key: string, value: unknown): number => bytesOf(key) + 1 + bytesOf(value) + 1;

/** Bytes of every `"description":"…",` inside a JSON Schema (its own, its properties', nested ones). */
export function descriptionBytes(schema: unknown, root = true): number {
  if (Array.isArray(schema)) return schema.reduce((sum: number, item) => sum + descriptionBytes(item, false), 0);
  if (typeof schema !== 'object' || schema === null) return 0;
  let sum = 0;
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description' && typeof value === 'string' && !root) sum += memberBytes(key, value);
    else if (key !== 'enum' && key !== 'const' && key !== 'default' && key !== 'examples') {
      sum += descriptionBytes(value, false);
    }
  }
  return sum;
}

function zero(): PartBytes {
  return Object.fromEntries(PARTS.map((part) => [part, 0])) as PartBytes;
}

/**
 * One tool's bytes by part. `inputSchema` excludes the parameter descriptions (`paramDescriptions`); `other` holds
 * what no part names (braces, unknown keys such as `execution` or `icons`). The parts add up to `bytesOf(tool)`.
 */
export function toolParts(tool: ListedToolJson): PartBytes {
  const parts = zero();
  for (const [key, value] of Object.entries(tool)) {
    const bytes = memberBytes(key, value);
    if (key === 'inputSchema') {
      const described = descriptionBytes(value);
      parts.inputSchema += bytes - described;
      parts.paramDescriptions += described;
    } else if ((PARTS as readonly string[]).includes(key) && key !== 'other' && key !== 'paramDescriptions') {
      parts[key as Part] += bytes;
    } else parts.other += bytes;
  }
  const counted = PARTS.reduce((sum, part) => sum + parts[part], 0);
  parts.other += bytesOf(tool) - counted;
  return parts;
}

/** Bytes by part, summed over tools. */
export function sumParts(tools: readonly ListedToolJson[]): PartBytes {
  const total = zero();
  for (const tool of tools) {
    const parts = toolParts(tool);
    for (const part of PARTS) total[part] += parts[part];
  }
  return total;
}

/** Each part as a share of the whole, in percent with one decimal. */
export function shares(parts: PartBytes): Record<Part, number> {
  const whole = PARTS.reduce((sum, part) => sum + parts[part], 0);
  return Object.fromEntries(
    PARTS.map((part) => [part, whole === 0 ? 0 : Math.round((parts[part] / whole) * 1000) / 10]),
  ) as Record<Part, number>;
}
