/**
 * The options a CORS policy is written with. Everything here is checked by `compilePolicy`, which
 * refuses insecure or meaningless combinations with a `CorsConfigError` before any request is served.
 */

/**
 * What a predicate sees of the request: the CORS-relevant parts, framework-free. Adapters may pass
 * their native request as `raw` so a predicate can look at anything else (a tenant header, say).
 */
export interface CorsRequest {
  /** The request method as received (not normalized). */
  readonly method: string;
  /** The `Origin` header, or undefined when absent. */
  readonly origin?: string | undefined;
  /** The `Access-Control-Request-Method` header, or undefined when absent. */
  readonly requestMethod?: string | undefined;
  /** The `Access-Control-Request-Headers` header (lines combined with ", "), or undefined. */
  readonly requestHeaders?: string | undefined;
  /** The `Access-Control-Request-Private-Network` header, or undefined when absent. */
  readonly requestPrivateNetwork?: string | undefined;
  /** The framework's own request object, handed to predicates untouched. */
  readonly raw?: unknown;
}

/**
 * Decides whether an origin is allowed. It receives the origin exactly as the browser serialized it
 * (already checked to be a well-formed, canonical origin; never `null`) and must return a boolean,
 * never a header value: corsproof alone decides what goes into `Access-Control-Allow-Origin`.
 */
export type OriginPredicate = (
  origin: string,
  request: CorsRequest,
) => boolean | PromiseLike<boolean>;

/**
 * The origins a policy allows:
 * - a list of exact origins (`'https://app.example.com'`, `'http://localhost:3000'`) and patterns:
 *   `https://*.example.com` (`*` stands for one or more subdomain labels, never the apex) and
 *   `http://localhost:*` (any port, for local development); the two wildcards may be combined;
 * - `'*'`: any origin, answered with `Access-Control-Allow-Origin: *` (never with credentials);
 * - a predicate, sync or async, for origins only known at run time (a tenant database).
 */
export type OriginsOption = readonly string[] | '*' | OriginPredicate;

/** Where warnings go in debug mode. */
export interface CorsLogger {
  warn(message: string): void;
}

export interface CorsOptions {
  /** Which origins may read responses. Required: there is deliberately no default. */
  readonly origins: OriginsOption;
  /**
   * Whether requests with credentials (cookies, TLS client certificates, HTTP auth) are allowed:
   * sends `Access-Control-Allow-Credentials: true`. Default false. Refused with `origins: '*'`.
   */
  readonly credentials?: boolean;
  /**
   * Methods a preflight may ask for, compared case-sensitively as browsers do (`patch` is not
   * `PATCH`). GET, HEAD and POST never need listing. `'*'` allows any method but CONNECT, TRACE and
   * TRACK. Default: none beyond the safelisted three.
   */
  readonly methods?: readonly string[] | '*';
  /**
   * Request headers a preflight may ask for (case-insensitive). `'*'` allows any header that is
   * not forbidden. Accepted preflights list only the requested names. Default: none.
   */
  readonly requestHeaders?: readonly string[] | '*';
  /**
   * Response headers script may read beyond the always-readable ones (Cache-Control,
   * Content-Language, Content-Length, Content-Type, Expires, Last-Modified, Pragma). `'*'` exposes
   * every header and is refused with credentials, where browsers read it as a header named `*`.
   */
  readonly exposeHeaders?: readonly string[] | '*';
  /**
   * How long, in whole seconds (0 to 86400), a browser may cache a preflight result. Chromium caps
   * it at 7200 and Firefox at 86400. Default: no header (browsers then use 5 seconds).
   */
  readonly maxAge?: number;
  /**
   * Answer Private Network Access preflights (`Access-Control-Request-Private-Network: true`) with
   * `Access-Control-Allow-Private-Network: true`. Default false.
   */
  readonly privateNetwork?: boolean;
  /** Status of an accepted preflight: 200 to 299, default 204. */
  readonly preflightStatus?: number;
  /**
   * Debug mode: a refused preflight gets the partial headers that make the browser console name the
   * exact failure, and questionable settings are warned about. `true` logs to `console.warn`.
   */
  readonly debug?: boolean | CorsLogger;
  /** Allow `http:` origins other than loopback together with credentials. Default false. */
  readonly dangerouslyAllowInsecureOrigins?: boolean;
  /**
   * Allow wildcard patterns at or above a public suffix (`https://*.github.io`) together with
   * credentials: anyone can register a site there. Default false.
   */
  readonly dangerouslyAllowPublicSuffixWildcards?: boolean;
}

/** The option names, for typo detection. */
export const OPTION_KEYS: readonly (keyof CorsOptions)[] = [
  'origins',
  'credentials',
  'methods',
  'requestHeaders',
  'exposeHeaders',
  'maxAge',
  'privateNetwork',
  'preflightStatus',
  'debug',
  'dangerouslyAllowInsecureOrigins',
  'dangerouslyAllowPublicSuffixWildcards',
];
