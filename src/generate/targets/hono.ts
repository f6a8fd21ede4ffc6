/**
 * `corsproof generate --for hono`: the policy file as corsproof's Hono middleware, mounted with
 * `app.use` before the routes, on any runtime Hono runs on. Exact: the middleware runs the policy
 * engine.
 */
import {
  EXAMPLE_BODY,
  exposedHeaderNames,
  jsLiteral,
  listenMessage,
  middlewareTarget,
} from './_node.js';

/** Hono with corsproof's middleware. */
export const hono = middlewareTarget({
  name: 'hono',
  summary: "corsproof's Hono middleware (cors.mjs exporting corsMiddleware)",
  framework: 'Hono',
  specifier: 'corsproof/hono',
  exportName: 'corsMiddleware',
  usage: [
    "import { corsMiddleware } from './cors.mjs';",
    "app.use(corsMiddleware); // before the routes, on every path ('*')",
  ],
  packages: ['corsproof', 'hono', '@hono/node-server'],
  example: (file, port) => ({
    server: `// A Hono app answering every path, with the generated CORS middleware, on @hono/node-server.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { corsMiddleware } from './cors.mjs';

const PORT = ${port};
const EXPOSED = ${jsLiteral(exposedHeaderNames(file))};

const app = new Hono();
app.use(corsMiddleware);
app.all('*', (c) => {
  for (const name of EXPOSED) c.header(name, 'example');
  return c.text(${jsLiteral(EXAMPLE_BODY)});
});
serve({ fetch: app.fetch, port: PORT, hostname: '127.0.0.1' }, () => {
  ${listenMessage('hono')}
});
`,
  }),
});
