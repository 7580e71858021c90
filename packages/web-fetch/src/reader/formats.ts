/**
 * The output formats and small helpers shared by the tools and the renderer. Kept apart from `render.ts` so the
 * tool definitions can name the formats without loading the HTML parser and the Markdown converter.
 */

/** Output formats of a fetch. */
export const FORMATS = ['markdown', 'text', 'html', 'raw'] as const;
export type Format = (typeof FORMATS)[number];

/** Bytes in a short human form (`512 bytes`, `1.5 KiB`, `3.2 MiB`). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
