/**
 * The decision log has one event shape whatever the framework: each adapter hands the policy the
 * request's URL, and the policy reports. Each case runs a refused preflight and an allowed GET
 * through a real server (or the framework's own request injection).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import type { CorsOptions, DecisionEvent } from '../policy/options.js';
import { cors as expressCors } from './express/index.js';
import { corsproof } from './fastify/index.js';
import { withCors as fetchWithCors } from './fetch/index.js';
import { cors as honoCors } from './hono/index.js';
import { cors as koaCors } from './koa/index.js';
import { withCors as nodeWithCors } from './node/index.js';

const APP = 'https://app.example';
const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Sends the two requests every case makes and gives back what the log received. */
type Send = (path: string, init: RequestInit) => Promise<Response>;

const PREFLIGHT: RequestInit = {
  method: 'OPTIONS',
  headers: { origin: APP, 'access-control-request-method': 'DELETE' },
};
const GET: RequestInit = { method: 'GET', headers: { origin: APP } };

type Harness = (policy: CorsOptions) => Promise<Send>;

async function overHttp(handler: http.RequestListener): Promise<Send> {
  const base = await listen(handler);
  return (path, init) => fetch(`${base}${path}`, init);
}

const harnesses: Record<string, Harness> = {
  node: async (policy) => overHttp(nodeWithCors(policy, (_req, res) => res.end('ok'))),
  express: async (policy) => {
    const app = express();
    app.use('/api', expressCors(policy));
    app.use((_req, res) => void res.send('ok'));
    return overHttp(app);
  },
  koa: async (policy) => {
    const app = new Koa();
    app.use(koaCors(policy));
    app.use((ctx) => {
      ctx.body = 'ok';
    });
    return overHttp(app.callback());
  },
  fastify: async (policy) => {
    const app = Fastify();
    await app.register(corsproof, policy);
    app.all('/*', async () => 'ok');
    await app.ready();
    return async (path, init) => {
      const res = await app.inject({
        method: init.method as 'GET',
        url: path,
        headers: init.headers as Record<string, string>,
      });
      return new Response(res.body, { status: res.statusCode });
    };
  },
  hono: async (policy) => {
    const app = new Hono();
    app.use(honoCors(policy));
    app.all('*', (c) => c.text('ok'));
    return async (path, init) => app.request(`https://api.example${path}`, init);
  },
  fetch: async (policy) => {
    const handler = fetchWithCors(policy, () => new Response('ok'));
    return async (path, init) => handler(new Request(`https://api.example${path}`, init));
  },
};

describe.each(Object.keys(harnesses))('the decision log through %s', (name) => {
  it('reports a refused preflight and an allowed request with the same shape', async () => {
    const events: DecisionEvent[] = [];
    const send = await (harnesses[name] as Harness)({
      origins: [APP],
      methods: ['PUT'],
      onDecision: (event) => events.push(event),
    });
    expect((await send('/api/items?x=1', PREFLIGHT)).status).toBe(403);
    expect((await send('/api/items', GET)).status).toBe(200);
    const shape = events.map(({ kind, origin, method, requestMethod, path, code }) => ({
      kind,
      origin,
      method,
      requestMethod,
      path,
      code,
    }));
    expect(shape).toEqual([
      {
        kind: 'preflight-refused',
        origin: APP,
        method: 'OPTIONS',
        requestMethod: 'DELETE',
        path: '/api/items',
        code: 'method-not-allowed',
      },
      {
        kind: 'actual-allowed',
        origin: APP,
        method: 'GET',
        requestMethod: undefined,
        path: '/api/items',
        code: null,
      },
    ]);
  });
});
