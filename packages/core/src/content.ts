/**
 * Content blocks a tool can return instead of a plain object: images, audio, links to resources, embedded
 * resources. These mirror the MCP wire shapes, so a pack needs no SDK import to build them.
 */

/** Plain text. */
export interface TextBlock {
  type: 'text';
  text: string;
}

/** An image, base64-encoded. */
export interface ImageBlock {
  type: 'image';
  data: string;
  mimeType: string;
}

/** Audio, base64-encoded. */
export interface AudioBlock {
  type: 'audio';
  data: string;
  mimeType: string;
}

/** A link to a resource the client may read later. */
export interface ResourceLinkBlock {
  type: 'resource_link';
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  size?: number;
}

/** A resource embedded in the result. */
export interface EmbeddedResourceBlock {
  type: 'resource';
  resource: { uri: string; mimeType?: string; text: string } | { uri: string; mimeType?: string; blob: string };
}

/** Any content block a tool may return. */
export type ContentBlock = TextBlock | ImageBlock | AudioBlock | ResourceLinkBlock | EmbeddedResourceBlock;

const CONTENT_BRAND: unique symbol = Symbol.for('mcp-packs.content-result') as never;

/** A tool result made of content blocks, built with {@link contentResult}. */
export interface ContentResult {
  readonly [CONTENT_BRAND]: true;
  readonly content: readonly ContentBlock[];
  /** Structured data to send beside the blocks; required when the tool declares an `outputSchema`. */
  readonly structuredContent?: Record<string, unknown>;
}

/**
 * Return content blocks from a tool, as they are, instead of the JSON of a plain object.
 *
 * @example
 * return contentResult([{ type: 'image', data: base64, mimeType: 'image/png' }]);
 */
export function contentResult(
  content: readonly ContentBlock[],
  options: { structuredContent?: Record<string, unknown> } = {},
): ContentResult {
  return {
    [CONTENT_BRAND]: true,
    content,
    ...(options.structuredContent === undefined ? {} : { structuredContent: options.structuredContent }),
  };
}

/** True for a value built by {@link contentResult}, from any copy of `@mcp-packs/core`. */
export function isContentResult(value: unknown): value is ContentResult {
  return (
    typeof value === 'object' && value !== null && (value as { [CONTENT_BRAND]?: unknown })[CONTENT_BRAND] === true
  );
}
