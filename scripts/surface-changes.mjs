// Which changeset a change to a pack's committed tools/list snapshot needs. A tool removed or renamed, a prompt
// removed, or a changed input schema breaks callers (a model's learned calls, a user's tool filters): that is a
// major change (minor while the package is 0.x, where a minor bump is the breaking one). Anything else that changes
// the surface (new tools, descriptions, output schemas) needs at least a patch changeset, so it reaches the changelog.

const RANK = { none: 0, patch: 1, minor: 2, major: 3 };

const PROSE = new Set(['description', 'title', 'examples', '$comment']);

/** A schema without its prose: what callers must satisfy. */
function shape(schema) {
  if (Array.isArray(schema)) return schema.map(shape);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key]) => !PROSE.has(key))
      .map(([key, value]) => [
        key,
        key === 'properties' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)])) : shape(value),
      ]),
  );
}

function byName(list) {
  return new Map((list ?? []).map((item) => [item.name ?? item.uri ?? item.uriTemplate, item]));
}

/**
 * Compare two surfaces (as `listSurface` returns them) and say what changed and which bump it needs.
 * @param {{tools?: any[], prompts?: any[], resources?: any[], resourceTemplates?: any[]}} before
 * @param {{tools?: any[], prompts?: any[], resources?: any[], resourceTemplates?: any[]}} after
 * @param {string} version the package's current version
 * @returns {{ bump: 'none' | 'patch' | 'minor' | 'major', reasons: string[] }}
 */
export function requiredBump(before, after, version) {
  const breaking = [];
  const other = [];
  for (const kind of ['tools', 'prompts', 'resources', 'resourceTemplates']) {
    const old = byName(before[kind]);
    const now = byName(after[kind]);
    for (const [name, item] of old) {
      const next = now.get(name);
      if (!next) {
        breaking.push(`${kind}: "${name}" was removed or renamed`);
        continue;
      }
      if (kind === 'tools' && JSON.stringify(shape(item.inputSchema)) !== JSON.stringify(shape(next.inputSchema))) {
        breaking.push(`tools: "${name}" changed its input schema`);
      } else if (
        kind === 'prompts' &&
        JSON.stringify(shape(item.arguments)) !== JSON.stringify(shape(next.arguments))
      ) {
        breaking.push(`prompts: "${name}" changed its arguments`);
      } else if (JSON.stringify(item) !== JSON.stringify(next)) {
        other.push(`${kind}: "${name}" changed (description, output schema or annotations)`);
      }
    }
    for (const name of now.keys()) if (!old.has(name)) other.push(`${kind}: "${name}" was added`);
  }
  const zeroMajor = /^0\./.test(version);
  const bump = breaking.length > 0 ? (zeroMajor ? 'minor' : 'major') : other.length > 0 ? 'patch' : 'none';
  return { bump, reasons: [...breaking, ...other] };
}

/** True when `have` is at least `need`. */
export function bumpCovers(have, need) {
  return RANK[have ?? 'none'] >= RANK[need];
}

/**
 * The bump each package gets from a set of changeset files' texts (the largest one named for it).
 * @param {string[]} texts
 * @returns {Map<string, 'patch' | 'minor' | 'major'>}
 */
export function bumpsFromChangesets(texts) {
  const bumps = new Map();
  for (const text of texts) {
    const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? '';
    for (const match of front.matchAll(/^\s*["']?([^"':\s]+)["']?\s*:\s*(patch|minor|major)\s*$/gm)) {
      const [, name, bump] = match;
      if (!bumps.has(name) || RANK[bump] > RANK[bumps.get(name)]) bumps.set(name, bump);
    }
  }
  return bumps;
}
