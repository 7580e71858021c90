/**
 * Redaction for the config the server shows to clients (`mcp-packs://server/config`): nothing secret may leak.
 * Three rules: a string that took a value from the environment shows its `${NAME}` template instead; any string
 * under a secret-looking key (token, password, api key, authorization, cookie, ...) is replaced; every value under
 * a `headers` key is replaced.
 */
import { pathKey } from './config/substitute.js';

/** What replaces a secret. */
export const REDACTED = '[redacted]';

const SECRET_KEY =
  /token|secret|password|passwd|passphrase|api[-_]?key|apikey|auth|cookie|credential|private[-_]?key|signature/i;

function redactAll(value: unknown): unknown {
  if (typeof value === 'string') return REDACTED;
  if (Array.isArray(value)) return value.map(redactAll);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactAll(item)]));
  }
  return value;
}

/**
 * Redact `value` (a JSON-like document whose paths match the config file's). `fromEnv` maps `pathKey(path)` of each
 * string that took a value from the environment to the string as written (`"Bearer ${API_TOKEN}"`).
 */
export function redactConfig(value: unknown, fromEnv: ReadonlyMap<string, string> = new Map()): unknown {
  const walk = (item: unknown, path: (string | number)[]): unknown => {
    const key = path[path.length - 1];
    if (typeof key === 'string' && /^headers$/i.test(key)) return redactAll(item);
    if (typeof key === 'string' && SECRET_KEY.test(key)) return redactAll(item);
    const template = fromEnv.get(pathKey(path));
    if (template !== undefined) return template;
    if (Array.isArray(item)) return item.map((child, index) => walk(child, [...path, index]));
    if (typeof item === 'object' && item !== null) {
      return Object.fromEntries(Object.entries(item).map(([k, child]) => [k, walk(child, [...path, k])]));
    }
    return item;
  };
  return walk(value, []);
}
