/**
 * What a ranker sees of a tool: its name, title, description and parameters, taken from the tool as `tools/list`
 * lists it. Derived from the definitions packs already have, so a pack author does nothing for search to work.
 */

/** A tool as `tools/list` lists it (the fields discovery reads). */
export interface ListedTool {
  name: string;
  title?: string | undefined;
  description?: string | undefined;
  inputSchema?: unknown;
  outputSchema?: unknown;
  annotations?: Record<string, unknown> | undefined;
}

/** One parameter of a tool: its name and what its schema says about it. */
export interface ToolParameter {
  name: string;
  description?: string;
}

/** The searchable text of one tool. */
export interface ToolDocument {
  name: string;
  title?: string;
  description: string;
  parameters: ToolParameter[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The parameters of an input schema: its properties, and one level of nested object properties (`options.limit`
 * is searchable as `limit`), each with its description.
 */
function parametersOf(schema: unknown, depth = 0): ToolParameter[] {
  if (!isObject(schema) || !isObject(schema.properties)) return [];
  const parameters: ToolParameter[] = [];
  for (const [name, property] of Object.entries(schema.properties)) {
    const description = isObject(property) && typeof property.description === 'string' ? property.description : '';
    parameters.push(description ? { name, description } : { name });
    if (depth === 0 && isObject(property)) {
      const items = isObject(property.items) ? property.items : property;
      parameters.push(...parametersOf(items, depth + 1));
    }
  }
  return parameters;
}

/** The searchable text of a listed tool. */
export function toolDocument(tool: ListedTool): ToolDocument {
  return {
    name: tool.name,
    ...(tool.title ? { title: tool.title } : {}),
    description: tool.description ?? '',
    parameters: parametersOf(tool.inputSchema),
  };
}
