/**
 * The notes view in a real browser: its HTML read through a real MCP client, real `notes_search` and `notes_list`
 * results delivered by ext-apps' AppBridge in headless Chromium, the notes checked in the DOM and the screenshot.
 */
import { pixel, showView, viewOf } from '@mcp-packs/core/testing/views';
import { describe, expect, it } from 'vitest';
import { connectNotes, createNote } from '../tools/fixtures/connect-notes.js';

async function viewHtml(conn: Awaited<ReturnType<typeof connectNotes>>, tool: string): Promise<string> {
  const { uri, html } = await viewOf(conn, tool);
  expect(uri).toBe('ui://notes/notes');
  return html;
}

describe('notes view in Chromium', { timeout: 60_000 }, () => {
  it('shows search results with titles, tags and marked snippets, and filters by tag and text', async () => {
    await using conn = await connectNotes();
    await createNote(conn, {
      title: 'Garden plan',
      body: 'Tomatoes along the garden fence.',
      tags: ['garden', 'spring'],
    });
    await createNote(conn, { title: 'Seed order', body: 'Order garden seeds: basil, peas.', tags: ['shopping'] });
    await createNote(conn, { title: 'Tax return', body: 'Receipts in the blue folder.', tags: ['admin'] });
    const args = { query: 'garden' };
    const result = await conn.callTool('search', args);
    expect(result.isError).toBeFalsy();

    await using view = await showView(await viewHtml(conn, 'notes_search'), {
      input: args,
      result,
      ready: '#notes[data-ready="true"]',
    });
    expect(view.requests).toEqual([]);
    expect(await view.frame.$eval('#heading', (node) => node.textContent)).toBe('2 matches for “garden”');
    const titles = () => view.frame.$$eval('#notes .title', (nodes) => nodes.map((node) => node.textContent));
    expect((await titles()).sort()).toEqual(['Garden plan', 'Seed order']);
    expect(
      await view.frame.$$eval('#notes mark', (nodes) => nodes.map((node) => node.textContent?.toLowerCase())),
    ).toContain('garden');
    expect(await view.frame.$$eval('#notes .tag', (nodes) => nodes.map((node) => node.textContent).sort())).toEqual([
      '#garden',
      '#shopping',
      '#spring',
    ]);

    // Drawn, not just in the DOM: dark text where the first title is, on a light page.
    const box = await view.frame.$eval('#notes .title', (node) => {
      const rect = node.getBoundingClientRect();
      return { left: rect.left, top: rect.top, width: rect.width, height: rect.height };
    });
    const png = await view.screenshot();
    let dark = 0;
    for (let y = box.top; y < box.top + box.height; y++) {
      for (let x = box.left; x < box.left + box.width; x++)
        if (pixel(png, x, y).every((channel) => channel < 110)) dark++;
    }
    expect(dark).toBeGreaterThan(20);
    expect(pixel(png, 2, png.height - 2)).toEqual([255, 255, 255]);

    await view.frame.click('#notes .tag:not([aria-pressed="true"])');
    expect(await titles()).toHaveLength(1);
    await view.frame.click('#notes .tag[aria-pressed="true"]');
    expect(await titles()).toHaveLength(2);
    await view.frame.type('#filter', 'basil');
    expect(await titles()).toEqual(['Seed order']);
  });

  it('shows a list result', async () => {
    await using conn = await connectNotes();
    for (const title of ['One', 'Two', 'Three']) await createNote(conn, { title, body: `Body of ${title}.` });
    const args = { sort: 'created', order: 'asc' };
    const result = await conn.callTool('list', args);
    await using view = await showView(await viewHtml(conn, 'notes_list'), {
      input: args,
      result,
      ready: '#notes[data-ready="true"]',
    });
    expect(await view.frame.$eval('#heading', (node) => node.textContent)).toBe('3 notes');
    expect(await view.frame.$$eval('#notes .title', (nodes) => nodes.map((node) => node.textContent))).toEqual([
      'One',
      'Two',
      'Three',
    ]);
    expect(await view.frame.$$eval('#notes .text', (nodes) => nodes.map((node) => node.textContent))).toContain(
      'Body of Two.',
    );
  });
});
