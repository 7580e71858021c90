/**
 * The MCP Apps view of `plot`: one self-contained HTML page (no network, no CDN) that draws the tool result's samples
 * as an SVG line chart with axes, ticks and labels. It speaks the View side of MCP Apps over `postMessage` itself
 * (`ui/initialize`, `ui/notifications/initialized`, then tool input and result): a few lines instead of the ~500 KB
 * that bundling ext-apps' `App` (with zod) into the page would cost.
 */
import { viewBridgeScript } from '@mcp-packs/core';
import { defineView } from '../define.js';

/** The view's URI, without the mount prefix. */
export const PLOT_VIEW_URI = 'ui://plot';

/** The curve's colour, which the Chromium test looks for in the screenshot. */
export const PLOT_CURVE_COLOR = '#1f6feb';

const STYLE = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #6e7781; --grid: #d8dee4; --axis: #57606a; --bg: #ffffff; }
:root[data-theme="dark"] { --fg: #e6edf3; --muted: #8d96a0; --grid: #30363d; --axis: #8d96a0; --bg: #0d1117; }
html, body { margin: 0; background: var(--bg); color: var(--fg); font: 13px/1.4 system-ui, sans-serif; }
main { padding: 12px; }
h1 { font-size: 14px; font-weight: 600; margin: 0 0 2px; word-break: break-word; }
p { margin: 0 0 8px; color: var(--muted); }
svg { display: block; width: 100%; height: auto; }
.grid line { stroke: var(--grid); stroke-width: 1; }
.axis { stroke: var(--axis); stroke-width: 1.25; }
text { fill: var(--muted); font-size: 11px; }
.curve { fill: none; stroke: ${PLOT_CURVE_COLOR}; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
`;

// Plain ES2020 for any browser a host embeds; every text goes in through textContent, never as markup.
const SCRIPT = `${viewBridgeScript('mcp-packs-math-plot')}
(() => {
  const SVG = 'http://www.w3.org/2000/svg';
  const W = 640, H = 360, L = 56, R = 16, T = 12, B = 36;
  const title = document.getElementById('title');
  const note = document.getElementById('note');
  const chart = document.getElementById('chart');
  const el = (name, attrs, parent) => {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
    if (parent) parent.appendChild(node);
    return node;
  };
  const fmt = (v) => {
    if (v === 0) return '0';
    const a = Math.abs(v);
    return a >= 1e5 || a < 1e-3 ? v.toExponential(1) : String(Number(v.toPrecision(4)));
  };
  const ticks = (lo, hi, count) => {
    const raw = (hi - lo) / count;
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) || raw;
    const out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
    return out;
  };
  const yRange = (ys) => {
    const sorted = ys.filter((y) => y !== null).sort((a, b) => a - b);
    if (sorted.length === 0) return [-1, 1];
    let lo = sorted[0], hi = sorted[sorted.length - 1];
    // Near a pole a few huge values would flatten the rest: clip to the 2nd-98th percentile when they dominate.
    const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))];
    const qlo = q(0.02), qhi = q(0.98);
    if (qhi > qlo && hi - lo > 20 * (qhi - qlo)) { lo = qlo - (qhi - qlo) * 0.5; hi = qhi + (qhi - qlo) * 0.5; }
    if (hi === lo) { lo -= 1; hi += 1; }
    const pad = (hi - lo) * 0.05;
    return [lo - pad, hi + pad];
  };
  const draw = (data) => {
    const xs = data.x, ys = data.y;
    title.textContent = 'f(' + data.variable + ') = ' + data.expression;
    const defined = ys.filter((y) => y !== null).length;
    note.textContent = data.variable + ' from ' + fmt(data.from) + ' to ' + fmt(data.to) + ', ' + xs.length + ' points' +
      (defined < ys.length ? ', undefined at ' + (ys.length - defined) + ' of them' : '');
    const x0 = data.from, x1 = data.to;
    const [y0, y1] = yRange(ys);
    const px = (x) => L + ((x - x0) / (x1 - x0)) * (W - L - R);
    const py = (y) => T + ((y1 - y) / (y1 - y0)) * (H - T - B);
    chart.textContent = '';
    const svg = el('svg', { viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img' }, chart);
    el('title', {}, svg).textContent = title.textContent;
    const clip = el('clipPath', { id: 'area' }, el('defs', {}, svg));
    el('rect', { x: L, y: T, width: W - L - R, height: H - T - B }, clip);
    const area = el('rect', { id: 'plot-area', x: L, y: T, width: W - L - R, height: H - T - B, fill: 'none',
      'data-x0': x0, 'data-x1': x1, 'data-y0': y0, 'data-y1': y1 }, svg);
    const grid = el('g', { class: 'grid' }, svg);
    for (const v of ticks(x0, x1, 6)) {
      el('line', { x1: px(v), x2: px(v), y1: T, y2: H - B }, grid);
      const label = el('text', { x: px(v), y: H - B + 16, 'text-anchor': 'middle' }, svg);
      label.textContent = fmt(v);
    }
    for (const v of ticks(y0, y1, 5)) {
      el('line', { x1: L, x2: W - R, y1: py(v), y2: py(v) }, grid);
      const label = el('text', { x: L - 6, y: py(v) + 4, 'text-anchor': 'end' }, svg);
      label.textContent = fmt(v);
    }
    if (y0 <= 0 && y1 >= 0) el('line', { class: 'axis', x1: L, x2: W - R, y1: py(0), y2: py(0) }, svg);
    if (x0 <= 0 && x1 >= 0) el('line', { class: 'axis', x1: px(0), x2: px(0), y1: T, y2: H - B }, svg);
    const xLabel = el('text', { x: W - R, y: H - 4, 'text-anchor': 'end' }, svg);
    xLabel.textContent = data.variable;
    let d = '', pen = false;
    for (let i = 0; i < xs.length; i++) {
      if (ys[i] === null) { pen = false; continue; }
      d += (pen ? 'L' : 'M') + px(xs[i]).toFixed(2) + ' ' + py(ys[i]).toFixed(2);
      pen = true;
    }
    el('path', { class: 'curve', d, 'clip-path': 'url(#area)' }, svg);
    area.setAttribute('data-drawn', 'true');
    view.resized();
  };
  const onResult = (result) => {
    const data = result && result.structuredContent;
    if (result && result.isError) {
      const text = (result.content || []).filter((b) => b.type === 'text').map((b) => b.text).join('\\n');
      title.textContent = 'Could not plot';
      note.textContent = text;
    } else if (data && Array.isArray(data.x) && Array.isArray(data.y)) {
      draw(data);
    }
  };
  const view = connectView({
    onToolInput: (params) => {
      if (params.arguments && typeof params.arguments.expression === 'string') {
        title.textContent = 'Plotting ' + params.arguments.expression + '…';
      }
    },
    onToolResult: onResult,
    onToolCancelled: () => {
      note.textContent = 'Cancelled.';
    },
    onRefused: (error) => {
      note.textContent = 'The host refused the view: ' + (error && error.message);
    },
  });
})();
`;

/** The page: styles and script inline, so it needs nothing from the network. */
export const PLOT_VIEW_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Plot</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1 id="title">Waiting for the plot…</h1>
<p id="note"></p>
<div id="chart"></div>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;

/** The view `plot` names: draws its samples. */
export const plotView = defineView({
  uri: PLOT_VIEW_URI,
  title: 'Plot',
  description: 'A line chart of a plot result: the curve with axes, ticks and labels; gaps where it is undefined.',
  html: PLOT_VIEW_HTML,
  prefersBorder: true,
});
