/**
 * Can a shared cache (a CDN, a reverse proxy) store a response and hand it to a request from
 * another origin without asking the server? RFC 9111 decides, in three steps: may it be stored
 * (§3, §3.5), may the stored copy be reused without validation (§4.2: fresh, explicitly or by
 * heuristic), and which requests does it match (§4.1: Vary). `missing-vary-origin` is only a harm
 * when all three say yes and Vary does not name Origin. Pure: the caller passes the time the
 * response arrived.
 */

import { asciiLowercase, getHeader, type HeaderList } from 'corsproof/spec';

/**
 * Status codes a cache may store without explicit freshness ("heuristically cacheable").
 * https://www.rfc-editor.org/rfc/rfc9110#section-15.1
 */
const HEURISTICALLY_CACHEABLE: ReadonlySet<number> = new Set([
  200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501,
]);

/** The common heuristic: a tenth of the time since Last-Modified (RFC 9111 §4.2.2). */
const HEURISTIC_FRACTION = 0.1;

/** How a stored copy may be reused. */
export type Reuse =
  /** Not stored at all. */
  | 'not-stored'
  /** Stored, but every reuse is validated with the server first (no freshness, or no-cache). */
  | 'validate'
  /** Fresh for `lifetime` seconds by the server's own word (s-maxage, max-age, Expires). */
  | 'explicit'
  /** Fresh by the cache's heuristic (RFC 9111 §4.2.2): Last-Modified, or the cache's default. */
  | 'heuristic';

export interface CacheInput {
  readonly status: number;
  /** The request that got the response (only `Authorization` matters, §3.5). */
  readonly requestHeaders: HeaderList;
  readonly responseHeaders: HeaderList;
  /** When the response arrived, ms since the epoch: the cache's clock when `Date` is missing. */
  readonly receivedAt: number;
}

/** What a shared cache may do with one response, and why, in words citing RFC 9111. */
export interface SharedCacheVerdict {
  readonly reuse: Reuse;
  /** Freshness lifetime in seconds, when `reuse` is `explicit` or `heuristic` from Last-Modified. */
  readonly lifetime: number | null;
  /** Field names in Vary, lower case: the secondary cache key (§4.1). */
  readonly varyOn: readonly string[];
  /** Whether a stored copy is served to a request with another Origin without the server. */
  readonly servedAcrossOrigins: boolean;
  /** One clause per reason, each citing its section. */
  readonly reasons: readonly string[];
}

interface Directives {
  readonly names: ReadonlySet<string>;
  readonly values: ReadonlyMap<string, string>;
}

/**
 * Cache-Control as directive name → argument (quoted strings unquoted). Names are
 * case-insensitive (RFC 9111 §5.2); a directive repeated keeps its first value.
 */
export function parseCacheControl(value: string | null): Directives {
  const names = new Set<string>();
  const values = new Map<string, string>();
  if (value === null) return { names, values };
  // Split on commas outside quoted strings (private="a, b").
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const c of value) {
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  for (const part of parts) {
    const eq = part.indexOf('=');
    const name = asciiLowercase((eq === -1 ? part : part.slice(0, eq)).trim());
    if (name === '') continue;
    names.add(name);
    if (eq !== -1 && !values.has(name)) {
      values.set(
        name,
        part
          .slice(eq + 1)
          .trim()
          .replace(/^"(.*)"$/, '$1'),
      );
    }
  }
  return { names, values };
}

/** delta-seconds (RFC 9111 §1.2.2): digits only; anything else is invalid (null). */
function deltaSeconds(value: string | undefined): number | null {
  if (value === undefined || !/^\d+$/.test(value)) return null;
  return Number(value);
}

function httpDate(value: string | null): number | null {
  if (value === null) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

/** The Vary field names, lower case (RFC 9110 §12.5.5). */
function varyNames(headers: HeaderList): string[] {
  const vary = getHeader(headers, 'vary');
  if (vary === null) return [];
  return vary
    .split(',')
    .map((n) => asciiLowercase(n.trim()))
    .filter((n) => n !== '');
}

/**
 * RFC 9111 §3 "Storing Responses in Caches", for a shared cache and a GET.
 * Returns the reason it may not store, or null when it may.
 */
function refusedStorage(input: CacheInput, cc: Directives): string | null {
  const { status } = input;
  // §3: "the response status code is final" and, for 206/304, not handled here.
  if (status < 200) return `${status} is not a final status (RFC 9111 §3)`;
  // §3: "the no-store cache directive is not present in the response" (§5.2.2.5).
  if (cc.names.has('no-store')) return 'Cache-Control: no-store (RFC 9111 §5.2.2.5)';
  // §3: "if the cache is shared: the private response directive is either not present or allows a
  // shared cache to store a modified response" (§5.2.2.7). The qualified form (private="field")
  // only keeps the named fields out; the unqualified one keeps the whole response out.
  if (cc.names.has('private') && cc.values.get('private') === undefined) {
    return 'Cache-Control: private (RFC 9111 §5.2.2.7)';
  }
  // §3.5: a shared cache must not store a response to a request with Authorization unless
  // public, s-maxage or must-revalidate allows it.
  if (
    getHeader(input.requestHeaders, 'authorization') !== null &&
    !['public', 's-maxage', 'must-revalidate'].some((d) => cc.names.has(d))
  ) {
    return 'the request carried Authorization and the response has none of public, s-maxage, must-revalidate (RFC 9111 §3.5)';
  }
  // §3: the response must carry explicit freshness, public, or a heuristically cacheable status.
  const explicit =
    cc.names.has('public') ||
    cc.names.has('max-age') ||
    cc.names.has('s-maxage') ||
    getHeader(input.responseHeaders, 'expires') !== null;
  if (!explicit && !HEURISTICALLY_CACHEABLE.has(status)) {
    return `${status} is not heuristically cacheable (RFC 9110 §15.1) and nothing makes it cacheable (no public, max-age, s-maxage or Expires; RFC 9111 §3)`;
  }
  return null;
}

/** RFC 9111 §4.2.1: s-maxage, then max-age, then Expires minus Date. Null when none. */
function explicitLifetime(input: CacheInput, cc: Directives): [number, string] | null {
  // §4.2.1: an invalid value is best taken as stale.
  for (const d of ['s-maxage', 'max-age']) {
    const raw = cc.values.get(d);
    if (cc.names.has(d) && deltaSeconds(raw) === null) return [0, `${d}=${raw ?? ''} (invalid)`];
  }
  const sMaxAge = deltaSeconds(cc.values.get('s-maxage'));
  if (sMaxAge !== null) return [sMaxAge, `s-maxage=${sMaxAge}`];
  const maxAge = deltaSeconds(cc.values.get('max-age'));
  if (maxAge !== null) return [maxAge, `max-age=${maxAge}`];
  const expiresValue = getHeader(input.responseHeaders, 'expires');
  if (expiresValue !== null) {
    // §5.3: an invalid Expires (often "0") means already expired.
    const expires = httpDate(expiresValue);
    const date = httpDate(getHeader(input.responseHeaders, 'date')) ?? input.receivedAt;
    const seconds = expires === null ? 0 : Math.max(0, Math.floor((expires - date) / 1000));
    return [seconds, `Expires: ${expiresValue}`];
  }
  return null;
}

/**
 * What a shared cache may do with one response to a GET.
 *
 * @example
 * sharedCacheability({
 *   status: 200,
 *   requestHeaders: [],
 *   responseHeaders: [['Cache-Control', 'public, max-age=600']],
 *   receivedAt: 0,
 * }) // { reuse: 'explicit', lifetime: 600, servedAcrossOrigins: true, ... }
 */
export function sharedCacheability(input: CacheInput): SharedCacheVerdict {
  const cc = parseCacheControl(getHeader(input.responseHeaders, 'cache-control'));
  const varyOn = varyNames(input.responseHeaders);
  const verdict = (reuse: Reuse, lifetime: number | null, reasons: string[]) => {
    // §4.1: Vary: * never matches; Vary: Origin matches only the same Origin.
    const keyed = varyOn.includes('*') || varyOn.includes('origin');
    const reused = reuse === 'explicit' || reuse === 'heuristic';
    if (reused && varyOn.includes('*'))
      reasons.push('Vary: * never matches a request (RFC 9111 §4.1)');
    else if (reused && varyOn.includes('origin')) {
      reasons.push('Vary: Origin keeps it to requests with the same Origin (RFC 9111 §4.1)');
    }
    return {
      reuse,
      lifetime,
      varyOn,
      servedAcrossOrigins: reused && !keyed,
      reasons,
    };
  };
  const refused = refusedStorage(input, cc);
  if (refused !== null) return verdict('not-stored', null, [`not stored: ${refused}`]);
  // §5.2.2.4: no-cache (unqualified) means every reuse is validated first.
  if (cc.names.has('no-cache') && cc.values.get('no-cache') === undefined) {
    return verdict('validate', null, [
      'stored, but Cache-Control: no-cache makes every reuse wait for the server (RFC 9111 §5.2.2.4)',
    ]);
  }
  // §4.2.4: a stale response may still be served while revalidating when the server allows it.
  const swr = deltaSeconds(cc.values.get('stale-while-revalidate')) ?? 0;
  const explicit = explicitLifetime(input, cc);
  if (explicit !== null) {
    const [seconds, source] = explicit;
    if (seconds + swr > 0) {
      const extra = swr > 0 ? ` (plus stale-while-revalidate=${swr}, RFC 5861)` : '';
      return verdict('explicit', seconds + swr, [
        `stored and fresh for ${seconds} s by ${source}${extra} (RFC 9111 §4.2.1)`,
      ]);
    }
    return verdict('validate', null, [
      `stored, but ${source} makes it stale at once, so every reuse is validated (RFC 9111 §4.2.4)`,
    ]);
  }
  // §4.2.2: without explicit freshness a cache may pick a heuristic lifetime, for a heuristically
  // cacheable status or a response marked public; Last-Modified is the encouraged basis.
  const lastModified = httpDate(getHeader(input.responseHeaders, 'last-modified'));
  if (lastModified !== null) {
    const date = httpDate(getHeader(input.responseHeaders, 'date')) ?? input.receivedAt;
    const seconds = Math.floor(((date - lastModified) / 1000) * HEURISTIC_FRACTION);
    if (seconds > 0) {
      return verdict('heuristic', seconds, [
        `stored, and fresh by heuristic for about ${seconds} s (a tenth of the time since Last-Modified; RFC 9111 §4.2.2)`,
      ]);
    }
  }
  return verdict('heuristic', null, [
    `stored (status ${input.status}${cc.names.has('public') ? ', public' : ''}), with no explicit freshness: RFC 9111 §4.2.2 lets a cache pick its own heuristic lifetime (some do by default, e.g. Varnish's default TTL)`,
  ]);
}
