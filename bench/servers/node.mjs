/**
 * node:http. Modes: `bare` (no CORS), `limit` (the CORS headers written as constants, no decision:
 * the fastest any middleware could be), `limit-read` (the floor: the same after reading the three CORS request
 * headers from `rawHeaders`, as every middleware must read them), `corsproof` (`withCors`
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

/**
 * The floor: what any CORS middleware must do at least, look at the request's three CORS headers,
 * here in the cheapest way Node offers (a scan of `rawHeaders`, which leaves the lazy `req.headers`
 * unbuilt), then write the constant answer.
 */
let seen = 0;
function limitRead(req, res) {
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    const n = name.length;
    if (n === 6 || n === 29 || n === 30) {
      const lower = name.toLowerCase();
      if (
        lower === 'origin' ||
        lower === 'access-control-request-method' ||
        lower === 'access-control-request-headers'
      ) {
        seen += raw[i + 1].length;
      }
    }
  }
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
