/**
 * Why the SSRF guard refused a target: stable codes, human reasons, and the error a refused
 * connection surfaces as. Every refusal of the guard goes through this file so the wording stays one.
 */
import { describeRefusedAddress, type RefusedAddress } from './address-policy.js';
import type { RefusedHostname } from './hostname-policy.js';

/**
 * Stable refusal codes. Callers branch on these; the `reason` text may be reworded.
 *
 * - `INVALID_URL`: the WHATWG URL parser failed.
 * - `UNSUPPORTED_SCHEME`: not `http:` or `https:`.
 * - `CREDENTIALS_IN_URL`: the URL carries a user name or password.
 * - `BAD_PORT`: the port is on the Fetch standard's bad-port list.
 * - `NON_PUBLIC_ADDRESS`: the host is, or resolves to, an address that is not globally routable unicast.
 * - `NON_PUBLIC_HOSTNAME`: the host name can only name something local (`localhost`, `*.internal`, ...).
 * - `NO_ADDRESSES`: the resolver answered with no usable address.
 */
export type TargetRefusalCode =
  | 'INVALID_URL'
  | 'UNSUPPORTED_SCHEME'
  | 'CREDENTIALS_IN_URL'
  | 'BAD_PORT'
  | 'NON_PUBLIC_ADDRESS'
  | 'NON_PUBLIC_HOSTNAME'
  | 'NO_ADDRESSES';

/** A refused target: the stable `code`, a `reason` that says what was wrong and what to do. */
export interface TargetRefusal {
  readonly code: TargetRefusalCode;
  /** One sentence starting with `corsproof: `, safe to show to the user and to log (no credentials). */
  readonly reason: string;
  /** The refused IP address, for `NON_PUBLIC_ADDRESS`. */
  readonly address?: string;
  /** The host name involved, when the target named one. */
  readonly hostname?: string;
}

/** The opt-in named in every refusal that local use would want lifted. */
export const PRIVATE_TARGETS_HINT =
  'targets on private networks are refused by this service; run `corsproof serve --allow-private-targets` for local use';

/**
 * The error a guarded dispatcher fails a request with when it refuses to connect. Undici hands it to
 * the request unchanged (`fetch` wraps it as the `cause` of its `TypeError`), so the checker can report
 * the refusal as a network error with our reason.
 *
 * @example
 * ```ts
 * try {
 *   await request('http://10.0.0.1/', { dispatcher });
 * } catch (err) {
 *   const refused = TargetRefusedError.find(err);
 *   if (refused) console.log(refused.refusal, refused.reason);
 * }
 * ```
 */
export class TargetRefusedError extends Error {
  /** Constant, like undici's `UND_ERR_*` codes, so it can be matched across realms and in `cause` chains. */
  readonly code = 'CORSPROOF_TARGET_REFUSED';
  /** Which rule refused the target. */
  readonly refusal: TargetRefusalCode;
  readonly reason: string;
  readonly address: string | undefined;
  readonly hostname: string | undefined;

  constructor(refusal: TargetRefusal) {
    super(refusal.reason);
    this.name = 'TargetRefusedError';
    this.refusal = refusal.code;
    this.reason = refusal.reason;
    this.address = refusal.address;
    this.hostname = refusal.hostname;
  }

  /** The refusal in `err` or in its `cause` chain (as `fetch` wraps it), if any. */
  static find(err: unknown): TargetRefusedError | undefined {
    // A bounded walk: `cause` chains are short, and a cyclic one must not hang the service.
    let current: unknown = err;
    for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
      if (current instanceof TargetRefusedError) return current;
      current = current.cause;
    }
    return undefined;
  }
}

/**
 * The URL as it may be shown back: userinfo replaced, so a refusal never echoes a password into a log.
 */
function displayUrl(url: URL): string {
  if (url.username === '' && url.password === '') return url.href;
  const copy = new URL(url.href);
  copy.username = '***';
  copy.password = '';
  return copy.href;
}

/**
 * The refusal for an address: a literal target host when `hostname` is absent, else an address
 * `hostname` resolved to.
 */
export function refuseAddress(verdict: RefusedAddress, hostname?: string): TargetRefusal {
  const what =
    hostname === undefined
      ? `the target address ${describeRefusedAddress(verdict)}`
      : `${JSON.stringify(hostname)} resolves to an address this service may not reach: ${describeRefusedAddress(verdict)}`;
  return {
    code: 'NON_PUBLIC_ADDRESS',
    reason: `corsproof: ${what}; ${PRIVATE_TARGETS_HINT}`,
    address: verdict.address,
    ...(hostname === undefined ? {} : { hostname }),
  };
}

/** The refusal for a host name that can only name something local. */
export function refuseHostname(verdict: RefusedHostname): TargetRefusal {
  return {
    code: 'NON_PUBLIC_HOSTNAME',
    reason: `corsproof: the target host ${JSON.stringify(verdict.hostname)} is refused: ${verdict.why}; ${PRIVATE_TARGETS_HINT}`,
    hostname: verdict.hostname,
  };
}

/** The refusal for input the WHATWG URL parser rejects. */
export function refuseInvalidUrl(input: string): TargetRefusal {
  // User input of any length: cut it short, the message only has to point at it.
  const shown = input.length > 120 ? `${input.slice(0, 120)}…` : input;
  return {
    code: 'INVALID_URL',
    reason: `corsproof: ${JSON.stringify(shown)} is not a valid URL; give an absolute URL such as "https://api.example.com/data"`,
  };
}

/** The refusal for a scheme other than `http:` and `https:` (`protocol` includes the colon). */
export function refuseScheme(protocol: string): TargetRefusal {
  return {
    code: 'UNSUPPORTED_SCHEME',
    reason: `corsproof: the scheme ${JSON.stringify(protocol)} is not supported; CORS only applies to http: and https: requests, so give an http:// or https:// URL`,
  };
}

/** The refusal for a URL with userinfo; the message shows the URL with the userinfo masked. */
export function refuseCredentials(url: URL): TargetRefusal {
  return {
    code: 'CREDENTIALS_IN_URL',
    reason: `corsproof: the target URL ${JSON.stringify(displayUrl(url))} contains a user name or password; remove the "user:password@" part (fetch() refuses such URLs, and this service does not forward credentials)`,
  };
}

/** The refusal for a port on the Fetch standard's bad-port list. */
export function refuseBadPort(port: number): TargetRefusal {
  return {
    code: 'BAD_PORT',
    reason: `corsproof: port ${port} is a bad port (https://fetch.spec.whatwg.org/#bad-port); browsers never fetch from it, so there is no CORS to check; use the port your HTTP server listens on`,
  };
}

/** The refusal for a name the resolver answered with no address. */
export function refuseNoAddresses(hostname: string): TargetRefusal {
  return {
    code: 'NO_ADDRESSES',
    reason: `corsproof: ${JSON.stringify(hostname)} resolved to no address; check that the host name is spelled right and has A or AAAA records`,
    hostname,
  };
}
