/**
 * The plot view in a real browser: its HTML read through a real MCP client, a real `math_plot` result delivered by
 * ext-apps' AppBridge in headless Chromium, and the screenshot checked for the curve where the function is.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectPack, resultText } from '@mcp-packs/core/testing';
import { hasColorNear, rgb, showView, viewOf } from '@mcp-packs/core/testing/views';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { mathPack } from '../pack.js';
import { PLOT_CURVE_COLOR } from './plot-view.js';

describe('plot view in Chromium', { timeout: 60_000 }, () => {
  it('draws the curve of a real plot result at the right pixels, with gaps where it is undefined', async () => {
    await using conn = await connectPack(mathPack, { logSink: () => {} });
    const args = { expression: 'sqrt(9 - x^2)', from: -5, to: 5, points: 401 };
    const result = await conn.callTool('plot', args);
    expect(resultText(result)).toBe(
      'f(x) = sqrt(9 - x^2) for x from -5 to 5, 401 points.\nMin 0 at x = -3; max 3 at x = 0.\nUndefined at -5 ≤ x ≤ -3.025, 3.025 ≤ x ≤ 5.',
    );
    const { uri, html } = await viewOf(conn, 'plot');
    expect(uri).toBe('ui://math/plot');

    await using view = await showView(html, { input: args, result, ready: '#plot-area[data-drawn="true"]' });
    expect(await view.frame.$eval('#title', (node) => node.textContent)).toBe('f(x) = sqrt(9 - x^2)');
    expect(view.requests).toEqual([]);

    const area = await view.frame.$eval('#plot-area', (node) => {
      const box = node.getBoundingClientRect();
      const data = (node as unknown as { dataset: Record<string, string | undefined> }).dataset;
      return {
        left: box.left,
        top: box.top,
        width: box.width,
        height: box.height,
        x0: Number(data.x0),
        x1: Number(data.x1),
        y0: Number(data.y0),
        y1: Number(data.y1),
      };
    });
    // The frame fills the host page from its top-left corner, so frame coordinates are page coordinates.
    const px = (x: number) => area.left + ((x - area.x0) / (area.x1 - area.x0)) * area.width;
    const py = (y: number) => area.top + ((area.y1 - y) / (area.y1 - area.y0)) * area.height;
    const png: PNG = await view.screenshot();
    writeFileSync(join(tmpdir(), 'mcp-packs-plot-view.png'), PNG.sync.write(png));
    const curve = rgb(PLOT_CURVE_COLOR);
    for (const x of [-2.5, -1, 0, 1.5, 2.8]) {
      expect(hasColorNear(png, px(x), py(Math.sqrt(9 - x * x)), curve), `curve at x = ${x}`).toBe(true);
    }
    // Off the curve: above it in the middle, and the whole height where sqrt(9 - x^2) is undefined.
    expect(hasColorNear(png, px(0), py(1.5), curve)).toBe(false);
    for (const x of [-4.5, -3.6, 3.6, 4.5]) {
      for (let y = area.top + 2; y < area.top + area.height - 2; y += 4) {
        expect(hasColorNear(png, px(x), y, curve, 1), `no curve at x = ${x}, y = ${y}`).toBe(false);
      }
    }
  });

  it('shows the error of a failed call instead of a chart', async () => {
    await using conn = await connectPack(mathPack, { logSink: () => {} });
    const args = { expression: 'x', from: 3, to: 1 };
    const result = await conn.callTool('plot', args);
    expect(result.isError).toBe(true);
    const { html } = await viewOf(conn, 'plot');
    await using view = await showView(html, { input: args, result, ready: '#note:not(:empty)' });
    expect(await view.frame.$eval('#title', (node) => node.textContent)).toBe('Could not plot');
    expect(await view.frame.$eval('#note', (node) => node.textContent)).toContain('Swap from and to.');
  });
});
