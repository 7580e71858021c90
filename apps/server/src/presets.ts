/**
 * Presets: named subsets of a composition's tools, each served at an endpoint of its own (HTTP
 * `<transport.path>/<name>`, or stdio with `--preset <name>`). An endpoint lists the same tools to every client
 * (the spec asks that `tools/list` not vary per connection), so a subset is an endpoint, never a per-client view.
 *
 * A preset names final tool names (after prefixes and transforms); `*` matches any run of characters, which is all
 * the globbing tool names need (they are `[A-Za-z0-9_-]`, with no separators to stop at).
 */
import { type ConfigProblem, closest } from './config/problems.js';
import type { PresetConfig } from './config/schema.js';

/** A preset resolved against the mounted tools. */
export interface Preset {
  readonly name: string;
  readonly description: string | undefined;
  /** Final names of its tools, in the order the mounts offer them. */
  readonly tools: readonly string[];
}

/** Whether `pattern` (a final tool name, `*` for any run of characters) names `tool`. */
export function matchesTool(pattern: string, tool: string): boolean {
  if (!pattern.includes('*')) return pattern === tool;
  const parts = pattern.split('*').map((part) => part.replace(/[\\^$.|?+()[\]{}]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`).test(tool);
}

/** The presets of a config, their tools matched against `offered` (every mounted tool's final name, in order). */
export function resolvePresets(
  presets: Readonly<Record<string, PresetConfig>> | undefined,
  offered: readonly string[],
): Preset[] {
  return Object.entries(presets ?? {}).map(([name, preset]) => ({
    name,
    description: preset.description,
    tools: offered.filter((tool) => preset.tools.some((pattern) => matchesTool(pattern, tool))),
  }));
}

/** Each entry of a preset's `tools` that matches no mounted tool; a preset whose path is the health check's. */
export function presetProblems(
  presets: Readonly<Record<string, PresetConfig>> | undefined,
  offered: readonly string[],
  mainPath: string,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [name, preset] of Object.entries(presets ?? {})) {
    if (presetPath(mainPath, name) === '/health') {
      problems.push({
        path: ['presets', name],
        message: `its HTTP path would be /health, the server's health check.`,
        fix: 'give the preset another name, or the MCP endpoint another transport.path.',
      });
    }
    preset.tools.forEach((pattern, index) => {
      if (offered.some((tool) => matchesTool(pattern, tool))) return;
      const path = ['presets', name, 'tools', index];
      if (pattern.includes('*')) {
        problems.push({
          path,
          message: `"${pattern}" matches no mounted tool.`,
          fix: 'use final tool names, as `mcp-packs list` shows them ("*" matches any run of characters, e.g. "notes_*").',
        });
        return;
      }
      const guess = closest(pattern, offered);
      problems.push({
        path,
        message: `no mounted pack offers a tool "${pattern}".`,
        fix: guess
          ? `did you mean "${guess}"?`
          : 'use final tool names (prefix and transforms applied; hidden tools are not offered), as `mcp-packs list` shows them.',
      });
    });
  }
  return problems;
}

/** The HTTP path of a preset's endpoint, beside the main one: `/mcp` → `/mcp/<name>`. */
export function presetPath(mainPath: string, name: string): string {
  return `${mainPath.replace(/\/+$/, '')}/${name}`;
}
