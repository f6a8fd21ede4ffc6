/**
 * Reading request paths and path patterns into one canonical form, so that a path table decides
 * the same way the application's router does, or refuses to decide.
 *
 * A CORS path table is only safe if it picks the entry for the resource the router will actually
 * serve. Flask-CORS got this wrong three ways: it matched case-insensitively (CVE-2024-6866), read
 * `+` as a space (CVE-2024-6844) and let the longest regex win instead of the first (CVE-2024-6839).
 * Routers disagree among themselves too (Express and @koa/router ignore case and a trailing slash by
 * default, Fastify and Hono do not; some decode `%2F`, most do not). So the request path is read
 * once, canonically, and also in the other ways a router could read it; when the readings would
 * pick different entries, the table picks none and the request gets no CORS headers (fail closed).
 *
 * The canonical form, per RFC 3986 section 6.2.2:
 * - the query and fragment are cut off (`/api?next=/admin` is `/api`);
 * - percent-escapes of unreserved characters are decoded (`%61` is `a`, `%2E` is `.`), every other
 *   escape is kept with upper-case hex (`%2f` is `%2F`, still inside its segment, never a slash);
 * - `+` is a plus sign, never a space (a space is `%20`);
 * - characters outside RFC 3986 `pchar` (non-ASCII, `|`, `{`, ...) are percent-encoded as UTF-8;
 * - letter case is kept: paths are case-sensitive (RFC 3986 section 6.2.2.1).
 *
 * Routers also differ on what they decode and cut before matching, so those readings are added and
 * must pick the same entry: Express and @koa/router match the path as sent (`/ad%6Din` is not
 * `/admin` to them, while Fastify and Hono decode it), and Fastify's `useSemicolonDelimiter` cuts
 * the path at the first `;` (as Tomcat-style proxies cut `;params` from each segment), so
 * `/admin;x` may be served by the `/admin` route.
 *
 * Paths that no browser sends, and that routers resolve differently, get no CORS at all: dot
 * segments (`/public/../admin`, also as `%2E%2E`), empty segments other than a trailing slash
 * (`/api//admin`), backslashes, malformed escapes, and request targets not starting with `/`.
 */

/** Why a request target cannot be read as a path. */
export type UnreadablePath =
  | 'not-origin-form'
  | 'malformed-escape'
  | 'backslash'
  | 'dot-segment'
  | 'empty-segment';

/** The ways a router may read one path; each is a list of canonical segments. */
export type PathReadings = readonly (readonly string[])[];

/** `A-Z a-z 0-9 - . _ ~`: RFC 3986 unreserved characters, which escaping does not change. */
function isUnreserved(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2d ||
    code === 0x2e ||
    code === 0x5f ||
    code === 0x7e
  );
}

/** RFC 3986 `pchar` minus escapes: unreserved, sub-delims `!$&'()*+,;=`, `:` and `@`. */
function isPlainPathChar(code: number): boolean {
  if (isUnreserved(code)) return true;
  switch (code) {
    case 0x21: // !
    case 0x24: // $
    case 0x26: // &
    case 0x27: // '
    case 0x28: // (
    case 0x29: // )
    case 0x2a: // *
    case 0x2b: // +
    case 0x2c: // ,
    case 0x3b: // ;
    case 0x3d: // =
    case 0x3a: // :
    case 0x40: // @
      return true;
    default:
      return false;
  }
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

const HEX = '0123456789ABCDEF';

/** The result of canonicalizing one segment: the text, or why it cannot be read. */
type SegmentResult =
  | {
      readonly ok: true;
      readonly text: string;
      /** Whether it has `%2F`, which a router that decodes before splitting reads as a slash. */
      readonly encodedSlash: boolean;
      /** Whether an unreserved escape was decoded (`%6D` read as `m`). */
      readonly decoded: boolean;
    }
  | { readonly ok: false; readonly problem: 'malformed-escape' | 'backslash' | 'not-pchar' };

/**
 * Canonicalizes one segment (no `/` in it). `strict` (patterns) refuses ASCII characters outside
 * `pchar` instead of escaping them, since in a pattern they are almost always a regex or a typo.
 * With `decodeUnreserved` false, escapes of unreserved characters are kept (upper-cased), as a
 * router that matches the path as sent reads them.
 */
export function canonicalSegment(
  raw: string,
  strict: boolean,
  decodeUnreserved = true,
): SegmentResult {
  let out = '';
  let plainFrom = 0;
  let encodedSlash = false;
  let decoded = false;
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code === 0x25) {
      const hi = hexValue(raw.charCodeAt(i + 1));
      const lo = hexValue(raw.charCodeAt(i + 2));
      if (hi < 0 || lo < 0) return { ok: false, problem: 'malformed-escape' };
      const byte = hi * 16 + lo;
      out += raw.slice(plainFrom, i);
      if (decodeUnreserved && isUnreserved(byte)) {
        out += String.fromCharCode(byte);
        decoded = true;
      } else {
        out += `%${HEX[hi]}${HEX[lo]}`;
        if (byte === 0x2f) encodedSlash = true;
      }
      i += 2;
      plainFrom = i + 1;
      continue;
    }
    if (code < 0x80 && isPlainPathChar(code)) continue;
    if (code === 0x5c) return { ok: false, problem: 'backslash' };
    if (code < 0x80 && strict) return { ok: false, problem: 'not-pchar' };
    // Escape as UTF-8 what a browser would have escaped (and what it would not, like `|`).
    out += raw.slice(plainFrom, i);
    const isPair = code >= 0xd800 && code <= 0xdbff && i + 1 < raw.length;
    const char = isPair ? raw.slice(i, i + 2) : raw[i]!;
    try {
      out += encodeURIComponent(char);
    } catch {
      return { ok: false, problem: 'malformed-escape' }; // a lone surrogate
    }
    if (isPair) i++;
    plainFrom = i + 1;
  }
  if (plainFrom === 0) return { ok: true, text: raw, encodedSlash, decoded };
  return { ok: true, text: out + raw.slice(plainFrom), encodedSlash, decoded };
}

function isDotSegment(segment: string): boolean {
  return segment === '.' || segment === '..';
}

/** Empty segments are allowed only last (a trailing slash); dot segments never. */
function checkSegments(segments: readonly string[]): UnreadablePath | null {
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (s === '' && i < segments.length - 1) return 'empty-segment';
    if (isDotSegment(s)) return 'dot-segment';
  }
  return null;
}

/** The reading with a trailing slash removed, as Express and @koa/router read paths by default. */
function withoutTrailingSlash(segments: readonly string[]): readonly string[] | null {
  return segments.length > 1 && segments[segments.length - 1] === '' ? segments.slice(0, -1) : null;
}

/**
 * Adds one reading, and the same without its trailing slash (as Express and @koa/router read paths
 * by default). Returns why the reading cannot be matched instead, if it cannot.
 */
function addReading(
  readings: (readonly string[])[],
  segments: readonly string[],
): UnreadablePath | null {
  const problem = checkSegments(segments);
  if (problem !== null) return problem;
  readings.push(segments);
  const trimmed = withoutTrailingSlash(segments);
  if (trimmed !== null) readings.push(trimmed);
  return null;
}

/** The segments before the first `;`, as Fastify's `useSemicolonDelimiter` reads the path. */
function cutAtFirstSemicolon(segments: readonly string[]): readonly string[] {
  const at = segments.findIndex((s) => s.includes(';'));
  const cut = segments.slice(0, at + 1);
  const last = cut[at]!;
  cut[at] = last.slice(0, last.indexOf(';'));
  return cut;
}

/** Each segment without its `;params`, as servlet containers and some proxies read the path. */
function withoutSegmentParams(segments: readonly string[]): readonly string[] {
  return segments.map((s) => {
    const at = s.indexOf(';');
    return at === -1 ? s : s.slice(0, at);
  });
}

/**
 * Reads a request target (`req.url`: path and optional query) into the ways routers may read it:
 * first the canonical segments; then, when it has a trailing slash, the same without it; when it
 * has an escaped slash, the segments a router that decodes `%2F` would see; when it has escaped
 * unreserved characters, the segments as sent (Express, @koa/router); and when it has a `;`, the
 * path cut at the first one (Fastify's `useSemicolonDelimiter`) and each segment without its
 * `;params`. Returns the reason instead when some reading must not be matched at all.
 *
 * @example
 * readPath('/api/users/?page=2') // [['api', 'users', ''], ['api', 'users']]
 * readPath('/api%2Fadmin')       // [['api%2Fadmin'], ['api', 'admin']]
 * readPath('/ad%6Din')           // [['admin'], ['ad%6Din']]
 * readPath('/admin;x/users')     // [['admin;x', 'users'], ['admin'], ['admin', 'users']]
 * readPath('/public/../admin')   // 'dot-segment'
 */
export function readPath(target: string): PathReadings | UnreadablePath {
  let end = target.length;
  const query = target.indexOf('?');
  if (query !== -1) end = query;
  const hash = target.indexOf('#');
  if (hash !== -1 && hash < end) end = hash;
  if (target.charCodeAt(0) !== 0x2f) return 'not-origin-form';
  const raw = target.slice(1, end).split('/');
  const segments: string[] = [];
  let encodedSlash = false;
  let decoded = false;
  let semicolon = false;
  for (const part of raw) {
    const result = canonicalSegment(part, false);
    if (!result.ok) return result.problem === 'backslash' ? 'backslash' : 'malformed-escape';
    segments.push(result.text);
    if (result.encodedSlash) encodedSlash = true;
    if (result.decoded) decoded = true;
    if (result.text.includes(';')) semicolon = true;
  }
  const readings: (readonly string[])[] = [];
  let problem = addReading(readings, segments);
  if (problem === null && encodedSlash) {
    // A router that decodes `%2F` before matching sees more segments. Whatever it would make of
    // them (`..%2Fadmin` becomes a dot segment) must be readable too.
    problem = addReading(
      readings,
      segments.flatMap((s) => s.split('%2F')),
    );
  }
  if (problem === null && decoded) {
    // Every part was read above, so reading it again without decoding cannot fail.
    const asSent = raw.map((part) => {
      const result = canonicalSegment(part, false, false);
      return result.ok ? result.text : part;
    });
    problem = addReading(readings, asSent);
  }
  if (problem === null && semicolon) {
    problem = addReading(readings, cutAtFirstSemicolon(segments));
    if (problem === null) problem = addReading(readings, withoutSegmentParams(segments));
  }
  return problem ?? readings;
}

/** One segment of a compiled pattern: a canonical literal, or `null` for a `:name` parameter. */
export type PatternSegment = string | null;

/** A compiled path pattern. */
export interface PathPattern {
  /** The pattern as written. */
  readonly source: string;
  /** Segments before the final `*`, or all of them. */
  readonly segments: readonly PatternSegment[];
  /** Whether the pattern ends in `*` (matches zero or more further segments). */
  readonly rest: boolean;
}

/** Why a pattern is refused, with the fix. */
export interface PatternProblem {
  readonly reason: string;
  readonly fix: string;
}

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const NOT_A_REGEX =
  'patterns are not regular expressions: write `:name` for one segment and end with `/*` for any rest';

/**
 * Compiles a path pattern:
 * - `/api/users`: exactly that path. `/api/users/` is not it: Express serves both alike, Fastify
 *   does not, so a table that would pick different entries for the two gives that request none;
 * - `/api/users/:id`: `:id` stands for exactly one non-empty segment;
 * - `/api/*`: `/api` and everything under it (`/api/`, `/api/a/b`), never `/apiary`;
 * - `/*`: every path.
 * Literals are canonicalized like request paths (`/caf%c3%a9` and `/café` are the same pattern).
 *
 * @example
 * compilePathPattern('/api/:version/*') // { segments: ['api', null], rest: true, ... }
 */
export function compilePathPattern(source: string): PathPattern | PatternProblem {
  if (typeof source !== 'string' || source.charCodeAt(0) !== 0x2f) {
    return { reason: 'a path pattern starts with "/"', fix: 'write it from the root: "/api/*"' };
  }
  if (source === '/') return { source, segments: [''], rest: false };
  const parts = source.slice(1).split('/');
  const segments: PatternSegment[] = [];
  let rest = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const last = i === parts.length - 1;
    if (part === '*') {
      if (!last) {
        return {
          reason: '`*` may only be the last segment',
          fix: 'use `:name` for a segment in the middle: "/api/:version/users"',
        };
      }
      rest = true;
      continue;
    }
    if (part === '') {
      return last
        ? {
            reason:
              'a pattern cannot end with "/": a path and the same path with a trailing slash always share an entry',
            fix: `write ${JSON.stringify(source.slice(0, -1))}`,
          }
        : { reason: 'a pattern cannot have an empty segment ("//")', fix: 'remove the extra "/"' };
    }
    if (part.charCodeAt(0) === 0x3a) {
      const name = part.slice(1);
      if (!PARAM_NAME.test(name)) {
        return {
          reason: `${JSON.stringify(part)} is not a parameter name`,
          fix: `${NOT_A_REGEX}; a name is letters, digits and "_"`,
        };
      }
      segments.push(null);
      continue;
    }
    if (part.includes('*')) {
      return { reason: '`*` must be a whole segment, and the last one', fix: NOT_A_REGEX };
    }
    const literal = canonicalSegment(part, true);
    if (!literal.ok) {
      return literal.problem === 'malformed-escape'
        ? {
            reason: `${JSON.stringify(part)} has a malformed %-escape`,
            fix: 'write %XX with two hex digits',
          }
        : { reason: `${JSON.stringify(part)} has characters a path cannot have`, fix: NOT_A_REGEX };
    }
    if (literal.encodedSlash) {
      return {
        reason: 'an escaped slash (%2F) in a pattern matches inconsistently across routers',
        fix: 'match the parent path with `:name` or `*` instead',
      };
    }
    if (isDotSegment(literal.text)) {
      return {
        reason: 'a pattern cannot have "." or ".." segments',
        fix: 'write the resolved path',
      };
    }
    segments.push(literal.text);
  }
  return { source, segments, rest };
}

/** Whether `compilePathPattern` refused the pattern. */
export function isPatternProblem(p: PathPattern | PatternProblem): p is PatternProblem {
  return 'reason' in p;
}

/** Whether `pattern` matches the segments of one reading (both already in the same case). */
export function matchesPattern(
  segments: readonly PatternSegment[],
  rest: boolean,
  reading: readonly string[],
): boolean {
  const n = segments.length;
  if (rest ? reading.length < n : reading.length !== n) return false;
  for (let i = 0; i < n; i++) {
    const expected = segments[i];
    const actual = reading[i]!;
    if (expected === null) {
      if (actual === '') return false;
    } else if (expected !== actual) return false;
  }
  return true;
}

/**
 * Whether every path `b` matches is also matched by `a` (so `a` placed first makes `b` dead).
 * Compares segment by segment: a parameter covers any literal, a literal covers only itself.
 */
export function covers(a: PathPattern, b: PathPattern, fold: (s: string) => string): boolean {
  const n = a.segments.length;
  if (a.rest ? b.segments.length < n : b.rest || b.segments.length !== n) return false;
  for (let i = 0; i < n; i++) {
    const x = a.segments[i]!;
    const y = b.segments[i]!;
    if (x === null) {
      // A parameter covers any non-empty segment; the root pattern's '' is the only empty one.
      if (y === '') return false;
      continue;
    }
    if (y === null || fold(x) !== fold(y)) return false;
  }
  return true;
}
