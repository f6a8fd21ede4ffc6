import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { CorsRoutesError } from '../../policy/routes/errors.js';
import { cors, corsPolicies } from './index.js';

const APP = 'https://app.example';
const EVIL = 'https://evil.example';
const PARTNER = 'https://partner.example';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(app: Koa): Promise<string> {
  app.silent = true;
  const server = http.createServer(app.callback());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function raw(base: string, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
    (resolve, reject) => {
      const req = http.request(`${base}${path}`, { headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

const preflight = (origin: string, method = 'PUT') => ({
  method: 'OPTIONS',
  headers: { origin, 'access-control-request-method': method },
});

const policy = { origins: [APP], credentials: true, methods: ['PUT'], exposeHeaders: ['x-total'] };

describe('cors() for Koa', () => {
  it('answers a preflight itself, before downstream middleware', async () => {
    let ran = false;
    const app = new Koa();
    app.use(cors(policy));
    app.use((ctx) => {
      ran = true;
      ctx.body = 'handler';
    });
    const res = await fetch(`${await listen(app)}/items/1`, preflight(APP));
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-methods')).toBe('PUT');
    expect(res.headers.get('content-type')).toBeNull();
    expect(ran).toBe(false);
  });

  it('answers an accepted preflight with a configured 200 and an empty body', async () => {
    const app = new Koa();
    app.use(cors({ ...policy, preflightStatus: 200 }));
    const res = await fetch(`${await listen(app)}/`, preflight(APP));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('0');
    expect(await res.text()).toBe('');
  });

  it('refuses a preflight from an origin not allowed with a bare 403', async () => {
    const app = new Koa();
    app.use(cors(policy));
    const res = await fetch(`${await listen(app)}/`, preflight(EVIL));
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(await res.text()).toBe('');
  });

  it('adds the headers to allowed requests, merging Vary', async () => {
    const app = new Koa();
    app.use(async (ctx, next) => {
      ctx.vary('Accept-Encoding');
      await next();
    });
    app.use(cors(policy));
    app.use((ctx) => {
      ctx.body = { ok: true };
    });
    const res = await fetch(`${await listen(app)}/`, { headers: { origin: APP } });
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('vary')).toBe('Accept-Encoding, Origin');
  });

  it('leaves a refused origin without CORS headers, with Vary: Origin', async () => {
    const app = new Koa();
    app.use(cors(policy));
    app.use((ctx) => {
      ctx.body = 'ok';
    });
    const res = await fetch(`${await listen(app)}/`, { headers: { origin: EVIL } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('vary')).toBe('Origin');
  });

  it('keeps the CORS headers and Vary on thrown errors, which Koa would otherwise drop', async () => {
    const app = new Koa();
    app.use(cors(policy));
    app.use((ctx) => {
      if (ctx.path === '/401')
        ctx.throw(401, 'who are you', {
          headers: { 'WWW-Authenticate': 'Bearer', Vary: 'Cookie' },
        });
      if (ctx.path === '/string') throw 'not an error';
      throw new Error('boom');
    });
    const base = await listen(app);
    const boom = await fetch(`${base}/boom`, { headers: { origin: APP } });
    expect(boom.status).toBe(500);
    expect(boom.headers.get('access-control-allow-origin')).toBe(APP);
    expect(boom.headers.get('access-control-allow-credentials')).toBe('true');
    expect(boom.headers.get('access-control-expose-headers')).toBe('x-total');
    expect(boom.headers.get('vary')).toBe('Origin');
    const unauthorized = await fetch(`${base}/401`, { headers: { origin: APP } });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('www-authenticate')).toBe('Bearer');
    expect(unauthorized.headers.get('access-control-allow-origin')).toBe(APP);
    expect(unauthorized.headers.get('vary')).toBe('Cookie, Origin');
    const refused = await fetch(`${base}/boom`, { headers: { origin: EVIL } });
    expect(refused.headers.get('vary')).toBe('Origin');
    // A thrown value that cannot carry headers still propagates untouched.
    expect((await fetch(`${base}/string`, { headers: { origin: APP } })).status).toBe(500);
  });

  it('throws async predicate errors into Koa error handling', async () => {
    const errors: unknown[] = [];
    const app = new Koa();
    app.on('error', (error: unknown) => errors.push(error));
    app.use(
      cors({
        origins: async () => {
          throw new Error('tenant lookup failed');
        },
      }),
    );
    const res = await fetch(`${await listen(app)}/`, { headers: { origin: APP } });
    expect(res.status).toBe(500);
    expect(String(errors[0])).toContain('tenant lookup failed');
  });

  it('gives predicates the Koa context as raw', async () => {
    const app = new Koa();
    app.use(
      cors({
        origins: (origin, request) =>
          origin === PARTNER && (request.raw as Koa.Context).get('x-tenant') === 'acme',
      }),
    );
    app.use((ctx) => {
      ctx.body = 'ok';
    });
    const base = await listen(app);
    const yes = await fetch(`${base}/`, { headers: { origin: PARTNER, 'x-tenant': 'acme' } });
    expect(yes.headers.get('access-control-allow-origin')).toBe(PARTNER);
    const no = await fetch(`${base}/`, { headers: { origin: PARTNER } });
    expect(no.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('handles HEAD and streamed bodies', async () => {
    const app = new Koa();
    app.use(cors(policy));
    app.use((ctx) => {
      ctx.body = Readable.from(['a', 'b', 'c']);
    });
    const base = await listen(app);
    const head = await fetch(`${base}/`, { method: 'HEAD', headers: { origin: APP } });
    expect(head.headers.get('access-control-allow-origin')).toBe(APP);
    const stream = await raw(base, '/', { origin: APP });
    expect(stream.headers['access-control-allow-origin']).toBe(APP);
    expect(stream.body).toBe('abc');
  });

  it('steps aside when the headers were already sent', async () => {
    const app = new Koa();
    app.use(async (ctx, next) => {
      ctx.respond = false;
      ctx.res.writeHead(200);
      await next();
      ctx.res.end('early');
    });
    app.use(cors(policy));
    const res = await raw(await listen(app), '/', { origin: APP });
    expect(res.body).toBe('early');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('path tables and named policies for Koa', () => {
  it('picks a policy per path against ctx.originalUrl, refusing ambiguous paths', async () => {
    const app = new Koa();
    app.use(
      cors.paths({ '/admin/*': false, '/public/*': { origins: '*' }, '/*': { origins: [APP] } }),
    );
    app.use((ctx) => {
      ctx.body = ctx.path;
    });
    const base = await listen(app);
    const acao = async (path: string, origin: string) =>
      (await raw(base, path, { origin })).headers['access-control-allow-origin'];
    expect(await acao('/public/x', EVIL)).toBe('*');
    expect(await acao('/orders', APP)).toBe(APP);
    expect(await acao('/admin/x', APP)).toBeUndefined();
    expect(await acao('/ADMIN/x', APP)).toBeUndefined();
    expect(await acao('/public/../admin/x', EVIL)).toBeUndefined();
  });

  it('applies named policies per middleware, first one deciding', async () => {
    const cp = corsPolicies({
      default: { origins: [APP] },
      policies: { partners: { origins: [PARTNER] }, internal: false },
    });
    const app = new Koa();
    const only =
      (prefix: string, mw: Koa.Middleware): Koa.Middleware =>
      (ctx, next) =>
        ctx.path.startsWith(prefix) ? mw(ctx, next) : next();
    app.use(only('/partners', cp.route('partners')));
    app.use(only('/internal', cp.route('internal')));
    app.use(cp());
    app.use((ctx) => {
      ctx.body = 'ok';
    });
    const base = await listen(app);
    const acao = async (path: string, origin: string) =>
      (await fetch(`${base}${path}`, { headers: { origin } })).headers.get(
        'access-control-allow-origin',
      );
    expect(await acao('/partners/feed', PARTNER)).toBe(PARTNER);
    expect(await acao('/partners/feed', APP)).toBeNull();
    expect(await acao('/internal/x', APP)).toBeNull();
    expect(await acao('/orders', APP)).toBe(APP);
    expect(() => cp.route('nope')).toThrow(CorsRoutesError);
  });
});
