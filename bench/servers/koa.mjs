/**
 * Koa 3. Modes: `bare`, `peer` (@koa/cors), `corsproof` (corsproof's koa adapter).
 */
import http from 'node:http';
import koaCors from '@koa/cors';
import Koa from 'koa';
import { loadAdapter } from './_adapters.mjs';
import { fail, mode, ready } from './_boot.mjs';
import { BODY, corsproofOptions, koaCorsOptions } from './_policy.mjs';

async function middleware() {
  switch (mode) {
    case 'bare':
      return null;
    case 'peer':
      return koaCors(koaCorsOptions);
    case 'corsproof':
      return (await loadAdapter('koa')).factory(corsproofOptions);
    default:
      throw new Error(`koa.mjs: unknown mode ${JSON.stringify(mode)}`);
  }
}

async function main() {
  const app = new Koa();
  const mw = await middleware();
  if (mw !== null) app.use(mw);
  app.use((ctx) => {
    if (ctx.method === 'OPTIONS') {
      ctx.status = 204;
      return;
    }
    ctx.body = BODY;
  });
  ready(http.createServer(app.callback()));
}

main().catch(fail);
