/**
 * The one policy every middleware-throughput server applies, written in each library's dialect,
 * and the two requests the load generator sends. Edit it here and every variant follows.
 *
 * One allowed origin, credentials, two non-safelisted methods, two request headers and a max-age:
 * the common shape of an API called from one front end.
 */
export const ORIGIN = 'https://app.example.com';
export const REQUEST_METHOD = 'PUT';
export const REQUEST_HEADERS = 'content-type,x-requested-with';
export const MAX_AGE = 600;

/** corsproof's `CorsOptions`. */
export const corsproofOptions = Object.freeze({
  origins: [ORIGIN],
  credentials: true,
  methods: ['PUT', 'DELETE'],
  requestHeaders: ['Content-Type', 'X-Requested-With'],
  maxAge: MAX_AGE,
});

/**
 * expressjs/cors, its corsproof drop-in (`adapters/compat`) and @fastify/cors, which copied its
 * options. A string origin is how their READMEs configure a single origin.
 */
export const corsPackageOptions = Object.freeze({
  origin: ORIGIN,
  credentials: true,
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
  allowedHeaders: ['Content-Type', 'X-Requested-With'],
  maxAge: MAX_AGE,
});

/** @koa/cors */
export const koaCorsOptions = Object.freeze({
  origin: ORIGIN,
  credentials: true,
  allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
  allowHeaders: ['Content-Type', 'X-Requested-With'],
  maxAge: MAX_AGE,
});

/** hono/cors */
export const honoCorsOptions = Object.freeze({
  origin: ORIGIN,
  credentials: true,
  allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
  allowHeaders: ['Content-Type', 'X-Requested-With'],
  maxAge: MAX_AGE,
});

/**
 * What corsproof answers to the two benchmark requests, as constants: the "limit" server writes
 * these without deciding anything. Kept in step with corsproof by the probe in the bench, which
 * prints every variant's CORS headers side by side.
 */
export const LIMIT_PREFLIGHT_HEADERS = Object.freeze([
  ['access-control-allow-origin', ORIGIN],
  ['access-control-allow-credentials', 'true'],
  ['access-control-allow-methods', REQUEST_METHOD],
  ['access-control-allow-headers', REQUEST_HEADERS],
  ['access-control-max-age', String(MAX_AGE)],
  ['vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers'],
]);
export const LIMIT_ACTUAL_HEADERS = Object.freeze([
  ['access-control-allow-origin', ORIGIN],
  ['access-control-allow-credentials', 'true'],
  ['vary', 'Origin'],
]);

/** The response body of `GET /` in every variant. */
export const BODY = 'hello';
export const CONTENT_TYPE = 'text/plain; charset=utf-8';
