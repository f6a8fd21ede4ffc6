/**
 * The shape of a check's result. A discriminated union on `verdict`: an allowed result has the
 * readable response, a blocked one has at least one failure, an errored one has a network error,
 * and none of them can carry the others' fields.
 */

import type { CorsCheckFailure, HeaderEntry, MaxAge, PreflightFailureCode } from 'corsproof/spec';
import type { EmulationFailureCode } from './emulations/catalog.js';
import type { BrowserName } from './profiles.js';

/** A fetch() credentials mode. https://fetch.spec.whatwg.org/#concept-request-credentials-mode */
export type CredentialsMode = 'omit' | 'same-origin' | 'include';

/** A request exactly as it went out. */
export interface SentRequest {
  readonly method: string;
  readonly url: string;
  /** Header lines in the order sent, without the `Host`, `Connection` and `Content-Length` undici adds. */
  readonly headers: readonly HeaderEntry[];
  /** The body text (sent as UTF-8), or null. */
  readonly body: string | null;
}

/** A response exactly as received. */
export interface ReceivedResponse {
  readonly status: number;
  readonly statusText: string;
  /** One entry per header line, in the order received, names as the server wrote them. */
  readonly headers: readonly HeaderEntry[];
  readonly body: {
    /** Bytes read (at most 64 KiB). */
    readonly bytes: number;
    /** Whether the body was longer and the rest was not read. */
    readonly truncated: boolean;
    /** The bytes read, decoded as UTF-8 (still encoded if the server compressed them). */
    readonly preview: string;
  };
  readonly timeMs: number;
}

export type NetworkErrorCode =
  | 'DNS_FAILURE'
  | 'CONNECTION_REFUSED'
  | 'CONNECTION_RESET'
  | 'TIMEOUT'
  | 'HEADERS_TOO_LARGE'
  | 'TLS_ERROR'
  | 'INVALID_RESPONSE'
  | 'UNREACHABLE'
  | 'NETWORK_ERROR';

/** A failure below HTTP: no response to judge, so no CORS verdict. */
export interface NetworkError {
  readonly code: NetworkErrorCode;
  /** What happened, in plain words. */
  readonly message: string;
  /** The underlying Node or undici code and message, for debugging. */
  readonly detail: string;
}

/** Whether the CORS rules applied to a response, and how it fared. */
export type CorsStatus =
  | 'passed'
  | 'failed'
  /** Same-origin (no CORS), or an emulated checker's request judged by its own rules instead. */
  | 'not-applicable';

interface StepBase {
  /** A preflight (`OPTIONS`) or the request itself (one step per redirect hop). */
  readonly kind: 'preflight' | 'request';
  /** 0 for the URL asked for, n after n redirects. */
  readonly hop: number;
  readonly request: SentRequest;
  /** A curl command that sends the same request. */
  readonly curl: string;
}

export type Step =
  | (StepBase & {
      readonly outcome: 'response';
      readonly response: ReceivedResponse;
      readonly cors: CorsStatus;
      /** Lower-case names of the response headers that decided this step (for highlighting). */
      readonly decisiveHeaders: readonly string[];
      /** The next URL when this response is a redirect the checker followed, else null. */
      readonly redirectTo: string | null;
    })
  | (StepBase & { readonly outcome: 'network-error'; readonly error: NetworkError });

/** Failures that are not about CORS headers but still make fetch() reject. */
export type RequestFailureCode =
  /** A redirect to a URL with a user name or password (fetch.bs "HTTP-redirect fetch" step 9). */
  | 'RedirectContainsCredentials'
  /** A redirect to a scheme other than http(s). */
  | 'CorsDisabledScheme'
  /** A redirect to data:, file:, about:, blob: or filesystem: (net::ERR_UNSAFE_REDIRECT). */
  | 'UnsafeRedirect'
  /** A port browsers never connect to (fetch.bs "port blocking"), net::ERR_UNSAFE_PORT. */
  | 'UnsafePort'
  /** More redirects than allowed (20), net::ERR_TOO_MANY_REDIRECTS. */
  | 'TooManyRedirects'
  /** A Location that is not a URL, net::ERR_INVALID_REDIRECT. */
  | 'InvalidRedirect'
  /** An https: page fetching an http: URL that is not potentially trustworthy. */
  | 'MixedContent';

/** What a browser reports. */
export type BrowserFailureCode = CorsCheckFailure | PreflightFailureCode | RequestFailureCode;

/** What a browser reports, or an emulated server-side checker (./emulations/). */
export type FailureCode = BrowserFailureCode | EmulationFailureCode;

/**
 * What the server must allow for the request checked, and nothing more: the data a fix's
 * configuration is rendered from (in the words of corsproof's policy file).
 */
export interface NeededPolicy {
  /** The page origin, or `*` when only a wildcard can work (a tainted `null` origin). */
  readonly origin: string;
  readonly credentials: boolean;
  /** Methods beyond GET, HEAD and POST (case as the page sends them). */
  readonly methods: readonly string[];
  /** Request headers to allow (lower-case). */
  readonly requestHeaders: readonly string[];
}

/**
 * The needed policy as one server's configuration. The checker never writes one: the layers
 * above render them from `Fix.policy` with the generators (src/generate/fix-snippets.ts).
 */
export interface FixSnippet {
  /** The generator's target (`corsproof generate --for`), e.g. `nginx`. */
  readonly target: string;
  /** The file the configuration goes in (`cors.conf`); null when none could be written. */
  readonly fileName: string | null;
  /** The configuration; null when the target cannot express the policy (see `error`). */
  readonly code: string | null;
  /** Where the configuration is stricter than the policy, in the generator's words. */
  readonly warnings: readonly { readonly code: string; readonly message: string }[];
  /** Why the target cannot express the policy, and what to change; null when it can. */
  readonly error: string | null;
}

/** What to change so the request goes through. */
export interface Fix {
  /** What to do, in one or two sentences. */
  readonly summary: string;
  /** Which side has to change: the server's preflight answer, its other responses, or the page. */
  readonly where: 'preflight' | 'response' | 'both' | 'client' | 'server';
  /** The header to send (with its value), when one header fixes it. */
  readonly header: { readonly name: string; readonly value: string } | null;
  /** What the server must allow so the request passes; null when no server policy helps. */
  readonly policy: NeededPolicy | null;
  /** The policy as configuration per server, when the layer above rendered it. */
  readonly snippets?: readonly FixSnippet[];
}

export interface Failure {
  readonly code: FailureCode;
  /** Index in `steps` of the exchange that failed; null when nothing was sent (a blocked port). */
  readonly step: number | null;
  /** The message the browser console prints for it (Chromium's words; Firefox's for firefox). */
  readonly message: string;
  /** What went wrong, in plain words. */
  readonly explanation: string;
  /** The value the browser reports as the failed parameter (a header value, method, name). */
  readonly failedParameter: string;
  readonly fix: Fix;
}

export type WarningCode =
  | 'FORBIDDEN_HEADER_DROPPED'
  | 'AUTHORIZATION_COVERED_BY_WILDCARD'
  | 'BROWSERS_DISAGREE'
  | 'METHOD_NOT_NORMALIZED'
  | 'ORIGIN_NORMALIZED'
  | 'SAME_ORIGIN'
  | 'PREFLIGHT_ONLY'
  | 'ORIGIN_TAINTED'
  | 'AUTHORIZATION_REMOVED_ON_REDIRECT'
  | 'MAX_AGE_IGNORED'
  | 'LOCAL_NETWORK_ACCESS'
  /** The verdict is an emulated server-side checker's, not a browser's. */
  | 'EMULATION';

export interface Warning {
  readonly code: WarningCode;
  readonly message: string;
}

/** Why a preflight is sent: the method, or a header (with the rule it breaks). */
export type PreflightTrigger =
  | { readonly kind: 'method'; readonly method: string; readonly detail: string }
  | {
      readonly kind: 'header';
      readonly name: string;
      readonly value: string;
      readonly detail: string;
    };

export type PreflightPlan =
  | { readonly needed: false }
  | { readonly needed: true; readonly triggers: readonly PreflightTrigger[] };

export interface DroppedHeader {
  readonly name: string;
  readonly value: string;
}

/** What the browser makes of the fetch() call before anything is sent. */
export interface RequestPlan {
  readonly url: string;
  /** The page origin's serialization (`null` for an opaque origin). */
  readonly origin: string;
  /** The method after normalization (only the six standard methods are upper-cased). */
  readonly method: string;
  readonly credentials: CredentialsMode;
  /** The headers the page sets and the browser keeps, same names combined, forbidden ones gone. */
  readonly headers: readonly HeaderEntry[];
  /** Forbidden request headers the browser silently drops. */
  readonly dropped: readonly DroppedHeader[];
  readonly body: string | null;
  /** The CORS-unsafe request-header names: the preflight's Access-Control-Request-Headers. */
  readonly unsafeHeaderNames: readonly string[];
  /** Whether the URL is same-origin with the page (no CORS unless a redirect leaves it). */
  readonly sameOrigin: boolean;
  /** Whether a preflight is needed for a cross-origin URL, and why. */
  readonly preflight: PreflightPlan;
}

/** How long each browser would cache the (last) preflight's result. */
export interface PreflightCacheReport {
  /** The Access-Control-Max-Age value as received (lines joined), null when absent. */
  readonly header: string | null;
  readonly chromium: MaxAge;
  readonly firefox: MaxAge;
  readonly webkit: MaxAge;
}

/** The final response as script sees it. */
export interface ReadableResponse {
  readonly url: string;
  readonly status: number;
  readonly redirected: boolean;
  /** Lower-case names script can read with `response.headers.get()`. */
  readonly readableHeaders: readonly string[];
  /** Names received but hidden from script (not safelisted, not exposed). */
  readonly hiddenHeaders: readonly string[];
}

/** One request an emulated checker sent, and how its rules judged the response. */
export interface EmulationProbe {
  /** Index in `steps`. */
  readonly step: number;
  readonly description: string;
  /** Whether the checker's rules pass it; null when it is not judged or got no response. */
  readonly passed: boolean | null;
}

/** What an emulated server-side checker (./emulations/) made of the URL. */
export interface EmulationReport {
  /** The emulation's id (`--emulate ID`). */
  readonly id: string;
  /** The platform whose checker it is. */
  readonly platform: string;
  /** The checker's name, as the platform's users know it. */
  readonly name: string;
  /** The origin its probes carry. */
  readonly origin: string;
  /** Where the platform documents the rules reproduced. */
  readonly documentation: string;
  /** Whether the checker would pass the URL. */
  readonly passed: boolean;
  /** What the verdict means for the user, in one sentence. */
  readonly outcome: string;
  readonly probes: readonly EmulationProbe[];
  /** The checker's failures (the result's own, when blocked); empty when it passed. */
  readonly failures: readonly Failure[];
  /** The request itself passed a browser's CORS check while the checker's probe failed. */
  readonly trap: boolean;
  readonly notes: readonly string[];
}

interface ResultBase {
  readonly browser: BrowserName;
  /** `preflight-only`: the actual request was not sent, so the verdict covers the preflight only. */
  readonly scope: 'full' | 'preflight-only';
  readonly plan: RequestPlan;
  readonly steps: readonly Step[];
  /** One curl command per step, in order. */
  readonly curl: readonly string[];
  readonly warnings: readonly Warning[];
  /** Set when a preflight got a passing response. */
  readonly preflightCache: PreflightCacheReport | null;
  /** Set when an emulated server-side checker ran instead of a browser (`emulate`). */
  readonly emulation: EmulationReport | null;
}

export type CheckResult =
  | (ResultBase & {
      readonly verdict: 'allowed';
      readonly allowed: true;
      /** null in preflight-only mode, where no actual request was sent. */
      readonly response: ReadableResponse | null;
    })
  | (ResultBase & {
      readonly verdict: 'blocked';
      readonly allowed: false;
      /** The first is what the browser reports; any others would surface once it is fixed. */
      readonly failures: readonly [Failure, ...Failure[]];
    })
  | (ResultBase & {
      readonly verdict: 'error';
      readonly allowed: false;
      readonly error: NetworkError & { readonly step: number };
    })
  | (ResultBase & {
      readonly verdict: 'inconclusive';
      readonly allowed: false;
      /** Why no verdict: e.g. preflight-only mode for a request that has no preflight. */
      readonly reason: string;
    });

export type Verdict = CheckResult['verdict'];
