/**
 * The options a CORS policy is written with. Everything here is checked by `compilePolicy`, which
 * refuses insecure or meaningless combinations with a `CorsConfigError` before any request is served.
 */
import type { Decision, RefusalCode } from './decision.js';

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
  /**
   * The request target as the adapter has it (`/path?query`, or an absolute URL in fetch
   * handlers), for the decision log. Never used to decide.
   */
  readonly url?: string | undefined;
}

/**
 * What a predicate may return instead of a boolean when its answer depends on more than the
 * origin: `vary` names the request headers it read (a tenant header, say), which corsproof adds
 * to `Vary` so a shared cache never serves one tenant's answer to another.
 */
export interface OriginVerdict {
  readonly allow: boolean;
  readonly vary: readonly string[];
}

/**
 * Decides whether an origin is allowed. It receives the origin exactly as the browser serialized it
 * (already checked to be a well-formed, canonical origin; never `null`) and must return a boolean,
 * never a header value: corsproof alone decides what goes into `Access-Control-Allow-Origin`.
 */
export type OriginPredicate = (
  origin: string,
  request: CorsRequest,
) => boolean | OriginVerdict | PromiseLike<boolean | OriginVerdict>;

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
   * Called with one event per decision (allowed, refused, and why, in `explain()`'s words), for
   * logs and metrics: a listener, or `{ listener, sample }` to report only a fraction. Requests
   * without an Origin header are not reported unless `sample.notCors` says so. Unset, it costs
   * nothing. A predicate that throws is reported as `predicate-failed` before its error goes on
   * to the framework's error handling.
   */
  readonly onDecision?: OnDecisionOption;
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
  'onDecision',
];

/** What the log says of one decision. */
export interface DecisionEvent {
  /** What the policy decided; `predicate-failed` when the origins predicate threw or rejected. */
  readonly kind: Decision['kind'] | 'predicate-failed';
  /** `allowed`, `refused`, or `not-cors` (no Origin header); a failed predicate refuses. */
  readonly verdict: 'allowed' | 'refused' | 'not-cors';
  /** The Origin header as received, if any. */
  readonly origin: string | undefined;
  /** The request method (OPTIONS for a preflight). */
  readonly method: string;
  /** For a preflight, the method it asks for (Access-Control-Request-Method). */
  readonly requestMethod: string | undefined;
  /** The request's path without the query, when the adapter knows the URL. */
  readonly path: string | undefined;
  /** Why it was refused, as a stable code; null when it was not. */
  readonly code: RefusalCode | 'predicate-failed' | null;
  /** The decision in words, as `explain()` gives it. */
  readonly summary: string;
  /** The decision itself; undefined when the predicate failed. */
  readonly decision: Decision | undefined;
  /** What the predicate threw, for `predicate-failed`. */
  readonly error?: unknown;
}

export type DecisionListener = (event: DecisionEvent) => void;

/** Which fraction (0 to 1) of decisions to report, per verdict. */
export interface DecisionSampling {
  /** Default 1. */
  readonly allowed?: number;
  /** Default 1: refusals are what an operator looks for. */
  readonly refused?: number;
  /** Requests without an Origin header (same-origin pages, servers, curl). Default 0. */
  readonly notCors?: number;
}

export interface DecisionLogOptions {
  readonly listener: DecisionListener;
  /** A number applies to allowed and refused decisions alike; not-CORS requests stay at 0. */
  readonly sample?: number | DecisionSampling;
}

/** `onDecision` as written: a listener, or a listener with sampling. */
export type OnDecisionOption = DecisionListener | DecisionLogOptions;
