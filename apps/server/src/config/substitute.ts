/**
 * `${ENV}` substitution in the config's string values: `${NAME}` (an error when NAME is unset), `${NAME:-default}`
 * (the default when NAME is unset or empty), `${NAME-default}` (the default when NAME is unset) and `$${` for a
 * literal `${`. Values that came from the environment are remembered, so the config shown to clients can hide them.
 */
import type { ConfigProblem, JsonPath } from './problems.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The result of substituting one string. */
interface Substituted {
  value: string;
  /** True when any part of the value came from an environment variable. */
  fromEnv: boolean;
  problems: string[];
}

/** Substitute `${...}` references in one string. */
export function substituteString(text: string, env: NodeJS.ProcessEnv): Substituted {
  if (!text.includes('$')) return { value: text, fromEnv: false, problems: [] };
  let value = '';
  let fromEnv = false;
  const problems: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      value += '${';
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      value += text[i];
      i++;
      continue;
    }
    const end = text.indexOf('}', i + 2);
    if (end === -1) {
      problems.push(`"${text}" has a \${ without its closing }. Write $\${ for a literal \${.`);
      break;
    }
    const body = text.slice(i + 2, end);
    i = end + 1;
    const colon = body.indexOf(':-');
    const dash = body.indexOf('-');
    let name = body;
    let fallback: string | undefined;
    let emptyIsUnset = false;
    if (colon !== -1 && (dash === -1 || colon < dash)) {
      name = body.slice(0, colon);
      fallback = body.slice(colon + 2);
      emptyIsUnset = true;
    } else if (dash !== -1) {
      name = body.slice(0, dash);
      fallback = body.slice(dash + 1);
    }
    if (!NAME.test(name)) {
      problems.push(
        `"\${${body}}" is not a valid reference: use \${NAME}, \${NAME:-default} or \${NAME-default}, where NAME is letters, digits and _.`,
      );
      continue;
    }
    const found = env[name];
    const unset = found === undefined || (emptyIsUnset && found === '');
    if (!unset) {
      value += found;
      fromEnv = true;
    } else if (fallback !== undefined) {
      value += fallback;
    } else {
      problems.push(`the environment variable ${name} is not set.`);
    }
  }
  return { value, fromEnv, problems };
}

/** The outcome of substituting a whole document. */
export interface DocumentSubstitution {
  value: unknown;
  /** JSON paths (formatted as JSON arrays) of strings that took a value from the environment, with their template. */
  fromEnv: Map<string, string>;
  problems: ConfigProblem[];
}

/** A stable key for a JSON path, for sets and maps. */
export function pathKey(path: JsonPath): string {
  return JSON.stringify(path);
}

/** Substitute every string value (not keys) in a parsed JSON document. `$schema` is left alone. */
export function substituteDocument(document: unknown, env: NodeJS.ProcessEnv): DocumentSubstitution {
  const fromEnv = new Map<string, string>();
  const problems: ConfigProblem[] = [];
  const walk = (value: unknown, path: (string | number)[]): unknown => {
    if (typeof value === 'string') {
      const result = substituteString(value, env);
      for (const message of result.problems) {
        problems.push({
          path: [...path],
          message,
          fix: message.includes('is not set')
            ? `set it in the environment the server starts in (for Claude Desktop: the "env" of the server entry), or give a default with \${NAME:-default}.`
            : undefined,
        });
      }
      if (result.fromEnv) fromEnv.set(pathKey(path), value);
      return result.value;
    }
    if (Array.isArray(value)) return value.map((item, index) => walk(item, [...path, index]));
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        out[key] = path.length === 0 && key === '$schema' ? item : walk(item, [...path, key]);
      }
      return out;
    }
    return value;
  };
  return { value: walk(document, []), fromEnv, problems };
}
