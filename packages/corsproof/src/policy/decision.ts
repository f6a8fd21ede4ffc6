/**
 * What a policy decides for one request. Adapters only carry it out: set `headers`, merge `vary`
 * into the response's Vary, and for preflights end the response with `status`.
 */

/** A response header to set: lower-case name, value. */
export type HeaderPair = readonly [name: string, value: string];

/** Why a request was refused; stable, for logs and tests. */
export type RefusalCode =
  /** The Origin is well-formed but not allowed by the policy. */
  | 'origin-not-allowed'
  /** The Origin header is not a browser's serialization of an origin (or several values). */
  | 'origin-invalid'
  /** `Origin: null` (sandboxed frames, data: URLs, redirected requests): never allowed. */
  | 'origin-null'
  /** Access-Control-Request-Method is not a method token. */
  | 'method-invalid'
  /** The requested method is not in `methods`. */
  | 'method-not-allowed'
  /** Access-Control-Request-Headers is not a list of header names. */
  | 'headers-invalid'
  /** Access-Control-Request-Headers is longer, or has more names, than any browser sends. */
  | 'headers-too-large'
  /** A requested header is not in `requestHeaders`. */
  | 'headers-not-allowed';

export interface Refusal {
  readonly code: RefusalCode;
  /** The offending value: the origin, method or header name. */
  readonly detail: string;
}

interface Common {
  /** Headers to set on the response (never includes Vary). */
  readonly headers: readonly HeaderPair[];
  /** Field names to merge into the response's Vary, or null when the answer does not vary. */
  readonly vary: string | null;
}

/** No Origin header: not a CORS request. `headers` is non-empty only for a static `*` policy. */
export interface NotCorsDecision extends Common {
  readonly kind: 'not-cors';
}

/** OPTIONS with Origin and Access-Control-Request-Method, accepted: answer it with `status`. */
export interface PreflightAcceptedDecision extends Common {
  readonly kind: 'preflight-accepted';
  readonly status: number;
}

/**
 * A preflight the policy refuses: answer it with `status` (403, or the preflight status in debug
 * mode) and `headers` (none, or in debug mode the partial set that makes the console name the
 * failure). The app's handler is not run.
 */
export interface PreflightRefusedDecision extends Common {
  readonly kind: 'preflight-refused';
  readonly status: number;
  readonly reason: Refusal;
}

/** A CORS request (not a preflight) from an allowed origin: add `headers`, then run the app. */
export interface ActualAllowedDecision extends Common {
  readonly kind: 'actual-allowed';
}

/**
 * A CORS request from an origin the policy does not allow: run the app without CORS headers, so
 * the browser withholds the response from script.
 */
export interface ActualRefusedDecision extends Common {
  readonly kind: 'actual-refused';
  readonly reason: Refusal;
}

export type Decision =
  | NotCorsDecision
  | PreflightAcceptedDecision
  | PreflightRefusedDecision
  | ActualAllowedDecision
  | ActualRefusedDecision;

/** Whether the adapter must answer the request itself (a preflight) instead of running the app. */
export function isPreflight(
  decision: Decision,
): decision is PreflightAcceptedDecision | PreflightRefusedDecision {
  return decision.kind === 'preflight-accepted' || decision.kind === 'preflight-refused';
}
