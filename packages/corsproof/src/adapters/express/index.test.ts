import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { compilePolicy } from '../../policy/compile.js';
import { CorsRoutesError } from '../../policy/routes/errors.js';
import { cors, corsPolicies } from './index.js';

const APP = 'https://app.example';
const EVIL = 'https://evil.example';
const PARTNER = 'https://partner.example';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(app: express.Express): Promise<string> {
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A raw request, for paths `fetch` would normalize and for reading a streamed body. */
function raw(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const preflight = (origin: string, method = 'PUT', headers?: string) => ({
  method: 'OPTIONS',
  headers: {
    origin,
    'access-control-request-method': method,
    ...(headers === undefined ? {} : { 'access-control-request-headers': headers }),
  },
});

const silentErrors: ErrorRequestHandler = (error, _req, res, _next) => {
  res.status(500).json({ error: String((error as Error).message) });
};

describe('cors() for Express', () => {
  const policy = {
    origins: [APP],
    credentials: true,
    methods: ['PUT'],
    requestHeaders: ['content-type'],
    exposeHeaders: ['x-total'],
  };

  it('answers a preflight itself, without app.options and without running the route', async () => {
    let ran = false;
    const app = express();
    app.use(cors(policy));
    app.put('/items/:id', (_req, res) => {
      ran = true;
      res.end();
    });
    const base = await listen(app);
    const res = await fetch(`${base}/items/7`, preflight(APP, 'PUT', 'content-type'));
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-allow-methods')).toBe('PUT');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type');
    expect(res.headers.get('vary')).toBe(
      'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    );
    expect(ran).toBe(false);
  });

  it('refuses a preflight from an origin not allowed with a bare 403', async () => {
    const app = express();
    app.use(cors(policy));
    const res = await fetch(`${await listen(app)}/items/7`, preflight(EVIL));
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('adds the headers to an allowed request and merges Vary with what is there', async () => {
    const app = express();
    app.use((_req, res, next) => {
      res.vary('Accept-Encoding');
      next();
    });
    app.use(cors(policy));
    app.get('/items', (_req, res) => {
      res.json([]);
    });
    const res = await fetch(`${await listen(app)}/items`, { headers: { origin: APP } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-expose-headers')).toBe('x-total');
    expect(res.headers.get('vary')).toBe('Accept-Encoding, Origin');
  });

  it('leaves a refused origin without CORS headers but still says Vary: Origin', async () => {
    const app = express();
    app.use(cors(policy));
    app.get('/items', (_req, res) => {
      res.json([]);
    });
    const res = await fetch(`${await listen(app)}/items`, { headers: { origin: EVIL } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('vary')).toBe('Origin');
  });

  it('lets an OPTIONS request that is not a preflight through to the app', async () => {
    const app = express();
    app.use(cors(policy));
    app.options('/items', (_req, res) => {
      res.status(200).send('app options');
    });
    const res = await fetch(`${await listen(app)}/items`, {
      method: 'OPTIONS',
      headers: { origin: APP },
    });
    expect(await res.text()).toBe('app options');
  });

  it('keeps the CORS headers on error responses, default handler or not', async () => {
    const app = express();
    app.use(cors(policy));
    app.get('/boom', () => {
      throw new Error('boom');
    });
    app.get('/teapot', (_req, res) => {
      res.status(418).end();
    });
    const base = await listen(app);
    const boom = await fetch(`${base}/boom`, { headers: { origin: APP } });
    expect(boom.status).toBe(500);
    expect(boom.headers.get('access-control-allow-origin')).toBe(APP);
    const missing = await fetch(`${base}/nowhere`, { headers: { origin: APP } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('access-control-allow-origin')).toBe(APP);
    const teapot = await fetch(`${base}/teapot`, { headers: { origin: APP } });
    expect(teapot.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('forwards an async predicate error to next(err)', async () => {
    const app = express();
    app.use(
      cors({
        origins: async () => {
          throw new Error('tenant lookup failed');
        },
      }),
    );
    app.get('/items', (_req, res) => {
      res.end('unreachable');
    });
    app.use(silentErrors);
    const res = await fetch(`${await listen(app)}/items`, { headers: { origin: APP } });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'tenant lookup failed' });
  });

  it('waits for an async predicate before the route runs', async () => {
    const app = express();
    app.use(cors({ origins: async (origin) => origin === PARTNER }));
    app.get('/items', (_req, res) => {
      res.end('ok');
    });
    const base = await listen(app);
    const ok = await fetch(`${base}/items`, { headers: { origin: PARTNER } });
    expect(ok.headers.get('access-control-allow-origin')).toBe(PARTNER);
    const pre = await fetch(`${base}/items`, preflight(PARTNER, 'GET'));
    expect(pre.status).toBe(204);
  });

  it('handles HEAD like GET', async () => {
    const app = express();
    app.use(cors(policy));
    app.get('/items', (_req, res) => {
      res.json([1, 2]);
    });
    const res = await fetch(`${await listen(app)}/items`, {
      method: 'HEAD',
      headers: { origin: APP },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('sets the headers before a streamed response starts', async () => {
    const app = express();
    app.use(cors(policy));
    app.get('/stream', (_req, res) => {
      res.write('a');
      setTimeout(() => res.end('b'), 5);
    });
    const res = await raw(await listen(app), 'GET', '/stream', { origin: APP });
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.body).toBe('ab');
  });

  it('steps aside when the headers were already sent', async () => {
    const app = express();
    app.use((_req, res, next) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      next();
    });
    app.use(cors(policy));
    app.use((_req, res) => {
      res.end('early');
    });
    const res = await raw(await listen(app), 'GET', '/', { origin: APP });
    expect(res.body).toBe('early');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('works on a router: preflights under its mount point only', async () => {
    const app = express();
    const api = express.Router();
    api.use(cors(policy));
    api.put('/items/:id', (_req, res) => {
      res.end();
    });
    app.use('/api', api);
    const base = await listen(app);
    expect((await fetch(`${base}/api/items/1`, preflight(APP))).status).toBe(204);
    const outside = await fetch(`${base}/elsewhere`, preflight(APP));
    expect(outside.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('works on a single route mounted for every method; app.get alone never sees preflights', async () => {
    const app = express();
    app.all('/one', cors(policy));
    app.put('/one', (_req, res) => {
      res.end('one');
    });
    app.get('/two', cors(policy), (_req, res) => {
      res.end('two');
    });
    const base = await listen(app);
    expect((await fetch(`${base}/one`, preflight(APP))).status).toBe(204);
    const put = await fetch(`${base}/one`, { method: 'PUT', headers: { origin: APP } });
    expect(put.headers.get('access-control-allow-origin')).toBe(APP);
    // Express answers OPTIONS /two itself (Allow: GET, HEAD): the route's middleware never runs.
    const two = await fetch(`${base}/two`, preflight(APP, 'GET', 'content-type'));
    expect(two.headers.get('access-control-allow-origin')).toBeNull();
    const get = await fetch(`${base}/two`, { headers: { origin: APP } });
    expect(get.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('accepts a compiled policy', async () => {
    const app = express();
    app.use(cors(compilePolicy({ origins: '*' })));
    app.get('/', (_req, res) => {
      res.end();
    });
    const res = await fetch(`${await listen(app)}/`, { headers: { origin: EVIL } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('validates options when the middleware is created', () => {
    expect(() => cors({ origins: '*', credentials: true })).toThrow(/^corsproof: /);
    expect(() => cors()).toThrow(CorsRoutesError);
  });
});

describe('path tables and named policies for Express', () => {
  it('picks a policy per path, first match wins, against the full URL', async () => {
    const app = express();
    const api = express.Router();
    api.use(
      cors.paths({
        '/api/admin/*': false,
        '/api/public/*': { origins: '*' },
        '/api/*': { origins: [APP], credentials: true },
      }),
    );
    api.get('/admin/secret', (_req, res) => {
      res.end('secret');
    });
    api.get('/public/info', (_req, res) => {
      res.end('info');
    });
    api.get('/orders', (_req, res) => {
      res.end('orders');
    });
    app.use('/api', api);
    const base = await listen(app);
    const get = (path: string, origin: string) => raw(base, 'GET', path, { origin });
    expect((await get('/api/public/info', EVIL)).headers['access-control-allow-origin']).toBe('*');
    expect((await get('/api/orders', APP)).headers['access-control-allow-origin']).toBe(APP);
    expect(
      (await get('/api/admin/secret', APP)).headers['access-control-allow-origin'],
    ).toBeUndefined();
    expect(
      (await raw(base, 'OPTIONS', '/api/admin/secret', preflight(APP).headers)).status,
    ).not.toBe(204);
  });

  it('gives no CORS to paths Express routes case-insensitively or with a trailing slash (CVE-2024-6866 class)', async () => {
    const app = express();
    app.use(cors.paths({ '/admin/*': false, '/*': { origins: '*' } }));
    app.get('/admin/secret', (_req, res) => {
      res.end('secret');
    });
    app.get('/users/:id', (_req, res) => {
      res.end('user');
    });
    const base = await listen(app);
    for (const path of ['/ADMIN/secret', '/Admin/secret/', '/admin/secret/']) {
      const res = await raw(base, 'GET', path, { origin: EVIL });
      expect(res.body).toBe('secret'); // Express serves it...
      expect(res.headers['access-control-allow-origin']).toBeUndefined(); // ...without CORS.
    }
    // Express does not decode %2F, resolve dot segments or merge slashes; corsproof refuses them.
    for (const path of ['/public/../admin/secret', '/admin%2Fsecret', '//admin/secret']) {
      const res = await raw(base, 'GET', path, { origin: EVIL });
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
    const user = await raw(base, 'GET', '/users/a+b', { origin: EVIL });
    expect(user.headers['access-control-allow-origin']).toBe('*');
  });

  it('applies named policies by route, the default elsewhere, and none where asked', async () => {
    const cp = corsPolicies({
      default: { origins: [APP] },
      policies: { partners: { origins: [PARTNER], credentials: true } },
    });
    const app = express();
    app.use('/health', cp.none());
    app.use('/partners', cp.route('partners'));
    app.use(cp());
    app.get('/partners/feed', (_req, res) => {
      res.end();
    });
    app.get('/orders', (_req, res) => {
      res.end();
    });
    app.get('/health', (_req, res) => {
      res.end();
    });
    const base = await listen(app);
    const feed = await fetch(`${base}/partners/feed`, { headers: { origin: PARTNER } });
    expect(feed.headers.get('access-control-allow-origin')).toBe(PARTNER);
    expect(feed.headers.get('access-control-allow-credentials')).toBe('true');
    const feedPre = await fetch(`${base}/partners/feed`, preflight(APP, 'GET', 'x-a'));
    expect(feedPre.status).toBe(403);
    const orders = await fetch(`${base}/orders`, { headers: { origin: APP } });
    expect(orders.headers.get('access-control-allow-origin')).toBe(APP);
    const health = await fetch(`${base}/health`, { headers: { origin: APP } });
    expect(health.headers.get('access-control-allow-origin')).toBeNull();
    expect(health.headers.get('vary')).toBeNull();
  });

  it('lets the first corsproof middleware decide, never mixing two policies', async () => {
    const app = express();
    app.use(cors({ origins: [APP] }));
    app.get('/x', cors({ origins: '*', exposeHeaders: ['x-a'] }), (_req, res) => {
      res.end();
    });
    const res = await fetch(`${await listen(app)}/x`, { headers: { origin: APP } });
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-expose-headers')).toBeNull();
    expect(res.headers.get('vary')).toBe('Origin');
  });

  it('rejects an unknown policy name when the middleware is created', () => {
    const cp = corsPolicies({ policies: { partners: { origins: [PARTNER] } } });
    expect(() => cp.route('partner')).toThrow(/corsproof: .*"partner": no policy is registered/s);
    expect(() => cp.paths({ '/x/*': 'nope' })).toThrow(CorsRoutesError);
  });
});
