/**
 * A path table must give a request the CORS answer of the handler the router really runs, or none.
 * Each adapter is run on its framework's real router, with the router options that change how a path
 * is read, against paths routers are known to read differently.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve as serveHono } from '@hono/node-server';
import express from 'express';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { Hono } from 'hono';
import { LinearRouter } from 'hono/router/linear-router';
import { PatternRouter } from 'hono/router/pattern-router';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { SmartRouter } from 'hono/router/smart-router';
import { TrieRouter } from 'hono/router/trie-router';
import Koa from 'koa';
import { match } from 'path-to-regexp';
import { afterEach, describe, expect, it } from 'vitest';
import type { PathTableInput } from '../policy/routes/table.js';
import { cors as expressCors } from './express/index.js';
import { corsproof as fastifyCors } from './fastify/index.js';
import { cors as fetchCors } from './fetch/index.js';
import { cors as honoCors } from './hono/index.js';
import { cors as koaCors } from './koa/index.js';

const ADMIN = 'https://admin.example';
const PUBLIC = 'https://public.example';

/** Admin routes answer only the admin origin, everything else only the public one. */
const TABLE = { '/admin/*': { origins: [ADMIN] }, '/*': { origins: [PUBLIC] } };

/** Which origin each handler's own entry allows: the only Allow-Origin it may answer with. */
const ALLOWED: Readonly<Record<string, string>> = { admin: ADMIN, public: PUBLIC };

/** Paths that routers read differently: parameters, escapes, dot and empty segments, case. */
const HOSTILE_PATHS = [
  '/admin',
  '/admin/x',
  '/public',
  '/admin;x',
  '/admin;x/y',
  '/admin/;x',
  '/public;x',
  '/public/..;/admin',
  '/ad%6Din',
  '/ad%6din/x',
  '/%61dmin',
  '/admin%2Fx',
  '/public%2F..%2Fadmin',
  '/public/%2e%2e/admin',
  '/public/%2E%2E/admin/x',
  '/public/../admin',
  '//admin',
  '/admin//x',
  '/public//admin',
  '/ADMIN',
  '/Admin/x',
  '/admin/',
  '/admin/x/',
  '/admin%3Bx',
  '/admin%3bx/y',
  '/admin%20',
  '/admin?next=/public',
  '/public?next=/admin',
];

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(server: http.Server): Promise<string> {
  servers.push(server);
  if (!server.listening) {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  }
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

interface Answer {
  readonly handler: string;
  readonly allowOrigin: string | undefined;
}

/** A GET with the path sent byte for byte (no client-side normalization). */
function get(base: string, path: string, origin: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const req = http.request(
      { host: url.hostname, port: url.port, path, method: 'GET', headers: { origin } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => {
          const allowOrigin = res.headers['access-control-allow-origin'];
          resolve({ handler: res.statusCode === 200 ? body : 'none', allowOrigin });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * Sends every hostile path with each origin and returns the answers that break the rule: an
 * Allow-Origin that is not the one the handler that ran allows (a router's 404 runs no handler).
 */
async function violations(request: (path: string, origin: string) => Promise<Answer>) {
  const wrong: string[] = [];
  for (const path of HOSTILE_PATHS) {
    for (const origin of [ADMIN, PUBLIC]) {
      const { handler, allowOrigin } = await request(path, origin);
      if (allowOrigin === undefined || handler === 'none') continue;
      if (allowOrigin !== origin || ALLOWED[handler] !== origin) {
        wrong.push(`${path} from ${origin}: ran ${handler}, allowed ${allowOrigin}`);
      }
    }
  }
  return wrong;
}

/** The plain paths still get their CORS: the table is not refusing everything. */
async function expectPlainPathsServed(request: (path: string, origin: string) => Promise<Answer>) {
  expect(await request('/admin/x', ADMIN)).toEqual({ handler: 'admin', allowOrigin: ADMIN });
  expect(await request('/public', PUBLIC)).toEqual({ handler: 'public', allowOrigin: PUBLIC });
}

describe('express: the path table agrees with the router', () => {
  const variants: [string, Record<string, boolean>][] = [
    ['default options', {}],
    ['case sensitive routing', { 'case sensitive routing': true }],
    ['strict routing', { 'strict routing': true }],
  ];
  for (const [name, settings] of variants) {
    it(`gives each hostile path its handler's CORS or none (${name})`, async () => {
      const app = express();
      for (const [key, value] of Object.entries(settings)) app.set(key, value);
      app.use(expressCors.paths(TABLE));
      app.get(['/admin', '/admin/{*rest}'], (_req, res) => {
        res.send('admin');
      });
      app.get('/{*rest}', (_req, res) => {
        res.send('public');
      });
      const base = await listen(http.createServer(app));
      const request = (path: string, origin: string) => get(base, path, origin);
      await expectPlainPathsServed(request);
      expect(await violations(request)).toEqual([]);
    });
  }
});

describe('fastify: the path table agrees with the router', () => {
  // Fastify 5 reads useSemicolonDelimiter from routerOptions, which its types do not list yet.
  type RouterOptions = FastifyServerOptions['routerOptions'] & { useSemicolonDelimiter?: boolean };
  const variants: [string, RouterOptions][] = [
    ['default options', {}],
    ['useSemicolonDelimiter', { useSemicolonDelimiter: true }],
    ['caseSensitive: false', { caseSensitive: false }],
    ['ignoreTrailingSlash', { ignoreTrailingSlash: true }],
    ['ignoreDuplicateSlashes', { ignoreDuplicateSlashes: true }],
    [
      'every option at once',
      {
        useSemicolonDelimiter: true,
        caseSensitive: false,
        ignoreTrailingSlash: true,
        ignoreDuplicateSlashes: true,
      },
    ],
  ];
  for (const [name, routerOptions] of variants) {
    it(`gives each hostile path its handler's CORS or none (${name})`, async () => {
      const app = Fastify({ routerOptions });
      await app.register(fastifyCors, { paths: TABLE });
      app.get('/admin', async () => 'admin');
      app.get('/admin/*', async () => 'admin');
      app.get('/*', async () => 'public');
      await app.listen({ port: 0, host: '127.0.0.1' });
      const base = await listen(app.server);
      const request = (path: string, origin: string) => get(base, path, origin);
      await expectPlainPathsServed(request);
      expect(await violations(request)).toEqual([]);
    });
  }
});

describe('koa: the path table agrees with the router', () => {
  // @koa/router's defaults: path-to-regexp on the path as sent, case-insensitive, trailing slash
  // optional; and the same made strict.
  const variants: [string, { sensitive: boolean; trailing: boolean }][] = [
    ['@koa/router defaults', { sensitive: false, trailing: true }],
    ['sensitive and strict', { sensitive: true, trailing: false }],
  ];
  for (const [name, options] of variants) {
    it(`gives each hostile path its handler's CORS or none (${name})`, async () => {
      // The routes `/admin/*` stands for: `/admin`, `/admin/` and everything under it.
      const isAdmin = match(['/admin', '/admin/', '/admin/*rest'], options);
      const app = new Koa();
      app.use(koaCors.paths(TABLE));
      app.use((ctx) => {
        ctx.body = isAdmin(ctx.path) ? 'admin' : 'public';
      });
      const base = await listen(http.createServer(app.callback()));
      const request = (path: string, origin: string) => get(base, path, origin);
      await expectPlainPathsServed(request);
      expect(await violations(request)).toEqual([]);
    });
  }
});

describe('hono: the path table agrees with the router', () => {
  const variants: [string, { strict: boolean }][] = [
    ['default options', { strict: true }],
    ['strict: false', { strict: false }],
  ];
  for (const [name, options] of variants) {
    it(`gives each hostile path its handler's CORS or none (${name})`, async () => {
      const app = new Hono(options);
      app.use(honoCors.paths(TABLE));
      app.get('/admin', (c) => c.text('admin'));
      app.get('/admin/*', (c) => c.text('admin'));
      app.get('/*', (c) => c.text('public'));
      const server = serveHono({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      const base = await listen(server as http.Server);
      const request = (path: string, origin: string) => get(base, path, origin);
      await expectPlainPathsServed(request);
      expect(await violations(request)).toEqual([]);
    });
  }
});

describe('fetch: the path table agrees with a hand-written router', () => {
  // A fetch handler routes on the URL it is given, as sent or decoded, in any case, with or without
  // `;params`: the table must fit each.
  const routers: [string, (pathname: string) => string][] = [
    ['as sent', (p) => p],
    ['decoded', (p) => decodeURIComponent(p)],
    ['lower-cased', (p) => p.toLowerCase()],
    ['cut at ";"', (p) => p.split(';')[0]!],
  ];
  for (const [name, read] of routers) {
    it(`gives each hostile path its handler's CORS or none (routing ${name})`, async () => {
      const handler = fetchCors.paths(TABLE)((request) => {
        const path = read(new URL(request.url).pathname);
        const admin = path === '/admin' || path === '/admin/' || path.startsWith('/admin/');
        return new Response(admin ? 'admin' : 'public');
      });
      const request = async (path: string, origin: string): Promise<Answer> => {
        const res = await handler(new Request(`http://api.test${path}`, { headers: { origin } }));
        return {
          handler: await res.text(),
          allowOrigin: res.headers.get('access-control-allow-origin') ?? undefined,
        };
      };
      await expectPlainPathsServed(request);
      expect(await violations(request)).toEqual([]);
    });
  }
});

/**
 * Where the framework has routed the request when the middleware runs (Fastify's onRequest, Hono's
 * middleware), the table follows the route it chose; elsewhere (Express, Koa) it reads the path and
 * fails closed. The table a red team used: admin routes get no CORS, everything else `*`.
 */
const RED_TEAM: PathTableInput = { '/admin/*': false, '/*': { origins: '*' } };

/** The same split, with the admin routes open to the admin origin, to see which entry was used. */
const ADMIN_OPEN: PathTableInput = { '/admin/*': { origins: [ADMIN] }, '/*': { origins: '*' } };

/** Paths that reach an admin handler on some router, or a public one, in a spelling it may read. */
const ROUTED_PATHS = [...HOSTILE_PATHS, '/admin;x/y/z', '/ADMIN/', '/Admin;x', '/ad%6Din/'];

/** Answers under RED_TEAM that break it: an admin handler answering with any Allow-Origin. */
async function redTeamViolations(request: (path: string, origin: string) => Promise<Answer>) {
  const wrong: string[] = [];
  for (const path of ROUTED_PATHS) {
    const { handler, allowOrigin } = await request(path, PUBLIC);
    if (handler === 'admin' && allowOrigin !== undefined) {
      wrong.push(`${path}: ran admin, allowed ${allowOrigin}`);
    }
    if (allowOrigin !== undefined && allowOrigin !== '*') wrong.push(`${path}: ${allowOrigin}`);
  }
  return wrong;
}

describe('fastify: the table follows the route Fastify chose', () => {
  type RouterOptions = FastifyServerOptions['routerOptions'] & { useSemicolonDelimiter?: boolean };

  async function start(
    table: PathTableInput,
    routerOptions: RouterOptions,
    declare: (app: ReturnType<typeof Fastify>) => void = (app) => {
      app.get('/admin', async () => 'admin');
      app.get('/admin/*', async () => 'admin');
      app.get('/*', async () => 'public');
    },
  ) {
    const app = Fastify({ routerOptions });
    await app.register(fastifyCors, { paths: table });
    declare(app);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = await listen(app.server);
    return (path: string, origin: string) => get(base, path, origin);
  }

  const variants: [string, RouterOptions][] = [
    ['default options', {}],
    ['useSemicolonDelimiter', { useSemicolonDelimiter: true }],
    ['caseSensitive: false', { caseSensitive: false }],
    ['ignoreTrailingSlash', { ignoreTrailingSlash: true }],
    [
      'every option at once',
      { useSemicolonDelimiter: true, caseSensitive: false, ignoreTrailingSlash: true },
    ],
  ];
  for (const [name, routerOptions] of variants) {
    it(`never gives an admin route Allow-Origin: * (${name})`, async () => {
      const request = await start(RED_TEAM, routerOptions);
      expect(await request('/public', PUBLIC)).toEqual({ handler: 'public', allowOrigin: '*' });
      expect(await request('/admin', PUBLIC)).toEqual({ handler: 'admin', allowOrigin: undefined });
      expect(await redTeamViolations(request)).toEqual([]);
    });
  }

  it('gives /admin;x, routed to /admin under useSemicolonDelimiter, the /admin entry', async () => {
    const closed = await start(RED_TEAM, { useSemicolonDelimiter: true });
    expect(await closed('/admin;x', PUBLIC)).toEqual({ handler: 'admin', allowOrigin: undefined });
    const open = await start(ADMIN_OPEN, { useSemicolonDelimiter: true });
    // Read from the path alone, `/admin;x` is ambiguous and would get no CORS at all.
    expect(await open('/admin;x', ADMIN)).toEqual({ handler: 'admin', allowOrigin: ADMIN });
    expect(await open('/admin;x/y', ADMIN)).toEqual({ handler: 'admin', allowOrigin: ADMIN });
    expect(await open('/admin;x', PUBLIC)).toEqual({ handler: 'admin', allowOrigin: undefined });
    expect(await open('/public;x', PUBLIC)).toEqual({ handler: 'public', allowOrigin: '*' });
  });

  it('gives /ADMIN, routed to /admin under caseSensitive: false, the /admin entry', async () => {
    const closed = await start(RED_TEAM, { caseSensitive: false });
    expect(await closed('/ADMIN', PUBLIC)).toEqual({ handler: 'admin', allowOrigin: undefined });
    const open = await start(ADMIN_OPEN, { caseSensitive: false });
    expect(await open('/ADMIN', ADMIN)).toEqual({ handler: 'admin', allowOrigin: ADMIN });
    expect(await open('/Admin/x', ADMIN)).toEqual({ handler: 'admin', allowOrigin: ADMIN });
  });

  it('gives /admin/, routed to /admin under ignoreTrailingSlash, the /admin entry', async () => {
    const only = (app: ReturnType<typeof Fastify>) => {
      app.get('/admin', async () => 'admin');
      app.get('/*', async () => 'public');
    };
    const closed = await start(RED_TEAM, { ignoreTrailingSlash: true }, only);
    expect(await closed('/admin/', PUBLIC)).toEqual({ handler: 'admin', allowOrigin: undefined });
    const open = await start(ADMIN_OPEN, { ignoreTrailingSlash: true }, only);
    expect(await open('/admin/', ADMIN)).toEqual({ handler: 'admin', allowOrigin: ADMIN });
  });

  it('gives an escaped path, routed by its decoded form, that route’s entry', async () => {
    const open = await start(ADMIN_OPEN, {});
    // Express would not route /ad%6Din to /admin; Fastify does, and says so.
    expect(await open('/ad%6Din', ADMIN)).toEqual({ handler: 'admin', allowOrigin: ADMIN });
  });

  it('reads the path, failing closed, when no route was found (404)', async () => {
    const request = await start(RED_TEAM, {}, (app) => {
      app.get('/admin', async () => 'admin');
      app.get('/public', async () => 'public');
    });
    expect(await request('/admin;x', PUBLIC)).toEqual({ handler: 'none', allowOrigin: undefined });
    expect(await request('/ADMIN', PUBLIC)).toEqual({ handler: 'none', allowOrigin: undefined });
    expect(await request('/missing', PUBLIC)).toEqual({ handler: 'none', allowOrigin: '*' });
  });

  it('reads the path when the route spans entries (a catch-all under a narrower entry)', async () => {
    const request = await start(RED_TEAM, { useSemicolonDelimiter: true }, (app) => {
      app.get('/*', async () => 'public');
    });
    // The catch-all serves /admin/x too: the table reads the path and its entry applies.
    expect(await request('/admin/x', PUBLIC)).toEqual({
      handler: 'public',
      allowOrigin: undefined,
    });
    expect(await request('/admin;x', PUBLIC)).toEqual({
      handler: 'public',
      allowOrigin: undefined,
    });
    expect(await request('/public', PUBLIC)).toEqual({ handler: 'public', allowOrigin: '*' });
  });

  it('follows routes under a prefix, and answers preflights by the same route', async () => {
    const routerOptions: RouterOptions = { useSemicolonDelimiter: true, caseSensitive: false };
    const app = Fastify({ routerOptions });
    await app.register(fastifyCors, {
      paths: { '/v1/admin/*': { origins: [ADMIN], methods: ['PUT'] }, '/*': { origins: '*' } },
    });
    await app.register(
      async (v1) => {
        v1.put('/admin/:id', async () => 'admin');
      },
      { prefix: '/v1' },
    );
    // Read from the path alone, `/v1/ADMIN/7;x` is ambiguous (case, `;`) and gets no CORS.
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/v1/ADMIN/7;x',
      headers: { origin: ADMIN, 'access-control-request-method': 'PUT' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(ADMIN);
    const denied = await app.inject({
      method: 'OPTIONS',
      url: '/v1/ADMIN/7;x',
      headers: { origin: PUBLIC, 'access-control-request-method': 'PUT' },
    });
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
    await app.close();
  });
});

/** A router Hono can be built with. */
type HonoRouter = NonNullable<NonNullable<ConstructorParameters<typeof Hono>[0]>['router']>;

describe('hono: the table follows the routes Hono matched', () => {
  const routers: [string, () => HonoRouter][] = [
    [
      'SmartRouter (default)',
      () => new SmartRouter({ routers: [new RegExpRouter(), new TrieRouter()] }),
    ],
    ['RegExpRouter', () => new RegExpRouter()],
    ['TrieRouter', () => new TrieRouter()],
    ['PatternRouter', () => new PatternRouter()],
    ['LinearRouter', () => new LinearRouter()],
  ];

  async function start(table: PathTableInput, router: HonoRouter, strict: boolean) {
    const app = new Hono({ router, strict });
    app.use(honoCors.paths(table));
    app.get('/admin', (c) => c.text('admin'));
    app.get('/admin/*', (c) => c.text('admin'));
    app.get('/*', (c) => c.text('public'));
    const server = serveHono({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const base = await listen(server as http.Server);
    return (path: string, origin: string) => get(base, path, origin);
  }

  for (const [name, router] of routers) {
    for (const strict of [true, false]) {
      it(`never gives an admin route Allow-Origin: * (${name}, strict: ${strict})`, async () => {
        const request = await start(RED_TEAM, router(), strict);
        expect(await request('/public', PUBLIC)).toEqual({ handler: 'public', allowOrigin: '*' });
        expect(await request('/admin', PUBLIC)).toEqual({
          handler: 'admin',
          allowOrigin: undefined,
        });
        expect(await redTeamViolations(request)).toEqual([]);
      });

      it(`gives a path Hono routed to /admin the /admin entry (${name}, strict: ${strict})`, async () => {
        const request = await start(ADMIN_OPEN, router(), strict);
        // Hono decodes before routing; read from the path alone, this one is ambiguous.
        expect(await request('/ad%6Din', ADMIN)).toEqual({ handler: 'admin', allowOrigin: ADMIN });
        expect(await request('/admin/x', ADMIN)).toEqual({ handler: 'admin', allowOrigin: ADMIN });
        expect(await request('/public', PUBLIC)).toEqual({ handler: 'public', allowOrigin: '*' });
        // Hono does not cut at ";": the catch-all serves it, and the path reading fails closed.
        expect(await request('/admin;x', PUBLIC)).toEqual({
          handler: 'public',
          allowOrigin: undefined,
        });
      });
    }
  }
});

describe('express and koa: routing comes after the middleware, so the path fails closed', () => {
  const variants: [string, Record<string, boolean>][] = [
    ['default options', {}],
    ['case sensitive routing', { 'case sensitive routing': true }],
    ['strict routing', { 'strict routing': true }],
    ['both', { 'case sensitive routing': true, 'strict routing': true }],
  ];
  for (const [name, settings] of variants) {
    it(`express never gives an admin route Allow-Origin: * (${name})`, async () => {
      const app = express();
      for (const [key, value] of Object.entries(settings)) app.set(key, value);
      app.use(expressCors.paths(RED_TEAM));
      app.get(['/admin', '/admin/{*rest}'], (_req, res) => {
        res.send('admin');
      });
      app.get('/{*rest}', (_req, res) => {
        res.send('public');
      });
      const base = await listen(http.createServer(app));
      const request = (path: string, origin: string) => get(base, path, origin);
      expect(await request('/public', PUBLIC)).toEqual({ handler: 'public', allowOrigin: '*' });
      expect(await redTeamViolations(request)).toEqual([]);
      // Express does not cut at ";" but a proxy in front may: no CORS, whichever handler ran.
      expect((await request('/admin;x', PUBLIC)).allowOrigin).toBeUndefined();
    });
  }

  for (const [name, options] of [
    ['@koa/router defaults', { sensitive: false, trailing: true }],
    ['sensitive and strict', { sensitive: true, trailing: false }],
  ] as const) {
    it(`koa never gives an admin route Allow-Origin: * (${name})`, async () => {
      const isAdmin = match(['/admin', '/admin/', '/admin/*rest'], options);
      const app = new Koa();
      app.use(koaCors.paths(RED_TEAM));
      app.use((ctx) => {
        ctx.body = isAdmin(ctx.path) ? 'admin' : 'public';
      });
      const base = await listen(http.createServer(app.callback()));
      const request = (path: string, origin: string) => get(base, path, origin);
      expect(await request('/public', PUBLIC)).toEqual({ handler: 'public', allowOrigin: '*' });
      expect(await redTeamViolations(request)).toEqual([]);
      expect((await request('/admin;x', PUBLIC)).allowOrigin).toBeUndefined();
    });
  }
});
