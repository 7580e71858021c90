/// <reference lib="dom" />
/**
 * HTML to Markdown with turndown (the most used converter, CommonMark-correct escaping), plus the rules a model
 * needs and turndown leaves out: GitHub tables, strikethrough, fenced `<pre>` without `<code>`, links and images
 * kept only when they lead somewhere. The GFM plugins were not used: turndown-plugin-gfm is unmaintained, and
 * Joplin's fork reads `table.rows`, which linkedom does not implement, and keeps many tables as raw HTML.
 */
import TurndownService from 'turndown';

function elementIndex(element: Element): number {
  let index = 0;
  for (let sibling = element.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
    if (sibling.tagName === 'TD' || sibling.tagName === 'TH') index++;
  }
  return index;
}

function cellCount(row: Element): number {
  let count = 0;
  for (let child = row.firstElementChild; child; child = child.nextElementSibling) {
    if (child.tagName === 'TD' || child.tagName === 'TH') count++;
  }
  return count;
}

function parentTable(node: Element): Element | null {
  let current: Element | null = node.parentElement;
  while (current && current.tagName !== 'TABLE') current = current.parentElement;
  return current;
}

/** The first row of a table (in thead, tbody or directly under table), which becomes the Markdown header. */
function firstRow(table: Element): Element | null {
  for (let child = table.firstElementChild; child; child = child.nextElementSibling) {
    if (child.tagName === 'TR') return child;
    if (child.tagName === 'THEAD' || child.tagName === 'TBODY' || child.tagName === 'TFOOT') {
      for (let row = child.firstElementChild; row; row = row.nextElementSibling) {
        if (row.tagName === 'TR') return row;
      }
    }
  }
  return null;
}

const layoutTables = new WeakMap<Element, boolean>();

/**
 * A table used for page layout (cells holding headings, paragraphs, lists or other tables) is not data: its cells
 * become blocks instead of a Markdown table.
 */
function isLayoutTable(table: Element | null): boolean {
  if (!table) return true;
  let layout = layoutTables.get(table);
  if (layout === undefined) {
    layout =
      table.getAttribute('role') === 'presentation' ||
      table.querySelector('table,h1,h2,h3,h4,h5,h6,p,ul,ol,blockquote,pre,hr,div>div') !== null;
    layoutTables.set(table, layout);
  }
  return layout;
}

function safeUrl(href: string | null): string | undefined {
  if (!href || !/^(https?|mailto):/i.test(href)) return undefined;
  return href.replace(/[()\s]/g, (char) => encodeURIComponent(char));
}

function createService(): TurndownService {
  const service = new TurndownService({
    headingStyle: 'atx',
    codeBlockStyle: 'fenced',
    bulletListMarker: '-',
    emDelimiter: '_',
    strongDelimiter: '**',
    hr: '---',
    linkStyle: 'inlined',
  });

  service.addRule('tableCell', {
    filter: ['th', 'td'],
    replacement: (content, node) => {
      if (isLayoutTable(parentTable(node as Element))) return `\n\n${content}\n\n`;
      const cell = content
        .replace(/\s*\n+\s*/g, ' ')
        .replace(/\|/g, '\\|')
        .trim();
      return `${elementIndex(node as Element) === 0 ? '| ' : ' '}${cell} |`;
    },
  });
  service.addRule('tableRow', {
    filter: 'tr',
    replacement: (content, node) => {
      const row = node as Element;
      const table = parentTable(row);
      if (!table || isLayoutTable(table)) return content;
      if (firstRow(table) !== row) return `\n${content}`;
      const columns = Math.max(cellCount(row), 1);
      return `\n${content}\n|${' --- |'.repeat(columns)}`;
    },
  });
  service.addRule('tableSection', {
    filter: ['thead', 'tbody', 'tfoot'],
    replacement: (content) => content,
  });
  service.addRule('table', {
    filter: 'table',
    replacement: (content, node) =>
      isLayoutTable(node as Element) ? `\n\n${content}\n\n` : `\n\n${content.replace(/\n{2,}/g, '\n').trim()}\n\n`,
  });
  service.addRule('strikethrough', {
    filter: ['del', 's', 'strike'] as never,
    replacement: (content) => (content.trim() ? `~~${content}~~` : ''),
  });
  service.addRule('barePre', {
    filter: (node) => node.nodeName === 'PRE' && node.firstElementChild?.nodeName !== 'CODE',
    replacement: (_content, node) => {
      const text = (node.textContent ?? '').replace(/\n+$/, '');
      const fence = text.includes('```') ? '~~~' : '```';
      return `\n\n${fence}\n${text}\n${fence}\n\n`;
    },
  });
  service.addRule('link', {
    filter: (node) => node.nodeName === 'A',
    replacement: (content, node) => {
      const text = content.trim();
      const href = safeUrl((node as Element).getAttribute('href'));
      if (!text) return '';
      if (!href) return content;
      return `[${text.replace(/\n+/g, ' ')}](${href})`;
    },
  });
  service.addRule('image', {
    filter: 'img',
    replacement: (_content, node) => {
      const image = node as Element;
      const alt = (image.getAttribute('alt') ?? '').replace(/\s+/g, ' ').replace(/[[\]]/g, '').trim();
      const src = safeUrl(image.getAttribute('src'));
      if (!src || src.startsWith('mailto:')) return alt ? `[image: ${alt}]` : '';
      return `![${alt}](${src})`;
    },
  });
  // turndown pads list markers to four columns ("-   item"); two-space nesting reads the same and costs fewer tokens.
  service.addRule('listItem', {
    filter: 'li',
    replacement: (content, node) => {
      const item = node as Element;
      const list = item.parentElement;
      let prefix = '- ';
      if (list?.tagName === 'OL') {
        let index = 0;
        for (let sibling = item.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
          if (sibling.tagName === 'LI') index++;
        }
        const start = Number.parseInt(list.getAttribute('start') ?? '1', 10);
        prefix = `${(Number.isFinite(start) ? start : 1) + index}. `;
      }
      const body = content
        .replace(/^\n+/, '')
        .replace(/\n+$/, '\n')
        .replace(/\n/gm, `\n${' '.repeat(prefix.length)}`);
      return `${prefix}${body}${item.nextElementSibling && !/\n$/.test(body) ? '\n' : ''}`;
    },
  });
  service.addRule('figure', {
    filter: 'figcaption',
    replacement: (content) => (content.trim() ? `\n\n_${content.trim()}_\n\n` : ''),
  });
  return service;
}

let service: TurndownService | undefined;

/** Convert an element (or an HTML string) to Markdown. */
export function toMarkdown(root: Element | string): string {
  service ??= createService();
  return service
    .turndown(root as never)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
