/**
 * Regular expressions that say exactly what the policy engine decides, for servers that can only
 * match strings. They use the syntax PCRE (nginx, Apache, HAProxy) and RE2 (Caddy) share: no
 * look-around, no back-references, `(?i)` for case-insensitivity, and no character a config file
 * quotes or interpolates (`"`, `'`, `` ` ``, `$`, `#`, `;`, spaces): those are written `\xHH`. Every
 * expression is anchored at both ends.
 */

import type { ParsedOriginSpec } from 'corsproof';
import { MAX_ORIGIN_LENGTH, REQUEST_HEADERS_LIMITS } from 'corsproof';

const PLAIN = /[A-Za-z0-9_:/-]/;

/** A literal as a regex: letters, digits and `_:/-` as they are, `.` as `\.`, the rest as `\xHH`. */
export function literal(text: string): string {
  let out = '';
  for (const char of text) {
    if (PLAIN.test(char)) out += char;
    else if (char === '.') out += '\\.';
    else out += `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** https://httpwg.org/specs/rfc9110.html#tokens: `!#$%&'*+-.^_`|~`, digits and letters. */
export const TOKEN_CHAR = '[\\x21\\x23-\\x27\\x2a\\x2b\\x2d\\x2e\\x5e-\\x60\\x7c\\x7e0-9A-Za-z]';

/** `d` repeated `n` times, so no `{n}` quantifier appears (Caddy reads `{8}` as a placeholder). */
const digits = (n: number): string => '[0-9]'.repeat(n);

function digitClass(from: number, to: number): string {
  return from === to ? String(from) : `[${from}-${to}]`;
}

/** Alternatives matching the decimal numbers from `lo` to `hi`, both written with the same length. */
function sameLength(lo: string, hi: string): string[] {
  if (lo.length === 0) return [''];
  if (lo === hi) return [lo];
  const [l0, h0] = [lo[0] as string, hi[0] as string];
  const [lRest, hRest] = [lo.slice(1), hi.slice(1)];
  if (l0 === h0) return sameLength(lRest, hRest).map((r) => l0 + r);
  const n = lRest.length;
  const out: string[] = [];
  let from = Number(l0);
  let to = Number(h0);
  if (lRest !== '0'.repeat(n)) {
    out.push(...sameLength(lRest, '9'.repeat(n)).map((r) => l0 + r));
    from++;
  }
  const tail: string[] = [];
  if (hRest !== '9'.repeat(n)) {
    tail.push(...sameLength('0'.repeat(n), hRest).map((r) => h0 + r));
    to--;
  }
  if (from <= to) out.push(digitClass(from, to) + digits(n));
  return [...out, ...tail];
}

/** Alternatives matching the numbers `lo..hi` written without leading zeros. */
export function numberRange(lo: number, hi: number): string[] {
  const out: string[] = [];
  for (let length = 1; length <= String(hi).length; length++) {
    const min = Math.max(lo, length === 1 ? 0 : 10 ** (length - 1));
    const max = Math.min(hi, 10 ** length - 1);
    if (min <= max) out.push(...sameLength(String(min), String(max)));
  }
  return out;
}

/** The schemes whose default port a browser leaves out of Origin (and which it never sends). */
const DEFAULT_PORTS: ReadonlyMap<string, number> = new Map([
  ['http', 80],
  ['https', 443],
  ['ws', 80],
  ['wss', 443],
  ['ftp', 21],
]);

/**
 * `:port` for any port a browser can serialize after `scheme`: 0 to 65535 without leading zeros,
 * never the scheme's default (https://url.spec.whatwg.org/#url-serializing), or no port at all.
 */
function anyPort(scheme: string): string {
  const skip = DEFAULT_PORTS.get(scheme);
  const ranges =
    skip === undefined
      ? numberRange(0, 65535)
      : [...numberRange(0, skip - 1), ...numberRange(skip + 1, 65535)];
  return `(?::(?:${ranges.join('|')}))?`;
}

/**
 * One DNS label as `parseSerializedOrigin` accepts it (`a-z 0-9 - _`), except labels starting
 * `xn--`: whether those are valid punycode needs a decoder, so they are refused (stricter).
 */
const LABEL =
  '(?:[a-wyz0-9_-][a-z0-9_-]*|x(?:[a-mo-z0-9_-][a-z0-9_-]*)?|xn(?:[a-z0-9_][a-z0-9_-]*|-(?:[a-z0-9_][a-z0-9_-]*)?)?)';

/** The regex of one `origins` entry (without anchors). */
function originAlternative(spec: ParsedOriginSpec): string {
  if (spec.kind === 'exact') return literal(spec.serialized);
  const host = spec.anySubdomain ? `(?:${LABEL}\\.)+${literal(spec.host)}` : literal(spec.host);
  const port = spec.port === '*' ? anyPort(spec.scheme) : spec.port === null ? '' : `:${spec.port}`;
  return `${literal(spec.scheme)}://${host}${port}`;
}

/** What a server must check of Origin to allow exactly the origins of a list. */
export interface OriginRegex {
  /** Anchored regex of the allowed origins. */
  readonly allow: string;
  /**
   * The longest Origin a pattern may match, or null when the list has no pattern (exact origins
   * are looked up before the length check). Servers refuse longer values separately.
   */
  readonly maxLength: number | null;
  /** Whether a subdomain pattern refuses `xn--` labels (a stricter difference to warn about). */
  readonly refusesPunycodeLabels: boolean;
}

export function originRegex(specs: readonly ParsedOriginSpec[]): OriginRegex {
  const patterns = specs.some((s) => s.kind === 'pattern');
  return {
    allow: `^(?:${specs.map(originAlternative).join('|')})$`,
    maxLength: patterns ? MAX_ORIGIN_LENGTH : null,
    refusesPunycodeLabels: specs.some((s) => s.kind === 'pattern' && s.anySubdomain),
  };
}

/** Safelisted methods never need listing (https://fetch.spec.whatwg.org/#cors-safelisted-method). */
const SAFELISTED = ['GET', 'HEAD', 'POST'];

/** What a server checks of Access-Control-Request-Method. */
export interface MethodRegex {
  /** Anchored regex of the allowed values, compared case-sensitively as browsers do. */
  readonly allow: string;
  /** Anchored regex of values refused although `allow` matches them (forbidden methods), or null. */
  readonly deny: string | null;
}

export function methodRegex(methods: '*' | readonly string[]): MethodRegex {
  if (methods === '*') {
    // https://fetch.spec.whatwg.org/#forbidden-method, byte-case-insensitive.
    return { allow: `^${TOKEN_CHAR}+$`, deny: '^(?i)(?:CONNECT|TRACE|TRACK)$' };
  }
  const names = [...SAFELISTED, ...methods.filter((m) => !SAFELISTED.includes(m))];
  return { allow: `^(?:${names.map(literal).join('|')})$`, deny: null };
}

/** At most this many names in Access-Control-Request-Headers, as the engine allows. */
const MAX_REQUEST_HEADER_NAMES = REQUEST_HEADERS_LIMITS.maxItems;

/** The longest Access-Control-Request-Headers the engine reads; longer ones are refused. */
export const MAX_REQUEST_HEADERS_LENGTH = REQUEST_HEADERS_LIMITS.maxLength;

/**
 * `regex` (anchored) that also refuses values longer than `max` characters, with a PCRE look-ahead
 * (nginx, Apache, HAProxy); Caddy checks `size()` in CEL instead, RE2 having no look-ahead.
 */
export function pcreWithMaxLength(regex: string, max: number | null): string {
  return max === null ? regex : `^(?=.{0,${max}}$)${regex.replace(/^\^/, '')}`;
}

/**
 * Anchored regex of the Access-Control-Request-Headers values a policy accepts: a comma-separated
 * list (empty elements and tab or space padding allowed, https://fetch.spec.whatwg.org/#extract-header-list-values)
 * of at most 128 names, each allowed (case-insensitively) or, for `'*'`, any token.
 */
export function requestHeadersRegex(requestHeaders: '*' | readonly string[]): string {
  const name =
    requestHeaders === '*' ? `${TOKEN_CHAR}+` : `(?:${requestHeaders.map(literal).join('|')})`;
  const more = `(?:[ \\t]*,[ \\t,]*${name}){0,${MAX_REQUEST_HEADER_NAMES - 1}}`;
  const list = requestHeaders.length === 0 ? '' : `(?:${name}${more})?`;
  return `^(?i)[ \\t,]*${list}[ \\t,]*$`;
}

/** Anchored regex of a header value holding at least one list element (else no Allow-Headers). */
export const HAS_TOKEN = `^.*${TOKEN_CHAR}.*$`;
