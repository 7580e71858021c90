/**
 * What an expression may call: mathjs's embedded documentation, filtered to what the sandbox leaves reachable.
 */
import { DISABLED_FUNCTIONS } from './disabled.js';
import { mathDoc } from './mathjs.js';

/** One function or constant, as documented by mathjs. */
export interface CatalogEntry {
  name: string;
  category: string;
  syntax: string[];
  description: string;
  examples: string[];
  seealso: string[];
}

/** Every function and constant an expression may use, by category. */
export interface Catalog {
  functions: CatalogEntry[];
  constants: CatalogEntry[];
}

/** Build the catalog against a sandbox's expression namespace. */
export function buildCatalog(namespace: Readonly<Record<string, unknown>>): Catalog {
  const functions: CatalogEntry[] = [];
  const constants: CatalogEntry[] = [];
  for (const name of Object.keys(namespace)) {
    if (DISABLED_FUNCTIONS[name] !== undefined) continue;
    const raw = mathDoc(name);
    if (raw === undefined) continue;
    const isFunction = typeof namespace[name] === 'function';
    const entry: CatalogEntry = {
      name,
      category: raw.category ?? (isFunction ? 'Other' : 'Physical constants'),
      syntax: raw.syntax ?? [name],
      description: raw.description ?? '',
      examples: (raw.examples ?? []).filter(
        (example) => !/\b(evaluate|parse|compile|simplify|derivative|import|createUnit|help)\s*\(/.test(example),
      ),
      seealso: (raw.seealso ?? []).filter((other) => DISABLED_FUNCTIONS[other] === undefined),
    };
    (isFunction ? functions : constants).push(entry);
  }
  const byCategory = (a: CatalogEntry, b: CatalogEntry) =>
    a.category.localeCompare(b.category) || a.name.localeCompare(b.name);
  return { functions: functions.sort(byCategory), constants: constants.sort(byCategory) };
}
