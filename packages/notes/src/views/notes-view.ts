/**
 * The MCP Apps view of `notes_list` and `notes_search`: the notes of the result as a browsable list (title, tags,
 * date, excerpt or snippet with its matches marked), with a filter box and tags that filter on click. One
 * self-contained page (no network); it speaks the View side of MCP Apps over `postMessage` itself (`ui/initialize`,
 * `ui/notifications/initialized`, then tool input and result).
 */
import { viewBridgeScript } from '@mcp-packs/core';
import { defineView } from '../define.js';

/** The view's URI, without the mount prefix. */
export const NOTES_VIEW_URI = 'ui://notes';

const STYLE = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #6e7781; --line: #d8dee4; --chip: #eef1f4; --bg: #fff; --mark: #fff3b0; }
:root[data-theme="dark"] { --fg: #e6edf3; --muted: #8d96a0; --line: #30363d; --chip: #21262d; --bg: #0d1117; --mark: #5a4a00; }
html, body { margin: 0; background: var(--bg); color: var(--fg); font: 13px/1.45 system-ui, sans-serif; }
main { padding: 12px; }
header { display: flex; gap: 8px; align-items: baseline; justify-content: space-between; flex-wrap: wrap; margin-bottom: 8px; }
h1 { font-size: 14px; font-weight: 600; margin: 0; }
input { font: inherit; padding: 4px 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); min-width: 12em; }
ul { list-style: none; margin: 0; padding: 0; }
li { border-top: 1px solid var(--line); padding: 8px 0; }
.title { font-weight: 600; }
.meta { color: var(--muted); font-size: 12px; }
.tag { display: inline-block; background: var(--chip); border: 0; border-radius: 10px; padding: 0 8px; margin: 2px 4px 0 0; font: inherit; font-size: 12px; color: var(--fg); cursor: pointer; }
.tag[aria-pressed="true"] { outline: 2px solid var(--muted); }
.text { margin-top: 2px; white-space: pre-wrap; word-break: break-word; }
mark { background: var(--mark); color: inherit; }
.empty { color: var(--muted); padding: 8px 0; }
`;

// Plain ES2020; every text from the result goes in through textContent, never as markup.
const SCRIPT = `${viewBridgeScript('mcp-packs-notes')}
(() => {
  const heading = document.getElementById('heading');
  const filter = document.getElementById('filter');
  const list = document.getElementById('notes');
  let notes = [], tag = '', query = '';
  const make = (name, className, text) => {
    const node = document.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  // Search snippets mark matches as **word**: shown as <mark>, built node by node.
  const marked = (text) => {
    const node = make('div', 'text');
    String(text).split('**').forEach((part, i) => node.appendChild(i % 2 ? make('mark', '', part) : document.createTextNode(part)));
    return node;
  };
  const render = () => {
    const words = filter.value.trim().toLowerCase();
    const shown = notes.filter((note) => (!tag || note.tags.includes(tag)) &&
      (!words || (note.title + ' ' + note.tags.join(' ') + ' ' + note.text).toLowerCase().includes(words)));
    list.textContent = '';
    for (const note of shown) {
      const item = make('li');
      item.dataset.id = note.id;
      item.appendChild(make('div', 'title', note.title || note.id));
      const meta = make('div', 'meta', (note.updated || '').slice(0, 10) + ' · ' + note.id + ' ');
      for (const name of note.tags) {
        const chip = make('button', 'tag', '#' + name);
        chip.type = 'button';
        chip.setAttribute('aria-pressed', String(name === tag));
        chip.addEventListener('click', () => { tag = tag === name ? '' : name; render(); });
        meta.appendChild(chip);
      }
      item.appendChild(meta);
      if (note.text) item.appendChild(marked(note.text));
      list.appendChild(item);
    }
    if (shown.length === 0) list.appendChild(make('li', 'empty', notes.length ? 'No note matches the filter.' : 'No notes.'));
    list.dataset.ready = 'true';
    view.resized();
  };
  const onResult = (result) => {
    const data = (result && result.structuredContent) || {};
    if (result && result.isError) {
      heading.textContent = (result.content || []).filter((b) => b.type === 'text').map((b) => b.text).join('\\n');
      notes = [];
    } else if (Array.isArray(data.results)) {
      notes = data.results.map((n) => ({ ...n, text: n.snippet }));
      heading.textContent = data.total + (data.total === 1 ? ' match' : ' matches') + (query ? ' for “' + query + '”' : '') +
        (data.nextCursor ? ' (first ' + notes.length + ')' : '');
    } else if (Array.isArray(data.notes)) {
      notes = data.notes.map((n) => ({ ...n, text: n.excerpt }));
      heading.textContent = data.total + (data.total === 1 ? ' note' : ' notes') + (data.nextCursor ? ' (first ' + notes.length + ')' : '');
    } else {
      return;
    }
    notes = notes.map((n) => ({ ...n, tags: Array.isArray(n.tags) ? n.tags : [] }));
    tag = '';
    render();
  };
  filter.addEventListener('input', render);
  const view = connectView({
    onToolInput: (params) => {
      const args = params.arguments || {};
      query = typeof args.query === 'string' ? args.query : '';
    },
    onToolResult: onResult,
    onRefused: (error) => {
      heading.textContent = 'The host refused the view: ' + (error && error.message);
    },
  });
})();
`;

/** The page: styles and script inline, so it needs nothing from the network. */
export const NOTES_VIEW_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Notes</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header><h1 id="heading">Waiting for notes…</h1><input id="filter" type="search" placeholder="Filter" aria-label="Filter notes"></header>
<ul id="notes"></ul>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;

/** The view `notes_list` and `notes_search` name: their notes as a browsable list. */
export const notesView = defineView({
  uri: NOTES_VIEW_URI,
  title: 'Notes',
  description: 'The notes of a list or search result: titles, tags, dates and excerpts or snippets, with a filter.',
  html: NOTES_VIEW_HTML,
  prefersBorder: true,
});
