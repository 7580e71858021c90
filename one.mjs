import { request } from 'node:http';
const [url, token] = [process.argv[2], process.argv[3]];
function post(session, body) { const payload = JSON.stringify(body); return new Promise((resolve) => { const req = request(url, { method: 'POST', headers: { accept: 'application/json, text/event-stream', 'content-type': 'application/json', 'mcp-protocol-version': '2025-06-18', ...(session ? { 'mcp-session-id': session } : {}), ...(token ? { authorization: 'Bearer ' + token } : {}) } }, (res) => { let t=''; res.on('data', c => t += c); res.on('end', () => resolve({ s: res.headers['mcp-session-id'], t, h: res.rawHeaders })); }); req.end(payload); }); }
const r = await post('', {jsonrpc:'2.0', id: 1, method:'initialize', params:{protocolVersion:'2025-06-18', capabilities:{}, clientInfo:{name:'b',version:'0'}}});
await post(r.s, {jsonrpc:'2.0', method:'notifications/initialized'});
const c = await post(r.s, {jsonrpc:'2.0', id: 2, method:'tools/call', params:{name:'echo', arguments:{text:'x'}}});
console.log(JSON.stringify(c.t), c.h.join(' '));
