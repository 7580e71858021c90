/**
 * The pack author's linter: what `definePack` accepts but a good pack should not ship. Errors break clients
 * (names too long once prefixed, schemas that cannot be listed or that recurse); warnings cost the model (missing
 * descriptions, unclear annotations, keywords some major clients reject).
 */
import { listedJsonSchema } from './json-schema.js';
import { FINAL_NAME_PATTERN, finalName } from './naming.js';
import { type AnyPack, isPack } from './pack.js';

/** One finding of {@link checkPack}. */
export interface PackFinding {
  level: 'error' | 'warning';
  /** Where, as a path into the pack: `tools.read_file.inputSchema.properties.path`. */
  where: string;
  message: string;
}

/** Options of {@link checkPack}. */
export interface CheckPackOptions {
  /** Prefixes the pack will be mounted under; names are checked with each. Default: the pack's default prefix. */
  prefixes?: readonly (string | null)[];
}

/**
 * JSON Schema keywords that some major MCP clients or model providers reject or ignore in tool schemas. Using
 * them is allowed, but worth a second look.
 */
export const NON_PORTABLE_KEYWORDS = [
  'patternProperties',
  'propertyNames',
  'dependentSchemas',
  'dependentRequired',
  'dependencies',
  'if',
  'then',
  'else',
  'not',
  'unevaluatedProperties',
  'unevaluatedItems',
  'contains',
  '$dynamicRef',
] as const;

const MIN_DESCRIPTION = 20;
const MAX_DESCRIPTION = 2000;

type Json = Record<string, unknown>;

function walk(node: unknown, path: string, visit: (node: Json, path: string) => void): void {
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) walk(item, `${path}[${index}]`, visit);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  visit(node as Json, path);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'enum' || key === 'const' || key === 'default' || key === 'examples') continue;
    walk(value, path ? `${path}.${key}` : key, visit);
  }
}

function refTarget(root: Json, ref: string): string | undefined {
  const match = /^#\/(definitions|\$defs)\/(.+)$/.exec(ref);
  return match && (root[match[1] as string] as Json | undefined)?.[match[2] as string] !== undefined
    ? `${match[1]}/${match[2]}`
    : undefined;
}

function hasRefCycle(root: Json): boolean {
  const edges = new Map<string, Set<string>>();
  const collect = (from: string, node: unknown) =>
    walk(node, '', (child) => {
      const target = typeof child.$ref === 'string' ? refTarget(root, child.$ref) : undefined;
      if (target) {
        if (!edges.has(from)) edges.set(from, new Set());
        edges.get(from)?.add(target);
      }
    });
  for (const group of ['definitions', '$defs'] as const) {
    for (const [name, definition] of Object.entries((root[group] as Json | undefined) ?? {})) {
      collect(`${group}/${name}`, definition);
    }
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (node: string): boolean => {
    if (state.get(node) === 'visiting') return true;
    if (state.get(node) === 'done') return false;
    state.set(node, 'visiting');
    for (const next of edges.get(node) ?? []) if (visit(next)) return true;
    state.set(node, 'done');
    return false;
  };
  return [...edges.keys()].some(visit);
}

function checkSchema(
  findings: PackFinding[],
  where: string,
  schema: unknown,
  io: 'input' | 'output',
  describe: boolean,
) {
  const listed = listedJsonSchema(schema, io);
  if ('error' in listed) {
    findings.push({
      level: 'error',
      where,
      message: `cannot be listed as JSON Schema (${listed.error}); use JSON-representable types (e.g. an ISO string instead of a Date)`,
    });
    return;
  }
  const json = listed.schema;
  if (json.type !== 'object')
    findings.push({ level: 'error', where, message: 'must be a JSON Schema of type "object"' });
  if (hasRefCycle(json)) {
    findings.push({
      level: 'error',
      where,
      message: 'is recursive ($ref cycle); many clients cannot handle recursive tool schemas, flatten it',
    });
  } else if (json.definitions !== undefined || json.$defs !== undefined) {
    findings.push({ level: 'warning', where, message: 'uses $ref definitions; some clients do not resolve them' });
  }
  walk(json, '', (node, path) => {
    for (const keyword of NON_PORTABLE_KEYWORDS) {
      if (keyword in node) {
        findings.push({
          level: 'warning',
          where: `${where}${path ? `.${path}` : ''}`,
          message: `uses "${keyword}", which some major clients reject or ignore`,
        });
      }
    }
  });
  if (describe) {
    for (const [name, property] of Object.entries((json.properties as Json | undefined) ?? {})) {
      const description = (property as Json).description;
      if (typeof description !== 'string' || description.trim() === '') {
        findings.push({
          level: 'warning',
          where: `${where}.properties.${name}`,
          message: 'has no description; .describe() it so the model knows what to pass',
        });
      }
    }
  }
}

/**
 * Lint a pack: every problem a reviewer would raise before publishing it. Returns the findings, errors first; an
 * empty list means the pack is clean.
 *
 * @example
 * expect(checkPack(myPack).filter((f) => f.level === 'error')).toEqual([]);
 */
export function checkPack(pack: AnyPack, options: CheckPackOptions = {}): PackFinding[] {
  if (!isPack(pack)) return [{ level: 'error', where: '(pack)', message: 'not a pack built with definePack' }];
  const findings: PackFinding[] = [];
  const prefixes = options.prefixes ?? [pack.prefix ?? pack.name];
  const checkName = (where: string, key: string) => {
    for (const prefix of prefixes) {
      const name = finalName(prefix, key);
      if (!FINAL_NAME_PATTERN.test(name)) {
        findings.push({
          level: 'error',
          where,
          message: `final name "${name}" (${name.length} characters) does not match ${FINAL_NAME_PATTERN}`,
        });
      }
    }
  };
  const checkDescription = (where: string, description: string) => {
    const length = description.trim().length;
    if (length < MIN_DESCRIPTION) {
      findings.push({
        level: 'warning',
        where,
        message: `description is ${length} characters; say what, when and limits`,
      });
    } else if (length > MAX_DESCRIPTION) {
      findings.push({
        level: 'warning',
        where,
        message: `description is ${length} characters; it is paid for in every request, trim it`,
      });
    }
  };

  for (const [key, tool] of Object.entries(pack.tools)) {
    const where = `tools.${key}`;
    checkName(where, key);
    checkDescription(`${where}.description`, tool.description);
    checkSchema(findings, `${where}.inputSchema`, tool.inputSchema, 'input', true);
    if (tool.outputSchema !== undefined)
      checkSchema(findings, `${where}.outputSchema`, tool.outputSchema, 'output', false);
    const annotations = tool.annotations;
    if (typeof annotations.readOnlyHint !== 'boolean') {
      findings.push({
        level: 'warning',
        where: `${where}.annotations`,
        message: 'readOnlyHint is not set; say whether the tool changes anything',
      });
    } else if (!annotations.readOnlyHint && typeof annotations.destructiveHint !== 'boolean') {
      findings.push({
        level: 'warning',
        where: `${where}.annotations`,
        message: 'a tool that writes should set destructiveHint',
      });
    }
    if (typeof annotations.openWorldHint !== 'boolean') {
      findings.push({
        level: 'warning',
        where: `${where}.annotations`,
        message: 'openWorldHint is not set; say whether the tool reaches outside the machine',
      });
    }
  }
  for (const [key, prompt] of Object.entries(pack.prompts)) {
    checkName(`prompts.${key}`, key);
    checkDescription(`prompts.${key}.description`, prompt.description);
  }
  for (const [key, resource] of Object.entries(pack.resources)) {
    checkDescription(`resources.${key}.description`, resource.description);
  }
  for (const [key, template] of Object.entries(pack.resourceTemplates)) {
    checkDescription(`resourceTemplates.${key}.description`, template.description);
  }
  if (pack.configSchema !== undefined) {
    const listed = listedJsonSchema(pack.configSchema, 'input');
    if ('error' in listed) {
      findings.push({
        level: 'error',
        where: 'configSchema',
        message: `cannot be expressed as JSON Schema (${listed.error})`,
      });
    } else {
      walk(listed.schema, '', (node, path) => {
        for (const [name, property] of Object.entries((node.properties as Json | undefined) ?? {})) {
          if (typeof (property as Json).description !== 'string') {
            findings.push({
              level: 'warning',
              where: `configSchema${path ? `.${path}` : ''}.properties.${name}`,
              message: 'has no description; it feeds the README config table and editor completion',
            });
          }
        }
      });
    }
  }
  return findings.sort((a, b) => (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1));
}
