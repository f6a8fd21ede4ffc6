/**
 * The decision: a pure function from a request's method and CORS headers to what the response must
 * carry. https://fetch.spec.whatwg.org/#http-cors-protocol (the server's side of it).
 */
import { ACAC, ACAH, ACAM, ACAO } from '../spec/header-names.js';
import { asciiLowercase, isToken } from '../spec/http-grammar.js';
import { type ListLimits, parseTokenList } from '../spec/list-value.js';
import { isForbiddenMethod, isMethod, isSafelistedMethod } from '../spec/methods.js';
import { parseSerializedOrigin } from '../spec/origin.js';
import type { Decision, HeaderPair, Refusal, RefusalCode } from './decision.js';
import type { CorsRequest, OriginPredicate, OriginVerdict } from './options.js';
import type { OriginMatch, OriginMatcher } from './origin-matcher.js';

/** Everything `decide` needs, precomputed by `compilePolicy`. */
export interface DecideContext {
  readonly wildcard: boolean;
  readonly matcher: OriginMatcher | null;
  readonly predicate: OriginPredicate | null;
  /** Ready answers for allowed non-OPTIONS requests from each exact origin. */
  readonly exactAllowed: ReadonlyMap<string, Decision>;
  readonly credentials: boolean;
  /** Allow-Credentials and Expose-Headers, as actual responses carry them. */
  readonly actualExtra: readonly HeaderPair[];
  readonly methods: '*' | ReadonlySet<string>;
  readonly requestHeaders: '*' | ReadonlySet<string>;
  /** Max-Age, when set. */
  readonly preflightTail: readonly HeaderPair[];
  readonly privateNetworkPair: HeaderPair | null;
  readonly preflightStatus: number;
  readonly preflightVary: string;
  readonly debug: boolean;
  readonly allowedMethodsList: string;
  readonly allowedHeadersList: string;
  /** Verdicts on recently seen Access-Control-Request-Headers values (see judgeRequestedHeaders). */
  readonly requestHeadersCache: Map<string, RequestHeadersVerdict>;
  /**
   * The last accepted preflight answered for each exact origin (see readyPreflight). Its keys are
   * the policy's own exact origins, so it never grows past the origins list.
   */
  readonly preflightAnswers: Map<string, ReadyPreflight>;
}

/** An accepted preflight's answer, frozen, and the request values it answers. */
export interface ReadyPreflight {
  readonly requestMethod: string;
  readonly requestHeaders: string | undefined;
  readonly requestPrivateNetwork: string | undefined;
  readonly decision: Decision;
}

/**
 * No browser sends an Access-Control-Request-Headers longer than this or with more names: Node's
 * default cap on all request headers together is 16 KiB. Larger values are refused before any
 * scan, so an attacker cannot make one request expensive. Browsers send no empty elements
 * (https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names joins names with ","), so the
 * scan gives up after twice as many elements as names: 8 KiB of bare commas costs 257 steps.
 */
export const REQUEST_HEADERS_LIMITS: ListLimits = Object.freeze({
  maxLength: 8192,
  maxItems: 128,
  maxElements: 256,
});

const NONE: readonly HeaderPair[] = Object.freeze([]);

const notCorsCache = new WeakMap<DecideContext, { plain: Decision; options: Decision }>();

function notCors(ctx: DecideContext, method: string): Decision {
  let cached = notCorsCache.get(ctx);
  if (cached === undefined) {
    // A static `*` policy answers every request the same way, Origin or not, so nothing varies.
    const headers = ctx.wildcard
      ? Object.freeze([[ACAO, '*'] as HeaderPair, ...ctx.actualExtra])
      : NONE;
    cached = {
      plain: Object.freeze({ kind: 'not-cors', headers, vary: ctx.wildcard ? null : 'Origin' }),
      // An OPTIONS answer depends on whether the request was a preflight, i.e. on Origin and ACRM.
      options: Object.freeze({ kind: 'not-cors', headers, vary: ctx.preflightVary }),
    };
    notCorsCache.set(ctx, cached);
  }
  return method === 'OPTIONS' ? cached.options : cached.plain;
}

function refusal(code: RefusalCode, detail: string): Refusal {
  return { code, detail };
}

/**
 * Longer than any origin a browser sends: a DNS name has at most 253 characters, so scheme, host
 * and port fit well within this. Longer values are refused before any parsing, so a 200 kB Origin
 * costs nothing (only exact-list lookups, which are hash probes, run before this check).
 */
export const MAX_ORIGIN_LENGTH = 512;

function classifyOrigin(ctx: DecideContext, origin: string): OriginMatch {
  if (ctx.wildcard) return 'allowed';
  if (origin.length > MAX_ORIGIN_LENGTH) return 'invalid';
  return (ctx.matcher as OriginMatcher).decide(origin);
}

/** What a predicate said, and the request headers it read (for Vary), joined; null for none. */
interface PredicateAnswer {
  readonly match: OriginMatch;
  readonly vary: string | null;
}

const INVALID: PredicateAnswer = Object.freeze({ match: 'invalid', vary: null });
const ALLOWED: PredicateAnswer = Object.freeze({ match: 'allowed', vary: null });
const NOT_ALLOWED: PredicateAnswer = Object.freeze({ match: 'not-allowed', vary: null });

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function readVerdict(value: unknown): PredicateAnswer {
  if (value === true) return ALLOWED;
  if (value === false) return NOT_ALLOWED;
  if (typeof value === 'object' && value !== null && !isThenable(value)) {
    const { allow, vary } = value as Partial<OriginVerdict>;
    if (typeof allow === 'boolean' && Array.isArray(vary) && vary.every(isToken)) {
      const match = allow ? 'allowed' : 'not-allowed';
      return { match, vary: vary.length === 0 ? null : vary.join(', ') };
    }
  }
  const shown = typeof value === 'string' ? JSON.stringify(value) : typeof value;
  throw new TypeError(
    `corsproof: the origins predicate returned ${shown}; it must return true or false, or { allow, vary: [header names it read] } (or a promise of one). corsproof writes Access-Control-Allow-Origin itself.`,
  );
}

/**
 * Decides with an origins predicate. It sees only well-formed, canonical origins, and never
 * `null`; what it throws or rejects with goes to the caller (the adapter's error handling).
 */
function decideByPredicate(
  ctx: DecideContext,
  request: CorsRequest,
  origin: string,
): Decision | Promise<Decision> {
  const finish = (answer: PredicateAnswer): Decision =>
    request.method === 'OPTIONS' && request.requestMethod !== undefined
      ? preflight(ctx, request, origin, answer.match, answer.vary)
      : actual(ctx, origin, request.method, answer.match, answer.vary);
  if (origin.length > MAX_ORIGIN_LENGTH || parseSerializedOrigin(origin) === null) {
    return finish(INVALID);
  }
  const result = (ctx.predicate as OriginPredicate)(origin, request);
  if (isThenable(result)) return Promise.resolve(result).then((v) => finish(readVerdict(v)));
  return finish(readVerdict(result));
}

/**
 * Why an origin was refused, worked out when first read: deciding to refuse an origin missing from
 * a list of exact origins needs no parsing, and most refusals are never explained (only `explain`,
 * the decision log and debug logging read the code). The words are the same either way.
 */
class OriginRefusal implements Refusal {
  readonly detail: string;
  #code: RefusalCode | undefined;

  constructor(detail: string) {
    this.detail = detail;
  }

  get code(): RefusalCode {
    if (this.#code === undefined) {
      const origin = this.detail;
      this.#code =
        origin === 'null'
          ? 'origin-null'
          : origin.length > MAX_ORIGIN_LENGTH || parseSerializedOrigin(origin) === null
            ? 'origin-invalid'
            : 'origin-not-allowed';
    }
    return this.#code;
  }

  toJSON(): Refusal {
    return { code: this.code, detail: this.detail };
  }
}

function originRefusal(match: OriginMatch, origin: string): Refusal {
  if (match === 'refused') return new OriginRefusal(origin);
  if (origin === 'null') return refusal('origin-null', origin);
  return refusal(match === 'invalid' ? 'origin-invalid' : 'origin-not-allowed', origin);
}

/** Decides a request. Never throws on malformed input; it throws only if a predicate does. */
export function decide(ctx: DecideContext, request: CorsRequest): Decision | Promise<Decision> {
  const origin = request.origin;
  const method = request.method;
  if (origin === undefined) return notCors(ctx, method);
  if (ctx.predicate !== null) return decideByPredicate(ctx, request, origin);
  // https://fetch.spec.whatwg.org/#cors-preflight-request: OPTIONS with Origin and ACRM.
  if (method === 'OPTIONS' && request.requestMethod !== undefined) {
    // size first: a lookup hashes the header, which a policy without exact origins need not pay.
    const ready = ctx.preflightAnswers.size === 0 ? undefined : ctx.preflightAnswers.get(origin);
    if (
      ready !== undefined &&
      ready.requestMethod === request.requestMethod &&
      ready.requestHeaders === request.requestHeaders &&
      ready.requestPrivateNetwork === request.requestPrivateNetwork
    ) {
      return ready.decision;
    }
    return readyPreflight(ctx, request, origin);
  }
  if (method !== 'OPTIONS' && ctx.exactAllowed.size !== 0) {
    const ready = ctx.exactAllowed.get(origin);
    if (ready !== undefined) return ready;
  }
  return actual(ctx, origin, method, classifyOrigin(ctx, origin), null);
}

/** The Vary of an answer, with the headers a predicate read after the policy's own. */
function withVary(base: string, extra: string | null): string {
  return extra === null ? base : `${base}, ${extra}`;
}

function actual(
  ctx: DecideContext,
  origin: string,
  method: string,
  match: OriginMatch,
  extraVary: string | null,
): Decision {
  const vary =
    method === 'OPTIONS'
      ? withVary(ctx.preflightVary, extraVary)
      : ctx.wildcard
        ? null
        : withVary('Origin', extraVary);
  if (match !== 'allowed') {
    return { kind: 'actual-refused', headers: NONE, vary, reason: originRefusal(match, origin) };
  }
  const allowOrigin: HeaderPair = [ACAO, ctx.wildcard ? '*' : origin];
  const extra = ctx.actualExtra;
  const headers: HeaderPair[] = [allowOrigin];
  for (let i = 0; i < extra.length; i++) headers.push(extra[i]!);
  return { kind: 'actual-allowed', headers, vary };
}

/**
 * Decides a preflight and, when an exact origin's preflight is accepted, keeps the frozen answer
 * for that origin: a front end sends the same few preflights over and over, which then cost three
 * string comparisons. One answer per origin (the last), so a client varying its requested headers
 * costs a decision each time, never memory.
 */
function readyPreflight(ctx: DecideContext, request: CorsRequest, origin: string): Decision {
  const decision = preflight(ctx, request, origin, classifyOrigin(ctx, origin), null);
  if (
    decision.kind === 'preflight-accepted' &&
    ctx.exactAllowed.size !== 0 &&
    ctx.exactAllowed.has(origin)
  ) {
    const frozen = Object.freeze({
      ...decision,
      headers: Object.freeze(decision.headers.map((p) => Object.freeze(p) as HeaderPair)),
    });
    ctx.preflightAnswers.set(
      origin,
      Object.freeze({
        requestMethod: request.requestMethod as string,
        requestHeaders: request.requestHeaders,
        requestPrivateNetwork: request.requestPrivateNetwork,
        decision: frozen,
      }),
    );
    return frozen;
  }
  return decision;
}

function preflight(
  ctx: DecideContext,
  request: CorsRequest,
  origin: string,
  match: OriginMatch,
  extraVary: string | null,
): Decision {
  const vary = withVary(ctx.preflightVary, extraVary);
  if (match !== 'allowed') {
    return {
      kind: 'preflight-refused',
      status: 403,
      headers: NONE,
      vary,
      reason: originRefusal(match, origin),
    };
  }
  const allowOrigin: HeaderPair = [ACAO, ctx.wildcard ? '*' : origin];
  const base: HeaderPair[] = ctx.credentials ? [allowOrigin, [ACAC, 'true']] : [allowOrigin];

  // The browser sends the normalized method; methods are compared case-sensitively (Fetch
  // "CORS-preflight fetch" step 7.4), so `patch` is not `PATCH`.
  const requestMethod = request.requestMethod as string;
  if (!isMethod(requestMethod) || isForbiddenMethod(requestMethod)) {
    return refusePreflight(ctx, vary, base, refusal('method-invalid', requestMethod), []);
  }
  if (
    !isSafelistedMethod(requestMethod) &&
    ctx.methods !== '*' &&
    !ctx.methods.has(requestMethod)
  ) {
    return refusePreflight(ctx, vary, base, refusal('method-not-allowed', requestMethod), [
      [ACAM, ctx.allowedMethodsList],
    ]);
  }
  const headers: HeaderPair[] = [...base, [ACAM, requestMethod]];

  const requested = request.requestHeaders;
  if (requested !== undefined && requested !== '') {
    const verdict = judgeRequestedHeaders(ctx, requested);
    if (!verdict.ok) {
      const partial: HeaderPair[] =
        verdict.reason.code === 'headers-not-allowed'
          ? [
              [ACAM, requestMethod],
              [ACAH, ctx.allowedHeadersList],
            ]
          : [];
      return refusePreflight(ctx, vary, base, verdict.reason, partial);
    }
    if (verdict.allow !== null) headers.push([ACAH, verdict.allow]);
  }
  for (const pair of ctx.preflightTail) headers.push(pair);
  if (ctx.privateNetworkPair !== null && request.requestPrivateNetwork === 'true') {
    headers.push(ctx.privateNetworkPair);
  }
  return { kind: 'preflight-accepted', status: ctx.preflightStatus, headers, vary };
}

/** What the policy says of an Access-Control-Request-Headers value, whatever the origin. */
export type RequestHeadersVerdict =
  | { readonly ok: true; readonly allow: string | null }
  | { readonly ok: false; readonly reason: Refusal };

/** Values longer than this are judged every time rather than cached. */
const CACHEABLE_LENGTH = 1024;
const CACHE_ENTRIES = 256;

/**
 * Judges the requested headers. Browsers send the same few values over and over (sorted,
 * lower-cased, de-duplicated), so verdicts are cached per policy; the cache is small and simply
 * starts over when full, so varying values cost a parse each, never memory.
 */
function judgeRequestedHeaders(ctx: DecideContext, requested: string): RequestHeadersVerdict {
  const cached = ctx.requestHeadersCache.get(requested);
  if (cached !== undefined) return cached;
  const verdict = Object.freeze(computeRequestedHeaders(ctx, requested));
  if (requested.length <= CACHEABLE_LENGTH) {
    if (ctx.requestHeadersCache.size >= CACHE_ENTRIES) ctx.requestHeadersCache.clear();
    ctx.requestHeadersCache.set(requested, verdict);
  }
  return verdict;
}

const listedLimits = new WeakMap<ReadonlySet<string>, ListLimits>();

/**
 * The limits for a policy's Access-Control-Request-Headers. With a list of allowed names, a value
 * that can pass has at most `maxItems` names, each an allowed one, joined by "," (a browser:
 * https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names) or ", " (Node joining repeated
 * lines). A longer value cannot pass, so it is refused on its length, unread, instead of being
 * read to the 8 KiB every policy accepts.
 *
 * @example
 * requestHeadersLimits(new Set(['content-type'])).maxLength // 128 * 14 = 1792
 * requestHeadersLimits('*') === REQUEST_HEADERS_LIMITS       // true
 */
export function requestHeadersLimits(allowed: '*' | ReadonlySet<string>): ListLimits {
  if (allowed === '*') return REQUEST_HEADERS_LIMITS;
  let limits = listedLimits.get(allowed);
  if (limits === undefined) {
    let longest = 0;
    for (const name of allowed) longest = Math.max(longest, name.length);
    const passing = REQUEST_HEADERS_LIMITS.maxItems * (longest + 2);
    limits = Object.freeze({
      ...REQUEST_HEADERS_LIMITS,
      maxLength: Math.min(REQUEST_HEADERS_LIMITS.maxLength, passing),
    });
    listedLimits.set(allowed, limits);
  }
  return limits;
}

function computeRequestedHeaders(ctx: DecideContext, requested: string): RequestHeadersVerdict {
  const list = parseTokenList(requested, requestHeadersLimits(ctx.requestHeaders));
  if (!list.ok) {
    return list.problem === 'invalid-token'
      ? { ok: false, reason: refusal('headers-invalid', list.element ?? '') }
      : { ok: false, reason: refusal('headers-too-large', `${requested.length} characters`) };
  }
  if (list.items.length === 0) return { ok: true, allow: null };
  const names = new Set<string>();
  for (const item of list.items) {
    const name = asciiLowercase(item);
    if (ctx.requestHeaders !== '*' && !ctx.requestHeaders.has(name)) {
      return { ok: false, reason: refusal('headers-not-allowed', name) };
    }
    names.add(name);
  }
  // Only the requested names are echoed: the full list is nobody's business.
  return { ok: true, allow: [...names].join(',') };
}

/**
 * A refused preflight normally gets a bare 403. In debug mode it gets the preflight status and the
 * headers that pass every check before the failing one, so the browser console names the exact
 * failure ("Method PUT is not allowed by Access-Control-Allow-Methods…").
 */
function refusePreflight(
  ctx: DecideContext,
  vary: string,
  base: HeaderPair[],
  reason: Refusal,
  partial: HeaderPair[],
): Decision {
  if (!ctx.debug) {
    return {
      kind: 'preflight-refused',
      status: 403,
      headers: NONE,
      vary,
      reason,
    };
  }
  return {
    kind: 'preflight-refused',
    status: ctx.preflightStatus,
    headers: [...base, ...partial],
    vary,
    reason,
  };
}
