/**
 * Express 5. Modes: `bare`, `peer` (expressjs/cors), `corsproof` (corsproof's express adapter),
 * `compat` (corsproof's drop-in for expressjs/cors, given expressjs/cors's options).
 */
import http from 'node:http';
import cors from 'cors';
import express from 'express';
import { loadAdapter } from './_adapters.mjs';
import { fail, mode, ready } from './_boot.mjs';
import { BODY, corsPackageOptions, corsproofOptions } from './_policy.mjs';

async function middleware() {
  switch (mode) {
    case 'bare':
      return null;
    case 'peer':
      return cors(corsPackageOptions);
    case 'corsproof':
      return (await loadAdapter('express')).factory(corsproofOptions);
    case 'compat':
      return (await loadAdapter('compat')).factory(corsPackageOptions);
    default:
      throw new Error(`express.mjs: unknown mode ${JSON.stringify(mode)}`);
  }
}

async function main() {
  const app = express();
  const mw = await middleware();
  if (mw !== null) app.use(mw);
  app.options('/', (_req, res) => {
    res.status(204).end();
  });
  app.get('/', (_req, res) => {
    res.type('text/plain').send(BODY);
  });
  ready(http.createServer(app));
}

main().catch(fail);
