import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { compilePolicy } from '../../policy/compile.js';
import { CorsRoutesError } from '../../policy/routes/errors.js';
import { corsproof } from './index.js';

const APP = 'https://app.example';
const EVIL = 'https://evil.example';
const PARTNER = 'https://partner.example';

const policy = { origins: [APP], credentials: true, methods: ['PUT'], exposeHeaders: ['x-total'] };

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

function fastify(): FastifyInstance {
  const app = Fastify();
  apps.push(app);
  return app;
}

const preflight = (url: string, origin: string, method = 'PUT') => ({
  method: 'OPTIONS' as const,
  url,
  headers: { origin, 'access-control-request-method': method },
});
const get = (url: string, origin: string) => ({ method: 'GET' as const, url, headers: { origin } });

describe('the corsproof plugin', () => {
  it('answers preflights in onRequest for routes without an OPTIONS handler', async () => {
    let ran = false;
    const app = fastify();
    await app.register(corsproof, policy);
    app.put('/items/:id', async () => {
      ran = true;
      return 'no';
    });
    const res = await app.inject(preflight('/items/7', APP));
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    expect(res.headers['access-control-allow-methods']).toBe('PUT');
    expect(res.headers.vary).toBe(
      'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    );
    expect(ran).toBe(false);
    expect((await app.inject(preflight('/items/7', EVIL))).statusCode).toBe(403);
  });

  it('answers preflights before authentication hooks run', async () => {
    const app = fastify();
    await app.register(corsproof, policy);
    app.addHook('onRequest', async (request, reply) => {
      if (request.headers.authorization === undefined) return reply.code(401).send({ error: 'no' });
    });
    app.put('/items/:id', async () => 'ok');
    expect((await app.inject(preflight('/items/7', APP))).statusCode).toBe(204);
    const actual = await app.inject({ ...get('/items/7', APP), method: 'PUT' });
    expect(actual.statusCode).toBe(401);
    expect(actual.headers['access-control-allow-origin']).toBe(APP);
  });

  it('sets the headers on allowed requests and merges Vary; refused origins get only Vary', async () => {
    const app = fastify();
    await app.register(corsproof, policy);
    app.get('/items', async (_request, reply) => {
      reply.header('vary', 'Accept-Encoding');
      return [];
    });
    const ok = await app.inject(get('/items', APP));
    expect(ok.headers['access-control-allow-origin']).toBe(APP);
    expect(ok.headers['access-control-allow-credentials']).toBe('true');
    expect(ok.headers['access-control-expose-headers']).toBe('x-total');
    const refused = await app.inject(get('/items', EVIL));
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    const app2 = fastify();
    app2.addHook('onRequest', async (_request, reply) => {
      reply.header('vary', 'Accept-Encoding');
    });
    await app2.register(corsproof, policy);
    app2.get('/', async () => 'ok');
    expect((await app2.inject(get('/', APP))).headers.vary).toBe('Accept-Encoding, Origin');
  });

  it('keeps the CORS headers on error replies, 404s included', async () => {
    const app = fastify();
    await app.register(corsproof, policy);
    app.get('/boom', async () => {
      throw new Error('boom');
    });
    app.setErrorHandler(async (error, _request, reply) =>
      reply.code(500).send({ message: (error as Error).message }),
    );
    for (const [url, status] of [
      ['/boom', 500],
      ['/missing', 404],
    ] as const) {
      const res = await app.inject(get(url, APP));
      expect(res.statusCode).toBe(status);
      expect(res.headers['access-control-allow-origin']).toBe(APP);
    }
    const plain = fastify();
    await plain.register(corsproof, policy);
    plain.get('/boom', async () => {
      throw new Error('boom');
    });
    const res = await plain.inject(get('/boom', APP));
    expect(res.statusCode).toBe(500);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
  });

  it('passes an async predicate error to the error handler', async () => {
    const app = fastify();
    await app.register(corsproof, {
      origins: async () => {
        throw new Error('lookup failed');
      },
    });
    app.get('/', async () => 'ok');
    const res = await app.inject(get('/', APP));
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ message: 'lookup failed' });
  });

  it('handles HEAD routes and streamed replies', async () => {
    const app = fastify();
    await app.register(corsproof, policy);
    app.get('/stream', async (_request, reply) => reply.send(Readable.from(['a', 'b'])));
    const head = await app.inject({ ...get('/stream', APP), method: 'HEAD' });
    expect(head.headers['access-control-allow-origin']).toBe(APP);
    const streamed = await app.inject(get('/stream', APP));
    expect(streamed.headers['access-control-allow-origin']).toBe(APP);
    expect(streamed.body).toBe('ab');
  });

  it('steps aside when an earlier hook already sent the response', async () => {
    const app = fastify();
    app.addHook('onRequest', (_request, reply, done) => {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/plain' });
      reply.raw.end('early');
      done();
    });
    await app.register(corsproof, policy);
    app.get('/', async () => 'late');
    const res = await app.inject(get('/', APP));
    expect(res.body).toBe('early');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('keeps non-preflight OPTIONS requests for your own OPTIONS route, declared before or after', async () => {
    const app = fastify();
    await app.register(corsproof, policy);
    app.options('/a', async () => 'own before');
    app.get('/a', async () => 'a');
    app.get('/b', async () => 'b');
    app.options('/b', async () => 'own after');
    for (const [url, own] of [
      ['/a', 'own before'],
      ['/b', 'own after'],
    ] as const) {
      expect((await app.inject(preflight(url, APP))).statusCode).toBe(204);
      const plain = await app.inject({ method: 'OPTIONS', url });
      expect(plain.body).toBe(own);
    }
  });

  it('leaves OPTIONS to a path without routes or CORS as Fastify would: 404', async () => {
    const app = fastify();
    await app.register(corsproof, { policies: {} });
    app.get('/a', async () => 'a');
    expect((await app.inject(preflight('/a', APP))).statusCode).toBe(404);
    expect((await app.inject({ method: 'OPTIONS', url: '/a' })).statusCode).toBe(404);
  });

  it('answers preflights under a prefix, plugin registered inside it (the catch-all route bug)', async () => {
    const app = fastify();
    await app.register(
      async (api) => {
        await api.register(corsproof, policy);
        api.put('/items/:id', async () => 'ok');
        api.get('/', async () => 'root');
      },
      { prefix: '/api' },
    );
    for (const url of ['/api/items/1', '/api', '/api/']) {
      const res = await app.inject(preflight(url, APP));
      expect(res.statusCode, url).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(APP);
    }
    expect((await app.inject(preflight('/other', APP))).statusCode).toBe(404);
  });

  it('answers preflights to paths without any route from the root, as the 404 would get CORS', async () => {
    const app = fastify();
    await app.register(corsproof, policy);
    const res = await app.inject(preflight('/not/declared', APP));
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
  });

  it('lets the first of several registrations decide, an inner one covering its own routes', async () => {
    const app = fastify();
    await app.register(corsproof, policy);
    await app.register(async (inner) => {
      await inner.register(corsproof, { origins: '*', exposeHeaders: ['x-inner'] });
      inner.get('/inner', async () => 'inner');
    });
    app.get('/outer', async () => 'outer');
    for (const url of ['/inner', '/outer']) {
      const res = await app.inject(get(url, APP));
      expect(res.headers['access-control-allow-origin']).toBe(APP);
      expect(res.headers['access-control-expose-headers']).toBe('x-total');
    }
    expect((await app.inject(preflight('/inner', APP))).statusCode).toBe(204);
  });

  it('ignores Fastify register options such as prefix', async () => {
    const app = fastify();
    await app.register(corsproof, { ...policy, prefix: '/v1' } as typeof policy);
    app.get('/', async () => 'ok');
    expect((await app.inject(get('/', APP))).headers['access-control-allow-origin']).toBe(APP);
  });

  it('fails registration with every configuration problem', async () => {
    const app = fastify();
    app.register(corsproof, { origins: '*', credentials: true, maxAge: -1 });
    await expect(app.ready()).rejects.toThrow(/^corsproof: the CORS policy has 2 problems/);
  });

  it('serves preflights and requests on a real listening server', async () => {
    const app = fastify();
    await app.register(corsproof, policy);
    app.put('/items/:id', async () => 'put');
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const pre = await fetch(`${base}/items/1`, {
      method: 'OPTIONS',
      headers: { origin: APP, 'access-control-request-method': 'PUT' },
    });
    expect(pre.status).toBe(204);
    const put = await fetch(`${base}/items/1`, { method: 'PUT', headers: { origin: APP } });
    expect(put.headers.get('access-control-allow-origin')).toBe(APP);
    expect(await put.text()).toBe('put');
  });
});

describe('route-level policies for Fastify', () => {
  it('replaces the plugin policy per route, for preflights too, or turns CORS off', async () => {
    const app = fastify();
    await app.register(corsproof, policy);
    app.put(
      '/partners',
      { config: { cors: { origins: [PARTNER], methods: ['PUT'] } } },
      async () => 'p',
    );
    app.put('/health', { config: { cors: false } }, async () => 'h');
    app.put(
      '/compiled',
      { config: { cors: compilePolicy({ origins: '*', methods: ['PUT'] }) } },
      async () => 'c',
    );
    expect((await app.inject(preflight('/partners', PARTNER))).statusCode).toBe(204);
    expect((await app.inject(preflight('/partners', APP))).statusCode).toBe(403);
    const actual = await app.inject({ ...get('/partners', PARTNER), method: 'PUT' });
    expect(actual.headers['access-control-allow-origin']).toBe(PARTNER);
    expect(actual.headers['access-control-allow-credentials']).toBeUndefined();
    expect((await app.inject(preflight('/health', APP))).statusCode).toBe(404);
    const health = await app.inject({ ...get('/health', APP), method: 'PUT' });
    expect(health.headers['access-control-allow-origin']).toBeUndefined();
    expect(health.headers.vary).toBeUndefined();
    expect(
      (await app.inject(preflight('/compiled', EVIL))).headers['access-control-allow-origin'],
    ).toBe('*');
  });

  it('answers a preflight with the policy of the route for the method it asks about', async () => {
    const app = fastify();
    await app.register(corsproof, {
      policies: {
        readers: { origins: [APP] },
        writers: { origins: [PARTNER], methods: ['PUT'] },
      },
    });
    app.get('/doc', { config: { cors: 'readers' } }, async () => 'read');
    app.put('/doc', { config: { cors: 'writers' } }, async () => 'write');
    expect((await app.inject(preflight('/doc', PARTNER, 'PUT'))).statusCode).toBe(204);
    expect((await app.inject(preflight('/doc', APP, 'PUT'))).statusCode).toBe(403);
    const read = await app.inject({
      ...preflight('/doc', APP, 'GET'),
      headers: {
        ...preflight('/doc', APP, 'GET').headers,
        'access-control-request-headers': 'x-a',
      },
    });
    expect(read.statusCode).toBe(403); // readers allows no custom header
    expect((await app.inject(get('/doc', APP))).headers['access-control-allow-origin']).toBe(APP);
  });

  it('rejects an unknown policy name when the route is declared', async () => {
    const app = fastify();
    await app.register(corsproof, { policies: { partners: { origins: [PARTNER] } } });
    let error: unknown;
    try {
      app.get('/x', { config: { cors: 'partner' } }, async () => 'x');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CorsRoutesError);
    expect(String((error as Error).message)).toContain('route GET /x config.cors');
  });

  it('picks by path table for routes without their own config, default elsewhere', async () => {
    const app = fastify();
    await app.register(corsproof, {
      default: { origins: [APP] },
      policies: { open: { origins: '*' } },
      paths: { '/public/*': 'open', '/admin/*': false },
    });
    app.get('/public/x', async () => 'p');
    app.get('/admin/x', async () => 'a');
    app.get('/orders', async () => 'o');
    app.get('/public/special', { config: { cors: false } }, async () => 's');
    const acao = async (url: string, origin: string) =>
      (await app.inject(get(url, origin))).headers['access-control-allow-origin'];
    expect(await acao('/public/x', EVIL)).toBe('*');
    expect(await acao('/admin/x', APP)).toBeUndefined();
    expect(await acao('/orders', APP)).toBe(APP);
    expect(await acao('/public/special', EVIL)).toBeUndefined();
    expect(await acao('/public/x/', EVIL)).toBe('*');
  });

  it('still applies route config to routes declared before the plugin ran (register not awaited)', async () => {
    const app = fastify();
    app.register(corsproof, policy);
    app.get('/early', { config: { cors: { origins: [PARTNER] } } }, async () => 'e');
    await app.ready();
    expect((await app.inject(get('/early', PARTNER))).headers['access-control-allow-origin']).toBe(
      PARTNER,
    );
    // The preflight lands on the 404 route, which gets the plugin policy: register with await.
    expect((await app.inject(preflight('/early', APP))).statusCode).toBe(204);
  });
});
