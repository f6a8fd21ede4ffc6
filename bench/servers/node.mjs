/**
 * node:http. Modes: `bare` (no CORS), `limit` (the CORS headers written as constants, no decision:
 * the fastest any middleware could be), `limit-read` (the same after reading the three CORS request
 * headers, which makes Node build `req.headers`, as every middleware must), `corsproof` (`withCors`
 * from corsproof's node adapter).
 */
import http from 'node:http';
import { loadAdapter } from './_adapters.mjs';
import { fail, mode, ready } from './_boot.mjs';
import {
  BODY,
  CONTENT_TYPE,
  corsproofOptions,
  LIMIT_ACTUAL_HEADERS,
  LIMIT_PREFLIGHT_HEADERS,
} from './_policy.mjs';

/** The app: the same in every mode. */
function app(req, res) {
  if (req.method === 'OPTIONS') {
    res.statusCode = 204;
    res.end();
    return;
  }
  res.setHeader('content-type', CONTENT_TYPE);
  res.end(BODY);
}

/** The same header-setting calls a middleware must make, with nothing left to decide. */
function limit(req, res) {
  if (req.method === 'OPTIONS') {
    for (const [name, value] of LIMIT_PREFLIGHT_HEADERS) res.setHeader(name, value);
    res.statusCode = 204;
    res.end();
    return;
  }
  for (const [name, value] of LIMIT_ACTUAL_HEADERS) res.setHeader(name, value);
  app(req, res);
}

/** What any CORS middleware must do at least: look at the request's CORS headers. */
let seen = 0;
function limitRead(req, res) {
  const h = req.headers;
  seen += (h.origin?.length ?? 0) + (h['access-control-request-method']?.length ?? 0);
  seen += h['access-control-request-headers']?.length ?? 0;
  limit(req, res);
}
process.on('exit', () => seen);

async function handler() {
  switch (mode) {
    case 'bare':
      return app;
    case 'limit':
      return limit;
    case 'limit-read':
      return limitRead;
    case 'corsproof': {
      const { factory } = await loadAdapter('node');
      return factory(corsproofOptions, app);
    }
    default:
      throw new Error(`node.mjs: unknown mode ${JSON.stringify(mode)}`);
  }
}

handler().then((h) => ready(http.createServer(h)), fail);
