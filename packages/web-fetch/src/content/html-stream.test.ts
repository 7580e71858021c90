import { describe, expect, it } from 'vitest';
import { extractLinks, parsePage } from './html-page.js';
import {
  convertStreaming,
  extractLinksStreaming,
  MAX_DOM_DEPTH,
  MAX_DOM_ELEMENTS,
  MAX_STREAM_ELEMENTS,
  measureMarkup,
  streamedNote,
  titleOf,
} from './html-stream.js';

const URL_ = 'https://example.com/docs/page';

const PAGE = `<!doctype html><html><head><title>The &amp; title</title><base href="/base/">
<style>.x { color: red }</style><script>alert(1)</script></head>
<body>
<nav><a href="/home">Home</a></nav>
<h1>Heading one</h1>
<p>Some <b>bold</b> and <em>emphasis</em>, a <a href="next">relative link</a>, a
<a href="javascript:alert(1)">script link</a> and an <img src="pic.png" alt="a [picture]">.</p>
<ul><li>one</li><li>two<ol start="3"><li>three</li><li>four</li></ol></li></ul>
<pre><code>line 1
  line 2 *not emphasis*</code></pre>
<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>
<div hidden>hidden text</div><p aria-hidden="true">aria hidden</p>
<aside>aside text</aside><form><button>Go</button></form>
<footer>footer text</footer>
</body></html>`;

describe('measureMarkup', () => {
  it('counts elements, depth and attributes as the parser sees them', () => {
    const shape = measureMarkup('<html><body><div id="a" class="b"><p>x<p>y</div><br><img src=x></body></html>');
    expect(shape).toEqual({ elements: 7, depth: 4, attributes: 3, over: undefined });
  });

  it('stops at the first limit passed', () => {
    expect(measureMarkup('<p>x</p>'.repeat(MAX_DOM_ELEMENTS + 5)).over).toBe('elements');
    expect(measureMarkup('<div>'.repeat(MAX_DOM_DEPTH + 1)).over).toBe('depth');
    expect(measureMarkup(`<p ${Array.from({ length: 100_001 }, (_, i) => `a${i}=1`).join(' ')}>`).over).toBe(
      'attributes',
    );
  });

  it('stays linear on deep nesting (htmlparser2 alone is quadratic there)', () => {
    // 200,000 nested elements: about 2·10¹⁰ element moves with htmlparser2's own stack, a fraction of a second here.
    const deep = `${'<div>'.repeat(200_000)}text${'</div>'.repeat(200_000)}`;
    const page = convertStreaming(deep, URL_, 'text', true);
    expect(page.content).toBe('text');
    expect(page.cut).toBe(false);
  });
});

describe('convertStreaming', () => {
  it('writes Markdown of the whole page, without noise, boilerplate or hidden elements', () => {
    const page = convertStreaming(PAGE, URL_, 'markdown', true);
    expect(page.title).toBe('The & title');
    expect(page.content).toBe(
      [
        '# Heading one',
        '',
        'Some **bold** and _emphasis_, a [relative link](https://example.com/base/next), a script link and an ![a picture](https://example.com/base/pic.png).',
        '',
        '- one',
        '- two',
        '  3. three',
        '  4. four',
        '',
        '```',
        'line 1',
        '  line 2 *not emphasis*',
        '```',
        '',
        'A | B',
        '1 | 2',
      ].join('\n'),
    );
  });

  it('keeps the boilerplate when mainContent is false, never scripts or hidden elements', () => {
    const page = convertStreaming(PAGE, URL_, 'text', false);
    expect(page.content).toMatch(/^Home\n\nHeading one\n\nSome bold and emphasis/);
    expect(page.content).toMatch(/aside text/);
    expect(page.content).toMatch(/footer text/);
    expect(page.content).not.toMatch(/alert|color|hidden text|aria hidden/);
  });

  it('writes cleaned HTML: semantic elements, absolute links, escaped text', () => {
    const page = convertStreaming(`${PAGE}<p>&lt;script&gt; 1 &lt; 2</p>`, URL_, 'html', true);
    expect(page.content).toMatch(
      /^<h1>Heading one<\/h1> <p>Some <b>bold<\/b> and <em>emphasis<\/em>, a <a href="https:\/\/example.com\/base\/next">relative link<\/a>/,
    );
    expect(page.content).toMatch(/<img src="https:\/\/example.com\/base\/pic.png" alt="a \[picture\]">/);
    expect(page.content).toMatch(/<p>&lt;script&gt; 1 &lt; 2<\/p>$/);
    expect(page.content).not.toMatch(/<script|<nav|<form|javascript:|<style/);
  });

  it('escapes Markdown in text, and emphasis nested a hundred thousand deep is marked once', () => {
    expect(convertStreaming('<p>a *star* and [brackets]</p>', URL_, 'markdown', true).content).toBe(
      'a \\*star\\* and \\[brackets\\]',
    );
    const deep = `<p>${'<b>'.repeat(100_000)}bold`;
    expect(convertStreaming(deep, URL_, 'markdown', true).content).toBe('**bold**');
  });

  it('reads at most MAX_STREAM_ELEMENTS elements and says so', () => {
    const page = convertStreaming(`${'<p>x</p>'.repeat(MAX_STREAM_ELEMENTS)}<p>after</p>`, URL_, 'text', true);
    expect(page.cut).toBe(true);
    expect(page.content).not.toMatch(/after/);
    const note = streamedNote({ elements: MAX_DOM_ELEMENTS + 1, depth: 2, attributes: 0, over: 'elements' }, true);
    expect(note).toMatch(/more than 10,000 elements.*Only its first 250,000 elements were read/);
  });
});

describe('links and titles without a DOM', () => {
  it('lists the same links as the DOM path', () => {
    const html = `<html><head><base href="https://example.com/base/"></head><body>
      <a href="a">A</a> <a href="a#frag">again</a> <a href="${URL_}">self</a> <a href="mailto:x@y">mail</a>
      <a href="https://other.org/x" rel="nofollow"><img alt="picture"></a> <a href="b" aria-label="label"></a>
      <a href="c" title="titled"></a> <a href="https://user:pw@example.com/">creds</a> <a href="https://docs.example.com/">docs</a>
      <map><area href="/area" alt="area"></map></body></html>`;
    const dom = extractLinks(parsePage(html, URL_), URL_);
    const streamed = extractLinksStreaming(html, URL_);
    expect(streamed.links.map(({ url, text, sameSite, rel }) => ({ url, text, sameSite, rel }))).toEqual(
      dom
        .map(({ url, text, sameSite, rel }) => ({ url, text, sameSite, rel }))
        .map((link) => (link.url.endsWith('/area') ? { ...link, text: 'area' } : link)),
    );
    expect(streamed.cut).toBe(false);
  });

  it('reads the title like the DOM path: <title>, og:title, first <h1>', () => {
    expect(titleOf('<title> A  title </title><h1>H</h1>', URL_)).toBe('A title');
    expect(titleOf('<meta property="og:title" content="OG"><h1>H</h1>', URL_)).toBe('OG');
    expect(titleOf('<body><h1>Only <i>h1</i></h1>', URL_)).toBe('Only h1');
    expect(titleOf('<p>nothing</p>', URL_)).toBeUndefined();
  });
});
