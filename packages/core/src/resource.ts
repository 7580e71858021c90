import type { RequestContext } from './call.js';
import type { Icon } from './tool.js';

/** One item of a resource's contents: text, or binary as base64 or bytes; `meta` is sent as the item's `_meta`. */
export type ResourceContent =
  | { text: string; mimeType?: string; uri?: string; meta?: Record<string, unknown> }
  | { blob: string | Uint8Array; mimeType?: string; uri?: string; meta?: Record<string, unknown> };

/** What a resource read returns: a string (text), one content item, or several. */
export type ResourceReadResult = string | ResourceContent | readonly ResourceContent[];

/** One resource as a template's `list` reports it. `uri` is the full, final URI. */
export interface ListedResource {
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
}

/** Completion of one template variable: candidates for what the user has typed so far. */
export type CompleteVariable<S> = (
  value: string,
  context: { arguments: Readonly<Record<string, string>>; services: S },
) => readonly string[] | Promise<readonly string[]>;

/**
 * The declaration of a fixed resource. `uri` is written without the mount prefix, `scheme://path`; it is mounted
 * as `scheme://<prefix>/path`, so two mounts never collide (`math://functions` → `math://math/functions`).
 */
export interface ResourceSpec<S> {
  uri: string;
  title?: string;
  description: string;
  mimeType?: string;
  /** Icons a client may show for the resource. */
  icons?: readonly Icon[];
  /** Extra `_meta` to list with the resource (`resources/list`). */
  meta?: Record<string, unknown>;
  read: (uri: URL, context: RequestContext<S>) => ResourceReadResult | Promise<ResourceReadResult>;
}

/** A resource as {@link defineResource} returns it. */
export interface ResourceDefinition<S = unknown> extends ResourceSpec<S> {
  readonly kind: 'resource';
}

/**
 * Declare a fixed resource: read-only data at one URI.
 *
 * @example
 * defineResource({ uri: 'math://functions', description: 'Functions you may call.', read: () => list.join('\n') });
 */
export function defineResource<S = unknown>(spec: ResourceSpec<S>): ResourceDefinition<S> {
  return { ...spec, kind: 'resource' };
}

/**
 * The declaration of a family of resources addressed by an RFC 6570 URI template, written without the mount
 * prefix: `note://{id}` is mounted as `note://<prefix>/{id}`.
 */
export interface ResourceTemplateSpec<S> {
  uriTemplate: string;
  title?: string;
  description: string;
  mimeType?: string;
  /** Icons a client may show for the template. */
  icons?: readonly Icon[];
  /** List the concrete resources, for `resources/list`. Omit when they cannot be enumerated cheaply. */
  list?: (context: RequestContext<S>) => readonly ListedResource[] | Promise<readonly ListedResource[]>;
  /** Completion of template variables, keyed by variable name (for `completion/complete`). */
  complete?: Readonly<Record<string, CompleteVariable<S>>>;
  read: (
    uri: URL,
    variables: Readonly<Record<string, string>>,
    context: RequestContext<S>,
  ) => ResourceReadResult | Promise<ResourceReadResult>;
}

/** A resource template as {@link defineResourceTemplate} returns it. */
export interface ResourceTemplateDefinition<S = unknown> extends ResourceTemplateSpec<S> {
  readonly kind: 'resourceTemplate';
}

/**
 * Declare a resource template, with optional listing and completions of its variables.
 *
 * @example
 * defineResourceTemplate({
 *   uriTemplate: 'note://{id}',
 *   description: 'A note by id, as Markdown.',
 *   complete: { id: (prefix, { services }) => services.store.idsStartingWith(prefix) },
 *   read: (uri, { id }, { services }) => services.store.markdown(id),
 * });
 */
export function defineResourceTemplate<S = unknown>(spec: ResourceTemplateSpec<S>): ResourceTemplateDefinition<S> {
  return { ...spec, kind: 'resourceTemplate' };
}
