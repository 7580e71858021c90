/**
 * MCP Apps views (extension `io.modelcontextprotocol/ui`, spec 2026-01-26): an HTML page a host renders in a
 * sandboxed iframe for a tool's result. A view is a resource with the MCP Apps mime type and `_meta.ui`; a tool
 * names it with `view`, and core lists the tool's `_meta.ui.resourceUri` with the view's mounted URI.
 */
import type { RequestContext } from './call.js';
import { mountedUri } from './naming.js';
import { defineResource, type ResourceDefinition } from './resource.js';
import type { AnyToolDefinition, Icon } from './tool.js';

/** The mime type of an MCP Apps view. */
export const VIEW_MIME_TYPE = 'text/html;profile=mcp-app';

/** The id of the MCP Apps extension, as clients name it in their capabilities. */
export const VIEW_EXTENSION_ID = 'io.modelcontextprotocol/ui';

/**
 * The origins a view may reach, as the host's Content Security Policy for its iframe. Omitted, the host allows
 * nothing outside the page: inline the view's script and styles.
 */
export interface ViewCsp {
  /** Origins for fetch, XHR and WebSocket (`connect-src`). */
  connectDomains?: readonly string[];
  /** Origins for scripts, styles, images, fonts and media. */
  resourceDomains?: readonly string[];
  /** Origins for nested iframes (`frame-src`). */
  frameDomains?: readonly string[];
  /** Origins the document may use as its base URI (`base-uri`). */
  baseUriDomains?: readonly string[];
}

/** The declaration of a view. */
export interface ViewSpec<S> {
  /**
   * `ui://name`, written without the mount prefix: mounted as `ui://<prefix>/name`, like every resource. Tools name
   * the view by this unprefixed URI.
   */
  uri: string;
  title?: string;
  description: string;
  /** The whole page, one self-contained HTML document (script and styles inline), or a function that makes it. */
  html: string | ((context: RequestContext<S>) => string | Promise<string>);
  /** Origins the view needs; omit for none. */
  csp?: ViewCsp;
  /** Whether the host should draw a border and background around the view (the host decides when omitted). */
  prefersBorder?: boolean;
  /** Icons a client may show for the view. */
  icons?: readonly Icon[];
}

/** A view as {@link defineView} returns it: a resource with the MCP Apps mime type and `_meta.ui`. */
export type ViewDefinition<S = unknown> = ResourceDefinition<S> & { readonly mimeType: typeof VIEW_MIME_TYPE };

/** True for a resource that is an MCP Apps view (its mime type says so). */
export function isView(resource: { mimeType?: string | undefined } | undefined): boolean {
  return resource?.mimeType === VIEW_MIME_TYPE;
}

/**
 * Declare an MCP Apps view: a `ui://` resource with the MCP Apps mime type, its `_meta.ui` (csp, prefersBorder)
 * on both the listing and the content it reads. Put it in the pack's `resources` and name it from a tool with
 * `view: 'ui://…'`. The page gets the tool's input and result from the host over `postMessage` (`ui/initialize`,
 * then `ui/notifications/tool-input` and `ui/notifications/tool-result`); clients without MCP Apps show the tool's
 * usual text and structured result, so a view adds to a tool's result and never replaces it.
 *
 * @example
 * const chart = defineView({ uri: 'ui://chart', description: 'Draws the series.', html: chartPage });
 * const series = defineTool({ ..., view: 'ui://chart' });
 * definePack({ ..., tools: { series }, resources: { chart } });
 */
export function defineView<S = unknown>(spec: ViewSpec<S>): ViewDefinition<S> {
  const ui: Record<string, unknown> = {};
  if (spec.csp !== undefined) ui.csp = spec.csp;
  if (spec.prefersBorder !== undefined) ui.prefersBorder = spec.prefersBorder;
  const meta = Object.keys(ui).length > 0 ? { ui } : undefined;
  const { html } = spec;
  return defineResource<S>({
    uri: spec.uri,
    ...(spec.title === undefined ? {} : { title: spec.title }),
    description: spec.description,
    mimeType: VIEW_MIME_TYPE,
    ...(spec.icons === undefined ? {} : { icons: spec.icons }),
    ...(meta === undefined ? {} : { meta }),
    read: async (_uri, context) => ({
      text: typeof html === 'string' ? html : await html(context),
      ...(meta === undefined ? {} : { meta }),
    }),
  }) as ViewDefinition<S>;
}

/** The problem with a tool's `view` in a pack, or undefined when it names one of the pack's views. */
export function viewProblem(
  view: unknown,
  resources: Readonly<Record<string, ResourceDefinition<never>>>,
): string | undefined {
  if (view === undefined) return undefined;
  const views = Object.values(resources)
    .filter((resource) => isView(resource))
    .map((resource) => resource.uri);
  if (typeof view === 'string' && views.includes(view)) return undefined;
  const known = views.length > 0 ? `its views: ${views.join(', ')}` : 'it has none';
  return `view ${JSON.stringify(view)} is not a view of this pack (${known}); declare it with defineView and add it to resources`;
}

/** The tool as a mount lists it: with `_meta.ui.resourceUri` set to its view's mounted URI, when it has a view. */
export function withViewMeta(tool: AnyToolDefinition, prefix: string | null): AnyToolDefinition {
  if (tool.view === undefined) return tool;
  const ui = tool.meta?.ui;
  const resourceUri = mountedUri(tool.view, prefix);
  return {
    ...tool,
    meta: { ...tool.meta, ui: { ...(typeof ui === 'object' && ui !== null ? ui : {}), resourceUri } },
  };
}
