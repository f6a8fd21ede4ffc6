/**
 * The built-in demo API: a handful of endpoints, each under its own policy, for trying corsproof
 * (and, later, the checker) against something real. Built with the node:http adapter.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type CorsPolicy, compilePolicy } from 'corsproof';
import { withCors } from 'corsproof/node';
import { GALXE_POLICY } from '../../generate/index.js';

/** One endpoint of the demo: its path, what it shows, and the policy (or none). */
export interface DemoEndpoint {
  readonly path: string;
  readonly description: string;
  readonly policy: CorsPolicy | null;
}

/** The origins the demo's allow-list trusts; `http://localhost:5173` is a typical dev server. */
export const DEMO_TRUSTED_ORIGINS = ['https://app.example.com', 'http://localhost:5173'] as const;

export const DEMO_ENDPOINTS: readonly DemoEndpoint[] = [
  {
    path: '/public',
    description:
      'public read-only data: any origin, no credentials (Access-Control-Allow-Origin: *)',
    policy: compilePolicy({ origins: '*', exposeHeaders: ['X-Request-Id'], maxAge: 600 }),
  },
  {
    path: '/private',
    description: `an allow-list with credentials: ${DEMO_TRUSTED_ORIGINS.join(', ')}; PUT and DELETE with Content-Type and Authorization`,
    policy: compilePolicy({
      origins: [...DEMO_TRUSTED_ORIGINS],
      credentials: true,
      methods: ['PUT', 'DELETE'],
      requestHeaders: ['Content-Type', 'Authorization'],
      exposeHeaders: ['X-Request-Id'],
      maxAge: 7200,
    }),
  },
  {
    path: '/tenants',
    description: 'a wildcard-subdomain pattern: https://*.example.com, with credentials',
    policy: compilePolicy({
      origins: ['https://*.example.com'],
      credentials: true,
      methods: ['PATCH'],
      requestHeaders: ['Content-Type'],
    }),
  },
  {
    path: '/galxe',
    description:
      "a Galxe credential API: `corsproof generate --preset galxe`'s policy, which passes Galxe's CORS Check for GET and POST",
    policy: compilePolicy(GALXE_POLICY),
  },
  {
    path: '/no-cors',
    description:
      'deliberately without CORS: browsers on other origins can send to it but never read it',
    policy: null,
  },
];

let counter = 0;

function reply(req: IncomingMessage, res: ServerResponse, endpoint: DemoEndpoint): void {
  const body = JSON.stringify({
    endpoint: endpoint.path,
    method: req.method,
    origin: req.headers.origin ?? null,
    description: endpoint.description,
  });
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('x-request-id', String(++counter));
  res.end(req.method === 'HEAD' ? undefined : body);
}

function index(res: ServerResponse, baseUrl: string): void {
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(
    JSON.stringify(
      {
        name: 'corsproof demo API',
        endpoints: DEMO_ENDPOINTS.map((e) => ({
          url: `${baseUrl}${e.path}`,
          description: e.description,
          policy: e.policy?.toJSON() ?? null,
        })),
      },
      null,
      2,
    ),
  );
}

/** The demo API as a `node:http` request handler. `prefix` mounts it under a path (e.g. `/demo`). */
export function createDemoHandler(
  baseUrl: string,
  prefix = '',
): (req: IncomingMessage, res: ServerResponse) => void {
  const routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();
  for (const endpoint of DEMO_ENDPOINTS) {
    const handler = (req: IncomingMessage, res: ServerResponse) => reply(req, res, endpoint);
    routes.set(
      prefix + endpoint.path,
      endpoint.policy === null ? handler : withCors(endpoint.policy, handler),
    );
  }
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routes.get(path);
    if (route !== undefined) return route(req, res);
    if (path === `${prefix}/` || path === prefix) return index(res, baseUrl + prefix);
    res.statusCode = 404;
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.end(`Not found: ${path}. Try ${baseUrl}${prefix}/ for the list of endpoints.\n`);
  };
}

/**
 * Commands for the start-up banner: curl showing one preflight accepted and one refused, and the
 * Galxe check passing.
 */
export function demoCurlExamples(baseUrl: string): string[] {
  const [trusted] = DEMO_TRUSTED_ORIGINS;
  return [
    `# accepted preflight (204 with Access-Control-Allow-* headers):\ncurl -i -X OPTIONS ${baseUrl}/private -H 'Origin: ${trusted}' -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: content-type'`,
    `# refused preflight (403, no CORS headers): the origin is not on the list\ncurl -i -X OPTIONS ${baseUrl}/private -H 'Origin: https://evil.example' -H 'Access-Control-Request-Method: PUT'`,
    `# public data, readable from any origin:\ncurl -i ${baseUrl}/public -H 'Origin: https://anyone.example'`,
    `# Galxe's CORS Check, GET and POST, passing:\ncorsproof check ${baseUrl}/galxe --galxe`,
  ];
}
