/**
 * Origins: parsing, ASCII serialization and comparison.
 * https://html.spec.whatwg.org/multipage/browsers.html#origin and
 * https://fetch.spec.whatwg.org/#origin-header
 */
import { asciiLowercase } from './http-grammar.js';

/** A tuple origin: scheme, host and port, each in the form a browser serializes. */
export interface TupleOrigin {
  readonly type: 'tuple';
  /** Lower-case scheme without the colon, e.g. `https`. */
  readonly scheme: string;
  /** Lower-case ASCII host (punycode for IDN), IPv6 in brackets, e.g. `xn--bcher-kva.example`, `[::1]`. */
  readonly host: string;
  /** The port, or null when it is the scheme's default (or the URL had none). */
  readonly port: number | null;
}

/** An opaque origin, serialized as `null` (sandboxed frames, `data:` URLs, tainted redirects). */
export interface OpaqueOrigin {
  readonly type: 'opaque';
}

export type Origin = TupleOrigin | OpaqueOrigin;

/**
 * An opaque origin. Each opaque origin is its own identity (same-origin only with itself), so code
 * that needs "a new opaque origin" calls {@link newOpaqueOrigin}; this one is for callers that want
 * a single shared value.
 */
export const OPAQUE_ORIGIN: OpaqueOrigin = /* @__PURE__ */ Object.freeze({ type: 'opaque' });

/** https://html.spec.whatwg.org/multipage/browsers.html#concept-origin-opaque: a fresh identity. */
export function newOpaqueOrigin(): OpaqueOrigin {
  return Object.freeze({ type: 'opaque' });
}

/**
 * https://url.spec.whatwg.org/#default-port
 * A Map, not an object literal: `scheme in {...}` is true for `constructor` (and `DEFAULT_PORTS[s]`
 * gives a function), which made `constructor://x` a special scheme with a tuple origin.
 */
const DEFAULT_PORTS: ReadonlyMap<string, number> = new Map([
  ['http', 80],
  ['https', 443],
  ['ws', 80],
  ['wss', 443],
  ['ftp', 21],
]);

/** https://url.spec.whatwg.org/#special-scheme (file has no default port and an opaque origin). */
export function isSpecialScheme(scheme: string): boolean {
  return DEFAULT_PORTS.has(scheme) || scheme === 'file';
}

export function defaultPort(scheme: string): number | null {
  return DEFAULT_PORTS.get(scheme) ?? null;
}

/**
 * https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin
 * 1. If origin is an opaque origin, then return "null".
 * 2-5. scheme "://" host, then ":" port when the port is non-null.
 */
export function serializeOrigin(origin: Origin): string {
  if (origin.type === 'opaque') return 'null';
  return origin.port === null
    ? `${origin.scheme}://${origin.host}`
    : `${origin.scheme}://${origin.host}:${origin.port}`;
}

/**
 * https://html.spec.whatwg.org/multipage/browsers.html#same-origin
 * Two opaque origins are the same only if they are the same object: the serialization `null` carries
 * no identity, so two parsed `null`s are never the same origin.
 */
export function isSameOrigin(a: Origin, b: Origin): boolean {
  if (a.type === 'opaque' || b.type === 'opaque') return a === b;
  return a.scheme === b.scheme && a.host === b.host && a.port === b.port;
}

/** The origin of a URL, as the URL standard defines it (https://url.spec.whatwg.org/#concept-url-origin). */
export function originOfUrl(url: URL | string): Origin {
  const u = typeof url === 'string' ? new URL(url) : url;
  const scheme = u.protocol.slice(0, -1);
  if (scheme === 'blob') {
    // "blob": 2-5. Parse the path; an http(s) URL gives its origin, anything else an opaque one.
    // (A page's live blob URL store, step 1, is not something a pure function can see.)
    const inner = URL.canParse(u.pathname) ? new URL(u.pathname) : null;
    return inner !== null && (inner.protocol === 'http:' || inner.protocol === 'https:')
      ? originOfUrl(inner)
      : newOpaqueOrigin();
  }
  // "Return a new opaque origin": two data: URLs are not same-origin with each other.
  if (!DEFAULT_PORTS.has(scheme)) return newOpaqueOrigin();
  return Object.freeze({
    type: 'tuple',
    scheme,
    host: u.hostname,
    port: u.port === '' ? null : Number(u.port),
  });
}

/** Why a string is not an origin. Stable: the policy's error codes and the checker depend on it. */
export type OriginProblem =
  | 'empty'
  | 'whitespace'
  | 'missing-scheme'
  | 'invalid-scheme'
  | 'userinfo'
  | 'trailing-slash'
  | 'path'
  | 'query'
  | 'fragment'
  | 'missing-host'
  | 'invalid-host'
  | 'invalid-port';

export type ParseOriginResult =
  | {
      readonly ok: true;
      readonly origin: Origin;
      /** The ASCII serialization; equal to the input when the input was already canonical. */
      readonly serialized: string;
    }
  | { readonly ok: false; readonly problem: OriginProblem; readonly detail: string };

const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*$/;
const NON_SPECIAL_HOST = /^[a-z0-9._~-]+$/;

function fail(problem: OriginProblem, detail: string): ParseOriginResult {
  return { ok: false, problem, detail };
}

/**
 * Parses something written as an origin (`scheme://host[:port]`, or `null`) and gives its ASCII
 * serialization: scheme and host lower-cased, an IDN host converted to punycode, the default port
 * dropped, IPv4 and IPv6 literals in their canonical forms (all as the URL standard's host parser
 * does). Anything a URL has beyond an origin (userinfo, path, even a lone trailing `/`, query,
 * fragment) is a failure that says what it found.
 *
 * @example
 * parseOrigin('HTTPS://Example.COM:443') // ok, serialized 'https://example.com'
 * parseOrigin('https://example.com/')    // { ok: false, problem: 'trailing-slash', ... }
 */
export function parseOrigin(input: string): ParseOriginResult {
  if (input.length === 0) return fail('empty', 'the origin is an empty string');
  // A fresh opaque origin: `null` carries no identity, so two parsed `null`s are not the same origin
  // (returning the shared OPAQUE_ORIGIN made them same-origin through isSameOrigin's `a === b`).
  if (input === 'null') return { ok: true, origin: newOpaqueOrigin(), serialized: 'null' };
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) {
      return fail('whitespace', `it contains whitespace or a control character at index ${i}`);
    }
  }
  const sep = input.indexOf('://');
  const colon = input.indexOf(':');
  if (sep <= 0 || colon < sep) {
    return fail('missing-scheme', 'an origin starts with a scheme and "://", as in "https://"');
  }
  const rawScheme = input.slice(0, sep);
  if (!SCHEME.test(rawScheme)) return fail('invalid-scheme', `"${rawScheme}" is not a URL scheme`);
  const scheme = rawScheme.toLowerCase();
  const rest = input.slice(sep + 3);

  let authority = rest;
  const stop = rest.search(/[/?#\\]/);
  if (stop !== -1) {
    authority = rest.slice(0, stop);
    const ch = rest[stop];
    if (ch === '?') return fail('query', 'an origin has no query ("?...")');
    if (ch === '#') return fail('fragment', 'an origin has no fragment ("#...")');
    if (ch === '/' && stop === rest.length - 1) {
      return fail('trailing-slash', 'an origin has no trailing "/"; browsers never send one');
    }
    return fail('path', 'an origin has no path');
  }
  if (authority.includes('@')) return fail('userinfo', 'an origin has no user name or password');

  let host: string;
  let portText: string | null = null;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close === -1) return fail('invalid-host', 'the IPv6 address has no closing "]"');
    host = authority.slice(0, close + 1);
    const after = authority.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':'))
        return fail('invalid-host', `unexpected "${after}" after the host`);
      portText = after.slice(1);
    }
  } else {
    const lastColon = authority.lastIndexOf(':');
    host = lastColon === -1 ? authority : authority.slice(0, lastColon);
    portText = lastColon === -1 ? null : authority.slice(lastColon + 1);
  }
  if (host === '') return fail('missing-host', 'the origin has no host');
  // A second ":" outside brackets: the URL parser would read `a:1` of `https://a:1:2` as host and
  // port and silently drop one of the two ports.
  if (!host.startsWith('[') && host.includes(':')) {
    return fail('invalid-host', `"${host}" is not a valid host`);
  }

  let port: number | null = null;
  if (portText !== null) {
    if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) > 65535) {
      return fail('invalid-port', `"${portText}" is not a port number from 0 to 65535`);
    }
    port = Number(portText);
    if (port === DEFAULT_PORTS.get(scheme)) port = null;
  }

  let canonicalHost: string;
  if (DEFAULT_PORTS.has(scheme) || host.startsWith('[')) {
    // The URL standard's host parser does the IDN (UTS #46), IPv4 and IPv6 work exactly as browsers do.
    // (A non-special URL's host may be an IPv6 address too, which the same parser canonicalizes.)
    try {
      canonicalHost = new URL(`${scheme}://${host}/`).hostname;
    } catch {
      return fail('invalid-host', `"${host}" is not a valid host`);
    }
    if (canonicalHost === '') return fail('invalid-host', `"${host}" is not a valid host`);
  } else {
    // ASCII lower-case only: String#toLowerCase maps the Kelvin sign U+212A to an ASCII "k".
    canonicalHost = asciiLowercase(host);
    if (!NON_SPECIAL_HOST.test(canonicalHost)) {
      return fail('invalid-host', `"${host}" is not a valid host`);
    }
  }
  const origin: TupleOrigin = Object.freeze({ type: 'tuple', scheme, host: canonicalHost, port });
  return { ok: true, origin, serialized: serializeOrigin(origin) };
}

/**
 * Reads an `Origin` request header, accepting only the exact form a browser sends (an ASCII
 * serialization: lower case, punycode, no default port) or `null`. Anything else gives null: a browser
 * compares Access-Control-Allow-Origin byte for byte with the serialization it sent, so a header in any
 * other form cannot come from a browser that would accept an echo of it.
 *
 * Cheaper than {@link parseOrigin}: one pass over the string, with the URL parser only for a host
 * with a punycode (`xn--`) label, whose validity only UTS #46 can decide. Used on the server's
 * per-request path. Hosts are limited to the alphabet Chromium and Firefox send (`a-z 0-9 - . _`);
 * the URL standard also lets `~`, `!`, `$`... through, which {@link parseOrigin} accepts.
 */
export function parseSerializedOrigin(header: string): TupleOrigin | null {
  const sep = header.indexOf('://');
  if (sep <= 0) return null;
  for (let i = 0; i < sep; i++) {
    const c = header.charCodeAt(i);
    const ok =
      (c >= 0x61 && c <= 0x7a) ||
      (i > 0 && ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e));
    if (!ok) return null;
  }
  const scheme = header.slice(0, sep);
  const start = sep + 3;
  let hostEnd = header.length;
  let portStart = -1;
  if (header.charCodeAt(start) === 0x5b /* [ */) {
    const close = header.indexOf(']', start);
    if (close === -1) return null;
    // The URL standard serializes an IPv6 address as hex pieces only, never with a dotted IPv4 tail.
    for (let i = start + 1; i < close; i++) {
      const c = header.charCodeAt(i);
      if (!((c >= 0x30 && c <= 0x3a) || (c >= 0x61 && c <= 0x66))) return null;
    }
    if (!isCanonicalIpv6(header.slice(start + 1, close))) return null;
    hostEnd = close + 1;
    if (hostEnd < header.length) {
      if (header.charCodeAt(hostEnd) !== 0x3a) return null;
      portStart = hostEnd + 1;
    }
  } else {
    for (let i = start; i < header.length; i++) {
      const c = header.charCodeAt(i);
      if (c === 0x3a) {
        hostEnd = i;
        portStart = i + 1;
        break;
      }
      const ok =
        (c >= 0x61 && c <= 0x7a) ||
        (c >= 0x30 && c <= 0x39) ||
        c === 0x2d ||
        c === 0x2e ||
        c === 0x5f;
      if (!ok) return null;
    }
  }
  if (hostEnd === start) return null;
  let port: number | null = null;
  if (portStart !== -1) {
    const len = header.length - portStart;
    if (len < 1 || len > 5) return null;
    // No leading zero: the serialization of a port is its shortest decimal form.
    if (header.charCodeAt(portStart) === 0x30 && len > 1) return null;
    port = 0;
    for (let i = portStart; i < header.length; i++) {
      const c = header.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return null;
      port = port * 10 + (c - 0x30);
    }
    if (port > 65535 || port === DEFAULT_PORTS.get(scheme)) return null;
  }
  const host = header.slice(start, hostEnd);
  if (DEFAULT_PORTS.has(scheme) && host.charCodeAt(0) !== 0x5b && !isCanonicalDomainOrIpv4(host)) {
    return null;
  }
  return { type: 'tuple', scheme, host, port };
}

/**
 * Whether `host` (already limited to `a-z 0-9 - . _`) is what the URL standard's host parser gives
 * for a special URL (https://url.spec.whatwg.org/#concept-host-parser): the parser reads a host that
 * "ends in a number" as IPv4 and serializes it as four decimal parts, so `127.1`, `0x7f.0.0.1`,
 * `2130706433` and `1.2.3.4.` are not canonical, and `example.123` is no host at all.
 */
function isCanonicalDomainOrIpv4(host: string): boolean {
  if (endsInANumber(host)) return CANONICAL_IPV4.test(host);
  // ASCII labels pass UTS #46 unchanged, except those starting with `xn--`, which must decode.
  if (host.startsWith('xn--') || host.includes('.xn--')) {
    return URL.canParse(`https://${host}/`) && new URL(`https://${host}/`).hostname === host;
  }
  return true;
}

const CANONICAL_IPV4 =
  /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;

/** https://url.spec.whatwg.org/#ends-in-a-number-checker (for the lower-case alphabet above). */
function endsInANumber(host: string): boolean {
  // 1-2. Split on "."; a trailing empty part is removed (when it is not the only one). Only the
  // last part matters, so it is found by scanning back instead of splitting (this runs on the
  // server's per-request path for every Origin not found by exact lookup).
  let end = host.length;
  if (end > 1 && host.charCodeAt(end - 1) === 0x2e) end--;
  const start = host.lastIndexOf('.', end - 1) + 1;
  // 4. All ASCII digits (at least one); 5. or "0x" then hex digits (possibly none).
  if (start >= end) return false;
  let i = start;
  const hex = end - start >= 2 && host.charCodeAt(i) === 0x30 && host.charCodeAt(i + 1) === 0x78;
  if (hex) i += 2;
  for (; i < end; i++) {
    const c = host.charCodeAt(i);
    const digit = c >= 0x30 && c <= 0x39;
    if (!(digit || (hex && c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

/**
 * Whether `text` (the part between the brackets, `0-9 a-f :` only) is an IPv6 address in the form
 * https://url.spec.whatwg.org/#concept-ipv6-serializer writes: no leading zeros, and the first longest
 * run of two or more zero pieces compressed to `::`.
 */
function isCanonicalIpv6(text: string): boolean {
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const head = ipv6Pieces(halves[0] ?? '');
  const tail = halves.length === 2 ? ipv6Pieces(halves[1] ?? '') : [];
  if (head === null || tail === null) return false;
  let pieces: number[];
  if (halves.length === 2) {
    if (head.length + tail.length > 7) return false;
    pieces = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    if (head.length !== 8) return false;
    pieces = head;
  }
  return serializeIpv6(pieces) === text;
}

function ipv6Pieces(part: string): number[] | null {
  if (part === '') return [];
  const pieces: number[] = [];
  for (const group of part.split(':')) {
    if (group.length === 0 || group.length > 4) return null;
    pieces.push(Number.parseInt(group, 16));
  }
  return pieces;
}

/** https://url.spec.whatwg.org/#concept-ipv6-serializer (without the brackets). */
function serializeIpv6(pieces: readonly number[]): string {
  // 2. compress: the first longest run of zero pieces, if longer than 1.
  let compress = -1;
  let best = 1;
  for (let i = 0; i < 8; ) {
    if (pieces[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && pieces[j] === 0) j++;
    if (j - i > best) {
      best = j - i;
      compress = i;
    }
    i = j;
  }
  // 3-4. Write the pieces, "::" in place of the compressed run.
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === compress) {
      out += i === 0 ? '::' : ':';
      i += best - 1;
      continue;
    }
    out += (pieces[i] ?? 0).toString(16);
    if (i !== 7) out += ':';
  }
  return out;
}
