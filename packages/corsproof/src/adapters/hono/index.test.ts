import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { stream } from 'hono/streaming';
import { afterEach, describe, expect, it } from 'vitest';
import { CorsRoutesError } from '../../policy/routes/errors.js';
import { cors, corsPolicies } from './index.js';

const APP = 'https://app.example';
const EVIL = 'https://evil.example';
const PARTNER = 'https://partner.example';

const policy = { origins: [APP], credentials: true, methods: ['PUT'], exposeHeaders: ['x-total'] };

const preflight = (origin: string, method = 'PUT') => ({
  method: 'OPTIONS',
  headers: { origin, 'access-control-request-method': method },
});

const servers: ServerType[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(app: Hono): Promise<string> {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  servers.push(server);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function appWith(...setup: ((app: Hono) => void)[]): Hono {
  const app = new Hono();
  app.use(cors(policy));
  for (const s of setup) s(app);
  return app;
}

describe('cors() for Hono', () => {
  it('answers a preflight with c.body(null, status) where no OPTIONS route exists', async () => {
    let ran = false;
    const app = appWith((a) =>
      a.put('/items/:id', (c) => {
        ran = true;
        return c.text('no');
      }),
    );
    const res = await app.request('/items/1', preflight(APP));
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-methods')).toBe('PUT');
    expect(ran).toBe(false);
    expect((await app.request('/nowhere', preflight(APP))).status).toBe(204);
    const refused = await app.request('/items/1', preflight(EVIL));
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('adds the headers to c.json responses and to Responses a handler builds itself', async () => {
    const app = appWith(
      (a) => a.get('/json', (c) => c.json([])),
      (a) => a.get('/raw', () => new Response('raw', { headers: { vary: 'Accept-Encoding' } })),
      (a) =>
        a.get('/vary', (c) => {
          c.header('Vary', 'Cookie');
          return c.text('vary');
        }),
    );
    for (const path of ['/json', '/raw', '/vary']) {
      const res = await app.request(path, { headers: { origin: APP } });
      expect(res.headers.get('access-control-allow-origin')).toBe(APP);
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    }
    expect((await app.request('/raw', { headers: { origin: APP } })).headers.get('vary')).toBe(
      'Accept-Encoding, Origin',
    );
    expect((await app.request('/vary', { headers: { origin: APP } })).headers.get('vary')).toBe(
      'Cookie, Origin',
    );
  });

  it('leaves a refused origin without CORS headers, with Vary: Origin', async () => {
    const app = appWith((a) => a.get('/', (c) => c.text('ok')));
    const res = await app.request('/', { headers: { origin: EVIL } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('vary')).toBe('Origin');
  });

  it('keeps the headers on errors, HTTPExceptions, custom onError responses and 404s', async () => {
    const app = appWith(
      (a) =>
        a.get('/boom', () => {
          throw new Error('boom');
        }),
      (a) =>
        a.get('/401', () => {
          throw new HTTPException(401, { message: 'who are you' });
        }),
    );
    const check = async (a: Hono, path: string, status: number) => {
      const res = await a.request(path, { headers: { origin: APP } });
      expect(res.status).toBe(status);
      expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    };
    const log = console.error;
    console.error = () => {};
    try {
      await check(app, '/boom', 500);
      await check(app, '/401', 401);
      await check(app, '/missing', 404);
      app.onError(() => new Response('custom', { status: 502 }));
      await check(app, '/boom', 502);
    } finally {
      console.error = log;
    }
  });

  it('copies an immutable response (a fetch() passed through)', async () => {
    const upstream = await listen(new Hono().get('/', (c) => c.text('upstream')));
    const app = appWith((a) => a.get('/proxy', () => fetch(`${upstream}/`)));
    const res = await app.request('/proxy', { headers: { origin: APP } });
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(await res.text()).toBe('upstream');
    const redirect = appWith((a) =>
      a.get('/r', () => Response.redirect('https://x.example/', 301)),
    );
    const moved = await redirect.request('/r', { headers: { origin: APP } });
    expect(moved.status).toBe(301);
    expect(moved.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('handles HEAD and streamed responses', async () => {
    const app = appWith(
      (a) => a.get('/', (c) => c.text('hello')),
      (a) =>
        a.get('/stream', (c) =>
          stream(c, async (s) => {
            await s.write('a');
            await s.write('b');
          }),
        ),
    );
    const head = await app.request('/', { method: 'HEAD', headers: { origin: APP } });
    expect(head.headers.get('access-control-allow-origin')).toBe(APP);
    const streamed = await app.request('/stream', { headers: { origin: APP } });
    expect(streamed.headers.get('access-control-allow-origin')).toBe(APP);
    expect(await streamed.text()).toBe('ab');
  });

  it('gives predicates the Hono context as raw, and lets async errors reach onError', async () => {
    const app = new Hono();
    app.use(
      cors({
        origins: async (origin, request) => {
          const c = request.raw as Context;
          if (c.req.header('x-fail') !== undefined) throw new Error('lookup failed');
          return origin === PARTNER && c.req.header('x-tenant') === 'acme';
        },
      }),
    );
    app.get('/', (c) => c.text('ok'));
    app.onError((error, c) => c.text(String(error.message), 500));
    const yes = await app.request('/', { headers: { origin: PARTNER, 'x-tenant': 'acme' } });
    expect(yes.headers.get('access-control-allow-origin')).toBe(PARTNER);
    const no = await app.request('/', { headers: { origin: PARTNER } });
    expect(no.headers.get('access-control-allow-origin')).toBeNull();
    const failed = await app.request('/', { headers: { origin: PARTNER, 'x-fail': '1' } });
    expect(failed.status).toBe(500);
    expect(await failed.text()).toBe('lookup failed');
  });

  it("keeps the handler's response object when it already carries every header", async () => {
    let built: Response | undefined;
    const app = appWith((a) =>
      a.get('/', (c) => {
        c.header('x-own', 'mine');
        built = c.body(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('streamed'));
              controller.close();
            },
          }),
        );
        return built;
      }),
    );
    const res = await app.request('/', { headers: { origin: APP } });
    expect(res).toBe(built);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('x-own')).toBe('mine');
    expect(res.headers.get('vary')).toBe('Origin');
    expect(await res.text()).toBe('streamed');
  });

  it("keeps a handler's own headers and streamed body when it adds what a Response lacks", async () => {
    const app = appWith((a) =>
      a.get(
        '/',
        () =>
          new Response(
            new ReadableStream({
              start(controller) {
                controller.enqueue(new TextEncoder().encode('a'));
                controller.enqueue(new TextEncoder().encode('b'));
                controller.close();
              },
            }),
            { status: 201, headers: { 'x-own': 'mine', 'cache-control': 'no-store' } },
          ),
      ),
    );
    const res = await app.request('/', { headers: { origin: APP } });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-own')).toBe('mine');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-expose-headers')).toBe('x-total');
    expect(res.headers.get('vary')).toBe('Origin');
    expect(await res.text()).toBe('ab');
  });

  it('never changes a Response the handler returns to every request', async () => {
    const shared = new Response(null, { status: 204, headers: { 'x-own': 'mine' } });
    const app = appWith((a) => a.get('/', () => shared.clone()));
    const direct = appWith((a) => a.get('/', () => shared));
    const allowed = await direct.request('/', { headers: { origin: APP } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(APP);
    expect(shared.headers.get('access-control-allow-origin')).toBeNull();
    expect(shared.headers.get('vary')).toBeNull();
    const refused = await direct.request('/', { headers: { origin: EVIL } });
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect((await app.request('/', { headers: { origin: APP } })).headers.get('x-own')).toBe(
      'mine',
    );
  });

  it('merges Vary with one an earlier middleware set, in a single value', async () => {
    const app = new Hono();
    app.use(async (c, next) => {
      c.header('vary', 'Accept-Encoding');
      await next();
    });
    app.use(cors(policy));
    app.get('/', (c) => c.text('ok'));
    const res = await app.request('/', { headers: { origin: APP } });
    expect(res.headers.get('vary')).toBe('Accept-Encoding, Origin');
  });

  it('decides once when two corsproof middlewares are stacked', async () => {
    const app = new Hono();
    app.use(cors({ origins: [PARTNER] }));
    app.use(cors(policy));
    app.get('/', (c) => c.text('ok'));
    const partner = await app.request('/', { headers: { origin: PARTNER } });
    expect(partner.headers.get('access-control-allow-origin')).toBe(PARTNER);
    expect(partner.headers.get('vary')).toBe('Origin');
    const other = await app.request('/', { headers: { origin: APP } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('serves through @hono/node-server', async () => {
    const base = await listen(appWith((a) => a.put('/x', (c) => c.text('put'))));
    const pre = await fetch(`${base}/x`, preflight(APP));
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(APP);
    const put = await fetch(`${base}/x`, { method: 'PUT', headers: { origin: APP } });
    expect(put.headers.get('access-control-allow-origin')).toBe(APP);
    expect(await put.text()).toBe('put');
  });
});

describe('path tables and named policies for Hono', () => {
  it('picks a policy per path, first match wins', async () => {
    const app = new Hono();
    app.use(
      cors.paths({ '/admin/*': false, '/public/*': { origins: '*' }, '/*': { origins: [APP] } }),
    );
    app.get('*', (c) => c.text('ok'));
    const acao = async (path: string, origin: string) =>
      (await app.request(path, { headers: { origin } })).headers.get('access-control-allow-origin');
    expect(await acao('/public/x', EVIL)).toBe('*');
    expect(await acao('/orders', APP)).toBe(APP);
    expect(await acao('/admin/x', APP)).toBeNull();
    expect(await acao('/ADMIN/x', APP)).toBeNull();
  });

  it('applies named policies per mount, the first registered deciding', async () => {
    const cp = corsPolicies({
      default: { origins: [APP] },
      policies: { partners: { origins: [PARTNER], methods: ['PUT'] }, internal: false },
    });
    const app = new Hono();
    app.use('/partners/*', cp.route('partners'));
    app.use('/internal/*', cp.none());
    app.use(cp());
    app.all('*', (c) => c.text('ok'));
    const acao = async (path: string, origin: string) =>
      (await app.request(path, { headers: { origin } })).headers.get('access-control-allow-origin');
    expect(await acao('/partners/feed', PARTNER)).toBe(PARTNER);
    expect(await acao('/partners/feed', APP)).toBeNull();
    expect(await acao('/internal/x', APP)).toBeNull();
    expect(await acao('/orders', APP)).toBe(APP);
    expect((await app.request('/partners/feed', preflight(PARTNER))).status).toBe(204);
    expect(() => cp.route('nope')).toThrow(CorsRoutesError);
  });
});
