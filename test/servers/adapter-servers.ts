/**
 * Loopback servers built from a policy file with each of corsproof's adapters, as an application
 * would write them: the file's named policies and default as a registry, its path table as
 * `cors.paths(...)`. Every server answers any path with 200 and a body, and sends the response
 * headers the file exposes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type {
  CorsPolicy,
  PathTableInput,
  PolicyFile,
  PolicyRegistryOptions,
  PolicySetJSON,
} from 'corsproof';
import { corsPolicies as expressCors } from 'corsproof/express';
import { corsproof } from 'corsproof/fastify';
import { corsPolicies as fetchCors } from 'corsproof/fetch';
import { corsPolicies as honoCors } from 'corsproof/hono';
import { corsPolicies as koaCors } from 'corsproof/koa';
import { withCors } from 'corsproof/node';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import type { PolicyDocument } from './policies.js';

/** A running server: its base URL, and how to stop it. */
export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

export type AdapterName = 'node' | 'express' | 'fastify' | 'koa' | 'hono' | 'fetch';

export const ADAPTERS: readonly AdapterName[] = [
  'node',
  'express',
  'fastify',
  'koa',
  'hono',
  'fetch',
];

/** The registry options and path table a document stands for. */
function split(document: PolicyDocument): {
  registry: PolicyRegistryOptions;
  paths: PathTableInput | null;
} {
  const keys = Object.keys(document).filter((k) => k !== '$schema');
  const isSet = keys.every((k) => k === 'default' || k === 'policies' || k === 'paths');
  if (!isSet)
    return { registry: { default: document as PolicyRegistryOptions['default'] }, paths: null };
  const set = document as PolicySetJSON;
  return {
    registry: {
      ...(set.default !== undefined && { default: set.default }),
      ...(set.policies !== undefined && { policies: set.policies }),
    },
    paths: (set.paths as PathTableInput | undefined) ?? null,
  };
}

const BODY = 'conform';

async function listening(server: http.Server): Promise<RunningServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function exposedHeaders(file: PolicyFile): string[] {
  const all = [
    file.default,
    ...file.policies.values(),
    ...file.paths.map((r) => (r.choice.kind === 'inline' ? r.choice.policy : null)),
  ];
  const names = new Set<string>();
  for (const p of all) {
    const expose = p?.config.exposeHeaders;
    if (Array.isArray(expose)) for (const n of expose) names.add(n);
  }
  return [...names];
}

/**
 * node:http has no path table: the application picks the policy by path itself, each policy
 * wrapped once with `withCors`, as `file.policyFor` picks it.
 */
function nodeServer(file: PolicyFile, exposed: readonly string[]): http.Server {
  const app = (_req: http.IncomingMessage, res: http.ServerResponse) => {
    for (const name of exposed) res.setHeader(name, BODY);
    res.end(BODY);
  };
  const wrapped = new Map<CorsPolicy, http.RequestListener>();
  return http.createServer((req, res) => {
    const policy = file.policyFor(req.url ?? '/');
    if (policy === null) return app(req, res);
    let handler = wrapped.get(policy);
    if (handler === undefined) {
      handler = withCors(policy, app);
      wrapped.set(policy, handler);
    }
    handler(req, res);
  });
}

/** Starts a loopback server carrying out `document` with one adapter. */
export async function startAdapterServer(
  adapter: AdapterName,
  document: PolicyDocument,
  file: PolicyFile,
): Promise<RunningServer> {
  const { registry, paths } = split(document);
  const exposed = exposedHeaders(file);
  switch (adapter) {
    case 'node':
      return listening(nodeServer(file, exposed));
    case 'express': {
      const cors = expressCors(registry);
      const app = express();
      app.use(paths === null ? cors() : cors.paths(paths));
      app.use((_req, res) => {
        for (const name of exposed) res.setHeader(name, BODY);
        res.send(BODY);
      });
      return listening(http.createServer(app));
    }
    case 'koa': {
      const cors = koaCors(registry);
      const app = new Koa();
      app.use(paths === null ? cors() : cors.paths(paths));
      app.use((ctx) => {
        for (const name of exposed) ctx.set(name, BODY);
        ctx.body = BODY;
      });
      return listening(http.createServer(app.callback()));
    }
    case 'fastify': {
      const app = Fastify();
      await app.register(corsproof, { ...registry, ...(paths === null ? {} : { paths }) });
      app.get('/*', async (_req, reply) => {
        for (const name of exposed) reply.header(name, BODY);
        return BODY;
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      return { url: `http://127.0.0.1:${port}/`, close: () => app.close() };
    }
    case 'hono': {
      const cors = honoCors(registry);
      const app = new Hono();
      app.use(paths === null ? cors() : cors.paths(paths));
      app.all('*', (c) => {
        for (const name of exposed) c.header(name, BODY);
        return c.text(BODY);
      });
      return listening(serveFetch(app.fetch));
    }
    case 'fetch': {
      const cors = fetchCors(registry);
      const wrap = paths === null ? cors() : cors.paths(paths);
      const handler = wrap(() => {
        const headers = new Headers();
        for (const name of exposed) headers.set(name, BODY);
        return new Response(BODY, { headers });
      });
      return listening(serveFetch(handler));
    }
  }
}

/** A node:http server (not yet listening) for a fetch handler, through @hono/node-server. */
function serveFetch(fetch: (request: Request) => Response | Promise<Response>): http.Server {
  return http.createServer(getRequestListener(fetch));
}
