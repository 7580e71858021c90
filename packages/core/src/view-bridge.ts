/**
 * The View side of MCP Apps, as a script to inline in a view's page: the postMessage JSON-RPC a host speaks with the
 * view (`ui/initialize`, tool input and result, theme, size). A few dozen lines where ext-apps' `App` bundles to about
 * 500 KB with its dependencies; the views built with it stay self-contained (no network, no CDN).
 */

/**
 * A script that defines `connectView(handlers)` in the page. Call it once from the view's own script:
 * `connectView({ onToolInput(params), onToolResult(result), onToolCancelled(), onRefused(error) })` (only
 * `onToolResult` is required). It answers the host's requests, follows its light or dark theme on
 * `document.documentElement.dataset.theme`, initializes, and returns `{ post, resized, callTool }`: `resized()` tells
 * the host the page's size after the view redrew; `callTool(name, args)` asks the host to call one of the server's
 * tools (by its listed name) and resolves with the tool's result (the host may refuse).
 *
 * @example
 * const html = `<script>${viewBridgeScript('my-view')}\nconnectView({ onToolResult: (r) => draw(r) });</script>`;
 */
export function viewBridgeScript(appName: string): string {
  return `
function connectView(handlers) {
  let nextId = 1;
  const pending = new Map();
  const post = (message) => window.parent.postMessage({ jsonrpc: '2.0', ...message }, '*');
  const request = (method, params) => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    post({ id, method, params });
  });
  const theme = (context) => {
    if (context && (context.theme === 'dark' || context.theme === 'light')) document.documentElement.dataset.theme = context.theme;
  };
  const resized = () => post({ method: 'ui/notifications/size-changed', params: { width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight } });
  window.addEventListener('message', (event) => {
    if (event.source !== window.parent) return;
    const message = event.data;
    if (!message || message.jsonrpc !== '2.0') return;
    if (message.id !== undefined && message.method === undefined) {
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (waiting) message.error ? waiting.reject(message.error) : waiting.resolve(message.result);
      return;
    }
    switch (message.method) {
      case 'ui/notifications/tool-input':
        if (handlers.onToolInput) handlers.onToolInput(message.params || {});
        break;
      case 'ui/notifications/tool-result':
        handlers.onToolResult(message.params);
        break;
      case 'ui/notifications/tool-cancelled':
        if (handlers.onToolCancelled) handlers.onToolCancelled();
        break;
      case 'ui/notifications/host-context-changed':
        theme(message.params);
        break;
      default:
        if (message.id !== undefined) post({ id: message.id, result: {} });
    }
  });
  request('ui/initialize', {
    appInfo: { name: ${JSON.stringify(appName)}, version: '1' },
    appCapabilities: {},
    protocolVersion: '2026-01-26',
  }).then((result) => {
    theme(result && result.hostContext);
    post({ method: 'ui/notifications/initialized', params: {} });
  }, (error) => {
    if (handlers.onRefused) handlers.onRefused(error);
  });
  const callTool = (name, args) => request('tools/call', { name, arguments: args || {} });
  return { post, resized, callTool };
}
`;
}
