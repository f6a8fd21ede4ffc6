/**
 * The policy files every real-server test runs: the middleware adapters, the generated nginx,
 * Apache, Caddy and HAProxy configurations, Flask, Django and FastAPI. Each is JSON exactly as a
 * team would keep it in `cors.json` (no predicates, nothing that only exists in JavaScript), and
 * `corsproof conform` must find every server built from it conforming.
 *
 * Together they cover each option alone and in combination: one and several origins, subdomain and
 * `localhost:*` patterns, credentials, methods, request headers, `'*'` where the Fetch standard
 * allows it, exposed headers, max-age, Private Network Access, a 200 preflight status, any origin,
 * and path tables with named, inline and `false` entries.
 */
import type { CorsOptions, PolicySetJSON } from 'corsproof';

/** A policy file as written: one policy, or the several-policies form. */
export type PolicyDocument = CorsOptions | PolicySetJSON;

export interface ServerPolicy {
  /** Kebab-case, unique: names test cases and generated files. */
  readonly name: string;
  readonly file: PolicyDocument;
}

const APP = 'https://app.example.com';
const ADMIN = 'https://admin.example.com';

export const policies: readonly ServerPolicy[] = [
  { name: 'one-origin', file: { origins: [APP] } },
  {
    name: 'several-origins',
    file: { origins: [APP, ADMIN, 'http://localhost:3000', 'https://partner.test:8443'] },
  },
  { name: 'subdomain-pattern', file: { origins: ['https://*.example.com'] } },
  { name: 'localhost-any-port', file: { origins: ['http://localhost:*', 'http://127.0.0.1:*'] } },
  { name: 'credentials', file: { origins: [APP], credentials: true } },
  { name: 'methods', file: { origins: [APP], methods: ['PUT', 'DELETE', 'PATCH'] } },
  {
    name: 'request-headers',
    file: { origins: [APP], requestHeaders: ['Content-Type', 'Authorization', 'X-Request-Id'] },
  },
  { name: 'any-method-and-header', file: { origins: [APP], methods: '*', requestHeaders: '*' } },
  { name: 'exposed-headers', file: { origins: [APP], exposeHeaders: ['X-Total-Count', 'ETag'] } },
  { name: 'expose-every-header', file: { origins: [APP], exposeHeaders: '*' } },
  { name: 'max-age', file: { origins: [APP], methods: ['PUT'], maxAge: 600 } },
  { name: 'private-network', file: { origins: [APP], privateNetwork: true } },
  {
    name: 'preflight-status-200',
    file: { origins: [APP], methods: ['DELETE'], preflightStatus: 200 },
  },
  { name: 'any-origin', file: { origins: '*' } },
  {
    name: 'any-origin-full',
    file: {
      origins: '*',
      methods: ['PUT', 'DELETE'],
      requestHeaders: ['Content-Type'],
      exposeHeaders: ['X-Total-Count'],
      maxAge: 86400,
    },
  },
  {
    name: 'credentials-subdomains-and-localhost',
    file: {
      origins: ['https://*.example.com', 'http://localhost:*'],
      credentials: true,
      methods: ['PUT', 'DELETE'],
      requestHeaders: ['Content-Type', 'X-CSRF-Token'],
      exposeHeaders: ['X-Request-Id'],
      maxAge: 7200,
    },
  },
  {
    name: 'subdomain-pattern-any-port',
    file: { origins: ['https://*.staging.example.com:*', APP], methods: ['PATCH'] },
  },
  {
    name: 'credentials-private-network',
    file: {
      origins: [APP, 'http://localhost:5173'],
      credentials: true,
      privateNetwork: true,
      methods: ['POST', 'PUT'],
      requestHeaders: ['Content-Type'],
    },
  },
  {
    name: 'path-table',
    file: {
      default: { origins: [APP] },
      policies: { public: { origins: '*', exposeHeaders: ['X-Total-Count'] } },
      paths: {
        '/admin/*': false,
        '/public/*': 'public',
        '/api/*': {
          origins: [APP, ADMIN],
          credentials: true,
          methods: ['PUT', 'DELETE'],
          requestHeaders: ['Content-Type'],
        },
      },
    },
  },
  {
    name: 'named-policies',
    file: {
      default: false,
      policies: {
        partners: {
          origins: ['https://partner.test', 'https://*.partner.test'],
          methods: ['PUT'],
          requestHeaders: ['Authorization'],
          maxAge: 300,
        },
        internal: {
          origins: [ADMIN],
          credentials: true,
          methods: ['DELETE'],
          exposeHeaders: ['X-Request-Id'],
        },
        closed: false,
      },
      paths: {
        '/partners/*': 'partners',
        '/internal/*': 'internal',
        '/legacy/*': 'closed',
      },
    },
  },
  {
    name: 'path-parameters',
    file: {
      default: false,
      paths: {
        '/orders/:id': { origins: [APP], methods: ['PUT', 'DELETE'] },
        '/orders/*': false,
        '/health': { origins: '*' },
      },
    },
  },
  {
    name: 'everything',
    file: {
      default: {
        origins: [APP, 'https://*.example.com', 'http://localhost:*'],
        credentials: true,
        methods: ['PUT', 'PATCH', 'DELETE'],
        requestHeaders: ['Content-Type', 'Authorization', 'X-Request-Id'],
        exposeHeaders: ['X-Total-Count', 'X-Request-Id'],
        maxAge: 3600,
        privateNetwork: true,
        preflightStatus: 200,
      },
      policies: {
        open: { origins: '*', methods: '*', requestHeaders: '*', exposeHeaders: '*' },
      },
      paths: { '/open/*': 'open', '/private/*': false },
    },
  },
];
