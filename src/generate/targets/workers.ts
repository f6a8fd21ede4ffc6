/**
 * `corsproof generate --for workers`: the policy file as corsproof's fetch-handler wrapper, for
 * Cloudflare Workers and any runtime serving a `fetch(request)` handler (Bun, Deno). Exact: the
 * wrapper runs the policy engine.
 */
import type { PolicyFile } from 'corsproof';
import {
  EXAMPLE_BODY,
  exposedHeaderNames,
  jsLiteral,
  listenMessage,
  middlewareTarget,
} from './_node.js';

/** The example Worker: every path answers with the short body. */
function worker(file: PolicyFile): string {
  return `// A Worker answering every path, with the generated CORS wrapper.
import { withCorsPolicy } from './cors.mjs';

const EXPOSED = ${jsLiteral(exposedHeaderNames(file))};

export default {
  fetch: withCorsPolicy(async () => {
    const headers = new Headers({ 'content-type': 'text/plain' });
    for (const name of EXPOSED) headers.set(name, 'example');
    return new Response(${jsLiteral(EXAMPLE_BODY)}, { headers });
  }),
};
`;
}

/** node:http in front of the Worker, handing it a Request as a Workers runtime would. */
function server(port: number): string {
  return `// Serves worker.mjs on node:http, the way a Workers runtime hands it requests.
import http from 'node:http';
import worker from './worker.mjs';

const PORT = ${port};
const ORIGIN = \`http://127.0.0.1:\${PORT}\`;

async function toRequest(req) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks);
  // Appended, not resolved: a target starting "//" stays a path, never a host.
  return new Request(ORIGIN + req.url, { method: req.method, headers, body });
}

http
  .createServer(async (req, res) => {
    let request;
    try {
      request = await toRequest(req);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const response = await worker.fetch(request, {}, { waitUntil() {}, passThroughOnException() {} });
    for (const [name, value] of response.headers) res.appendHeader(name, value);
    res.statusCode = response.status;
    res.end(req.method === 'HEAD' ? undefined : Buffer.from(await response.arrayBuffer()));
  })
  .listen(PORT, '127.0.0.1', () => {
    ${listenMessage('workers')}
  });
`;
}

/** A Cloudflare Worker or any fetch handler, with corsproof's wrapper. */
export const workers = middlewareTarget({
  name: 'workers',
  summary: "corsproof's fetch-handler wrapper for Workers, Bun, Deno (cors.mjs, withCorsPolicy)",
  framework: 'a Cloudflare Worker (or any fetch handler)',
  specifier: 'corsproof/fetch',
  exportName: 'withCorsPolicy',
  usage: [
    "import { withCorsPolicy } from './cors.mjs';",
    'export default { fetch: withCorsPolicy(async (request, env, ctx) => handle(request)) };',
    '',
    'Bun.serve({ fetch: withCorsPolicy(handler) }) and Deno.serve(withCorsPolicy(handler)) work alike.',
  ],
  packages: ['corsproof'],
  example: (file, port) => ({
    server: server(port),
    more: [{ path: 'worker.mjs', contents: worker(file) }],
  }),
});
