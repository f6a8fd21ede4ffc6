/**
 * The public types of `corsproof/compat`. They mirror the shapes of `@types/cors` (2.8) so that code
 * typed against that package keeps compiling after the import is switched, but they are declared
 * here: corsproof does not depend on `@types/cors`.
 */
import type { IncomingHttpHeaders } from 'node:http';

/**
 * One entry of a static origin setting, as `cors` 2.8 reads it:
 * - `true` reflects the request's `Origin`, whatever it is; `false` allows nothing;
 * - a string is compared with `===` against the request's `Origin`;
 * - a RegExp is applied with `.test()`, unanchored unless the pattern itself has `^` and `$`.
 */
export type OriginEntry = boolean | string | RegExp;

/**
 * The non-function forms of `origin`:
 * - `'*'`: `Access-Control-Allow-Origin: *` on every response (no `Vary`);
 * - any other string: that exact value on every response, whatever the request's `Origin`;
 * - `true`, a RegExp or a list: the request's `Origin` is reflected when it matches, with
 *   `Vary: Origin`;
 * - `false` (or `''`): no CORS headers at all, the request goes on to the next handler.
 */
export type StaticOrigin = OriginEntry | readonly OriginEntry[];

/**
 * Answers an origin lookup: an error (passed on to `next`), or the static origin setting to apply
 * to this request. A falsy setting sends no CORS headers and passes the request on.
 */
export type OriginCallback = (err: Error | null, origin?: StaticOrigin) => void;

/**
 * Decides the origin setting per request, from the request's `Origin` header (undefined when the
 * request has none).
 *
 * @example
 * const origin: CustomOrigin = (requestOrigin, callback) => {
 *   lookUpTenant(requestOrigin).then((tenant) => callback(null, tenant !== undefined), callback);
 * };
 */
export type CustomOrigin = (requestOrigin: string | undefined, callback: OriginCallback) => void;

/** What the middleware reads from a request. Node's `IncomingMessage` and Express's `Request` fit. */
export interface CorsRequest {
  /** The method; any casing of `OPTIONS` is treated as a preflight. */
  method?: string | undefined;
  /** Lower-cased header names, as Node exposes them. */
  headers: IncomingHttpHeaders;
}

/**
 * What the middleware uses of a response. Node's `ServerResponse` and Express's `Response` fit; so
 * does a test double with just these members.
 */
export interface CorsResponse {
  statusCode?: number | undefined;
  setHeader(name: string, value: string | readonly string[]): unknown;
  /** Read for `Vary` only, so that an existing value is extended rather than replaced. */
  getHeader(name: string): unknown;
  end(): unknown;
}

/** Express-style continuation: called with nothing, or with the error to hand on. */
export type NextFunction = (err?: unknown) => unknown;

/**
 * The options of `cors` 2.8, with its defaults. Every option is re-read on every request, so a
 * delegate may return different options per request.
 */
export interface CorsOptions {
  /**
   * Which origins get `Access-Control-Allow-Origin` (see {@link StaticOrigin}), or a function that
   * decides per request. Default `'*'`. An own property set to `undefined` (say, from an unset
   * environment variable) replaces the default and disables CORS, as in `cors` 2.8.
   */
  origin?: StaticOrigin | CustomOrigin | undefined;
  /**
   * `Access-Control-Allow-Methods` on preflights, sent as given (an array is joined with `,`);
   * never compared with the requested method. Default `'GET,HEAD,PUT,PATCH,POST,DELETE'`.
   */
  methods?: string | readonly string[] | undefined;
  /**
   * `Access-Control-Allow-Headers` on preflights. When unset (or `''`), the request's
   * `Access-Control-Request-Headers` is echoed back and `Vary: Access-Control-Request-Headers`
   * added; an empty array sends no header at all.
   */
  allowedHeaders?: string | readonly string[] | undefined;
  /**
   * Older spelling of `allowedHeaders`, read by `cors` 2.8 when `allowedHeaders` is unset.
   * @deprecated Use `allowedHeaders`.
   */
  headers?: string | readonly string[] | undefined;
  /** `Access-Control-Expose-Headers`, on every response (preflights included). Default none. */
  exposedHeaders?: string | readonly string[] | undefined;
  /** `true` sends `Access-Control-Allow-Credentials: true`; anything else sends nothing. */
  credentials?: boolean | undefined;
  /** `Access-Control-Max-Age` in seconds, on preflights; `0` is sent as `0`. Default none. */
  maxAge?: number | undefined;
  /**
   * Let preflights (every `OPTIONS` request) continue to the next handler with the CORS headers
   * set, instead of ending them here. Default `false`.
   */
  preflightContinue?: boolean | undefined;
  /** Status of the preflights this middleware ends. Default 204. */
  optionsSuccessStatus?: number | undefined;
}

/** Hands the options for one request to the middleware, or an error to pass on to `next`. */
export type CorsOptionsCallback = (err: Error | null, options?: CorsOptions) => void;

/**
 * Chooses the options per request.
 *
 * @example
 * const delegate: CorsOptionsDelegate = (req, callback) => {
 *   callback(null, { origin: req.headers['x-tenant'] === 'a' ? 'https://a.example' : false });
 * };
 */
export type CorsOptionsDelegate<Req extends CorsRequest = CorsRequest> = (
  req: Req,
  callback: CorsOptionsCallback,
) => void;

/** The middleware `cors()` returns: `(req, res, next)`, usable with Express, Connect and `node:http`. */
export type CorsMiddleware<Req extends CorsRequest = CorsRequest> = (
  req: Req,
  res: CorsResponse,
  next: NextFunction,
) => void;
