/**
 * The shape of a network audit's result. Findings are the verdict; the probes and the baseline
 * are the record of what was sent and what came back, summarized per exchange (the full headers
 * of the exchanges that prove something are in each finding's evidence).
 */
import type { FailureCode, NetworkErrorCode } from '../check/index.js';
import type { Finding } from './findings.js';
import type { Passes } from './judge.js';
import type { ProbeBrowsers } from './probes.js';

export type { Passes } from './judge.js';

/** One leg (a GET, a preflight, or a request without Origin), as summarized in the report. */
export interface LegSummary {
  /** The method sent: `GET`, or `OPTIONS` for a preflight. */
  readonly method: string;
  /** For a preflight, the Access-Control-Request-Method it asked for. */
  readonly requestMethod: string | null;
  /** Whether anything went out (false when the request never left: a network error before). */
  readonly sent: boolean;
  /** The status of the last response, null when none came. */
  readonly status: number | null;
  /** The CORS headers of the last response, as received (lines joined by ", "), null when absent. */
  readonly acao: string | null;
  readonly acac: string | null;
  readonly vary: string | null;
  /** Preflights: Access-Control-Allow-Methods / -Headers / Max-Age. */
  readonly acam: string | null;
  readonly acah: string | null;
  readonly maxAge: string | null;
  /** The Location of the last response when it is a redirect the chain stopped at. */
  readonly location: string | null;
  /** Redirects followed. */
  readonly redirects: number;
  /**
   * Whether a browser lets it through: for a GET, script can read the response; for a preflight,
   * the browser goes on to send the request. Per credentials mode.
   */
  readonly passes: Passes;
  /** The first failure `check()` reported, in the credentials mode the leg was sent with. */
  readonly failure: FailureCode | null;
  /** A network error instead of a response. */
  readonly error: NetworkErrorCode | null;
}

/** One crafted origin and what the endpoint did with it. */
export interface ProbeRecord {
  readonly origin: string;
  /** The misconfiguration it would prove (the family), a finding id. */
  readonly id: Finding['id'];
  readonly browsers: ProbeBrowsers;
  readonly note: string;
  /** The simple GET. */
  readonly get: LegSummary;
  /** The preflight for the state-changing request (never followed by the request itself). */
  readonly preflight: LegSummary;
}

/** The exchanges with the trusted origin (and without any), which the other answers are compared to. */
export interface Baseline {
  /** A GET without Origin, as a non-browser client or a cache fill sends it. */
  readonly noOrigin: LegSummary;
  /** The GET from the trusted origin. */
  readonly get: LegSummary;
  /** The preflight from the trusted origin for the state-changing request. */
  readonly preflight: LegSummary;
  /** A preflight from the trusted origin for a random method and header. */
  readonly anyPreflight: LegSummary;
  /** A preflight for `Authorization`, sent when a preflight answer listed `*` in Allow-Headers. */
  readonly authorization: LegSummary | null;
}

/** A network error on one exchange: it says nothing about CORS, so it is never a finding. */
export interface AuditError {
  /** The Origin sent, or `(none)` for the request without Origin. */
  readonly origin: string;
  /** Which exchange: `get`, `preflight`, `no-origin`, ... */
  readonly leg: string;
  readonly code: NetworkErrorCode;
  readonly message: string;
  readonly detail: string;
}

export interface AuditReport {
  /** The URL audited. */
  readonly target: string;
  /** The origin meant to be trusted, serialized. */
  readonly trustedOrigin: string;
  /** Most severe first. */
  readonly findings: readonly Finding[];
  readonly probes: readonly ProbeRecord[];
  /** Null when the target could not be reached (then `error` says why). */
  readonly baseline: Baseline | null;
  /** Exchanges that failed at the network level. */
  readonly errors: readonly AuditError[];
  /**
   * Set when the trusted origin's own GET failed at the network level, or when the run passed its
   * deadline (`leg: 'deadline'`, code `TIMEOUT`): the audit has no result, and `corsproof audit`
   * exits 2.
   */
  readonly error: AuditError | null;
  /** The state-changing request the preflights stood for, e.g. `PUT` with `Content-Type: application/json`. */
  readonly stateChanging: { readonly method: string; readonly contentType: string };
  /** Requests sent, all legs together. */
  readonly requests: number;
  readonly browser: string;
  readonly durationMs: number;
}
