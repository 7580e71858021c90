/**
 * The view test host of `@mcp-packs/core/testing/views` in headless Chromium: a pack's view gets a real tool result,
 * and a tool call the view makes through the host (`tools/call` over `postMessage`) reaches the pack and comes back.
 */

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePack, defineTool, defineView, viewBridgeScript } from '../index.js';
import { connectPack } from './index.js';
import { showToolView } from './views.js';

const page = `<!doctype html><html><head><meta charset="utf-8"></head><body>
<p id="value"></p><button id="again" type="button">Double again</button><p id="error"></p>
<script>${viewBridgeScript('doubler-view')}
const shown = (result) => {
  document.getElementById('value').textContent = String(result.structuredContent.value);
  document.getElementById('value').dataset.value = String(result.structuredContent.value);
};
const bridge = connectView({ onToolResult: shown });
document.getElementById('again').addEventListener('click', () => {
  const value = Number(document.getElementById('value').dataset.value);
  bridge.callTool('calc_double', { n: value }).then(shown, (error) => {
    document.getElementById('error').textContent = error.message || String(error);
  });
});
</script></body></html>`;

const doubler = definePack({
  name: 'calc',
  version: '1.0.0',
  description: 'Doubles numbers, with a view.',
  tools: {
    double: defineTool({
      description: 'Double n.',
      inputSchema: z.object({ n: z.number() }),
      outputSchema: z.object({ value: z.number() }),
      annotations: { readOnlyHint: true, openWorldHint: false },
      execute: ({ n }) => ({ value: n * 2 }),
      view: 'ui://doubler',
    }),
  },
  resources: { doubler: defineView({ uri: 'ui://doubler', description: 'Shows the doubled value.', html: page }) },
});

describe('the view test host', { timeout: 60_000 }, () => {
  it('delivers a tool result to the view and answers the tool calls the view makes', async () => {
    await using conn = await connectPack(doubler);
    await using view = await showToolView(conn, 'double', { n: 3 }, { ready: '#value[data-value]' });
    expect(view.result.structuredContent).toEqual({ value: 6 });
    expect(await view.frame.$eval('#value', (node) => node.textContent)).toBe('6');
    await view.frame.click('#again');
    await view.frame.waitForSelector('#value[data-value="12"]', { timeout: 10_000 });
    expect(await view.toolCalls()).toEqual([{ name: 'calc_double', arguments: { n: 6 } }]);
    expect(await view.frame.$eval('#error', (node) => node.textContent)).toBe('');
    expect(view.requests).toEqual([]);
  });
});
