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
import Koa from 'koa';
import { match } from 'path-to-regexp';
import { afterEach, describe, expect, it } from 'vitest';
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
