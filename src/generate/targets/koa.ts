/**
 * `corsproof generate --for koa`: the policy file as corsproof's Koa middleware, mounted with
 * `app.use` before the routes. Exact: the middleware runs the policy engine.
 */
import {
  EXAMPLE_BODY,
  exposedHeaderNames,
  jsLiteral,
  listenMessage,
  middlewareTarget,
} from './_node.js';

/** Koa with corsproof's middleware. */
export const koa = middlewareTarget({
  name: 'koa',
  summary: "corsproof's Koa middleware (cors.mjs exporting corsMiddleware)",
  framework: 'Koa',
  specifier: 'corsproof/koa',
  exportName: 'corsMiddleware',
  usage: [
    "import { corsMiddleware } from './cors.mjs';",
    'app.use(corsMiddleware); // first: it keeps its headers on thrown errors too',
  ],
  packages: ['corsproof', 'koa'],
  example: (file, port) => ({
    server: `// A Koa app answering every path, with the generated CORS middleware.
import Koa from 'koa';
import { corsMiddleware } from './cors.mjs';

const PORT = ${port};
const EXPOSED = ${jsLiteral(exposedHeaderNames(file))};

const app = new Koa();
app.use(corsMiddleware);
app.use((ctx) => {
  for (const name of EXPOSED) ctx.set(name, 'example');
  ctx.type = 'text/plain';
  ctx.body = ${jsLiteral(EXAMPLE_BODY)};
});
app.listen(PORT, '127.0.0.1', () => {
  ${listenMessage('koa')}
});
`,
  }),
});
