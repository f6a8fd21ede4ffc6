/**
 * Hono 4 on @hono/node-server. Modes: `bare`, `peer` (hono/cors), `corsproof` (corsproof's hono
 * adapter).
 */
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { loadAdapter } from './_adapters.mjs';
import { fail, mode, ready } from './_boot.mjs';
import { BODY, corsproofOptions, honoCorsOptions } from './_policy.mjs';

async function middleware() {
  switch (mode) {
    case 'bare':
      return null;
    case 'peer':
      return cors(honoCorsOptions);
    case 'corsproof':
      return (await loadAdapter('hono')).factory(corsproofOptions);
    default:
      throw new Error(`hono.mjs: unknown mode ${JSON.stringify(mode)}`);
  }
}

async function main() {
  const app = new Hono();
  const mw = await middleware();
  if (mw !== null) app.use(mw);
  app.options('/', (c) => c.body(null, 204));
  app.get('/', (c) => c.text(BODY));
  ready(createAdaptorServer({ fetch: app.fetch }));
}

main().catch(fail);
