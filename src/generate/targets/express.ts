/**
 * `corsproof generate --for express`: the policy file as corsproof's Express middleware, mounted
 * with `app.use` before the routes. Exact: the middleware runs the policy engine.
 */
import { expressServer, middlewareTarget } from './_node.js';

/** Express with corsproof's middleware. */
export const express = middlewareTarget({
  name: 'express',
  summary: "corsproof's Express middleware (cors.mjs exporting corsMiddleware)",
  framework: 'Express',
  specifier: 'corsproof/express',
  exportName: 'corsMiddleware',
  usage: [
    "import { corsMiddleware } from './cors.mjs';",
    'app.use(corsMiddleware); // before the routes: it answers preflights itself',
  ],
  packages: ['corsproof', 'express'],
  example: (file, port) => ({ server: expressServer('express', 'cors.mjs', file, port) }),
});
