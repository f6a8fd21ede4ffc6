/**
 * Findings about the answers the trusted origin gets: headers browsers reject, caches that would
 * mix answers up, preflights that cannot pass, and `*` where it does or does not belong. They need
 * no crafted origin, only the baseline (and the GETs of the probes, for the Vary comparison). Pure.
 */
import {
  ACAC,
  ACAH,
  ACAM,
  ACAO,
  ACMA,
  asciiLowercase,
  CHROMIUM_MAX_AGE_LIMIT,
  chromiumMaxAge,
  corsCheck,
  FIREFOX_MAX_AGE_LIMIT,
  getHeader,
  type HeaderList,
  isOkStatus,
  isRedirectResponse,
  parseTokenList,
  WEBKIT_MAX_AGE_LIMIT,
} from 'corsproof/spec';
import { type Evidence, type Finding, makeFinding } from './findings.js';
import type { Leg } from './legs.js';
import { missingVaryOrigin } from './vary-harm.js';

type Head = { readonly status: number; readonly headers: HeaderList };

export interface ResponseCheckInput {
  readonly trustedOrigin: string;
  readonly url: string;
  /** e.g. `PUT with Content-Type: application/json`. */
  readonly stateChanging: string;
  readonly noOrigin: Leg;
  readonly get: Leg;
  readonly preflight: Leg;
  readonly anyPreflight: Leg;
  /** The made-up method and header `anyPreflight` asked for. */
  readonly madeUp: { readonly method: string; readonly header: string };
  readonly authorization: Leg | null;
  /** The trusted origin's GET of the Location its GET was redirected to, when that hop blocked it. */
  readonly redirectTarget: Leg | null;
  /** The GETs from crafted origins, for the Vary comparison and the `*` check. */
  readonly probeGets: readonly { readonly origin: string; readonly leg: Leg }[];
  /** When the answers arrived (ms since the epoch): a cache's clock for Expires without Date. */
  readonly receivedAt: number;
}

function header(head: Head | null, name: string): string | null {
  return head === null ? null : getHeader(head.headers, name);
}

/** `*` answers: fine for public data (info), broken with credentials. */
function wildcard(input: ResponseCheckInput): Finding | null {
  const gets = [
    { origin: input.trustedOrigin, leg: input.get },
    ...input.probeGets.filter((p) => p.leg.final !== null),
  ];
  const star = gets.filter((g) => header(g.leg.final, ACAO) === '*');
  const withCredentials = star.find((g) => header(g.leg.final, ACAC) === 'true');
  if (withCredentials !== undefined) {
    return makeFinding('wildcard-with-credentials', {
      origin: withCredentials.origin,
      message:
        'The GET is answered with Access-Control-Allow-Origin: * and Access-Control-Allow-Credentials: true: browsers refuse every credentialed request, while any site can still read the responses without credentials',
      credentials: false,
      impact: 'read',
      evidence: withCredentials.leg.evidence,
    });
  }
  const preflightStar =
    header(input.preflight.preflight, ACAO) === '*' && input.preflight.summary.passes.omit;
  const first = star[0];
  if (first === undefined && !preflightStar) return null;
  const what = [
    first !== undefined ? 'any site can read responses without credentials' : '',
    preflightStar
      ? `any site's preflight for ${input.stateChanging} is accepted (the request goes without cookies)`
      : '',
  ]
    .filter(Boolean)
    .join(', and ');
  return makeFinding('wildcard-origin', {
    origin: first?.origin ?? input.trustedOrigin,
    message: `Access-Control-Allow-Origin: * ${first !== undefined ? 'on the GET' : 'on the preflight'}: ${what}; fine for public data, not for anything an intranet position or IP allow-list protects`,
    credentials: false,
    impact: first !== undefined ? 'read' : 'send',
    evidence: first?.leg.evidence ?? input.preflight.evidence,
  });
}

/** What is wrong with an Access-Control-Allow-Origin that is almost the trusted origin. */
function nearMiss(value: string, trusted: string): string | null {
  if (!URL.canParse(value)) return null;
  if (new URL(value).origin !== trusted) return null;
  const reasons: string[] = [];
  if (/\/$/.test(value)) reasons.push('a trailing "/"');
  if (value !== asciiLowercase(value)) reasons.push('upper case');
  if (/:\d+\/?$/.test(value)) reasons.push('the default port');
  if (reasons.length === 0) reasons.push('a form browsers never send');
  return reasons.join(' and ');
}

/** "X on the GET and the preflight": one clause per distinct value, naming where it was seen. */
function joinSeen(seen: readonly { readonly text: string; readonly where: string }[]): string {
  const grouped = new Map<string, string[]>();
  for (const { text, where } of seen) grouped.set(text, [...(grouped.get(text) ?? []), where]);
  return [...grouped]
    .map(([text, where]) => text.replace('{where}', `the ${where.join(' and the ')}`))
    .join('; and ');
}

function invalidAcao(input: ResponseCheckInput): Finding | null {
  const seen: { text: string; where: string }[] = [];
  const evidence: Evidence[] = [];
  const legs: [string, Head | null, Leg][] = [
    ['GET', input.get.final, input.get],
    ['preflight', input.preflight.preflight, input.preflight],
  ];
  for (const [name, head, leg] of legs) {
    const value = header(head, ACAO);
    if (head === null || value === null) continue;
    const failure = corsCheck(head.headers, {
      origin: input.trustedOrigin,
      credentialsInclude: false,
    });
    let why: string | null = null;
    if (failure === 'MultipleAllowOriginValues') why = 'several values (MultipleAllowOriginValues)';
    else if (failure === 'InvalidAllowOriginValue') why = 'not an origin (InvalidAllowOriginValue)';
    else if (failure === 'AllowOriginMismatch') {
      const miss = nearMiss(value, input.trustedOrigin);
      if (miss !== null) why = `${miss} (AllowOriginMismatch)`;
    }
    if (why === null) continue;
    seen.push({ text: `Access-Control-Allow-Origin: ${value} on {where}, ${why}`, where: name });
    evidence.push(...leg.evidence);
  }
  if (seen.length === 0) return null;
  return makeFinding('invalid-acao', {
    origin: input.trustedOrigin,
    message: `The trusted origin gets ${joinSeen(seen)}: browsers compare the value byte for byte with the origin they sent, so its requests fail`,
    credentials: false,
    impact: 'none',
    evidence,
  });
}

function acacInvalid(input: ResponseCheckInput): Finding | null {
  const seen: { text: string; where: string }[] = [];
  const evidence: Evidence[] = [];
  const legs: [string, Head | null, Leg][] = [
    ['GET', input.get.final, input.get],
    ['preflight', input.preflight.preflight, input.preflight],
  ];
  for (const [name, head, leg] of legs) {
    const value = header(head, ACAC);
    // `false` says what it means (no credentials); anything else that is not `true` is a slip.
    if (value === null || value === 'true' || asciiLowercase(value) === 'false') continue;
    seen.push({ text: `Access-Control-Allow-Credentials: ${value} on {where}`, where: name });
    evidence.push(...leg.evidence);
  }
  if (seen.length === 0) return null;
  return makeFinding('acac-invalid-value', {
    origin: input.trustedOrigin,
    message: `${joinSeen(seen)}: browsers accept only the exact value "true", so credentialed requests fail`,
    credentials: false,
    impact: 'none',
    evidence,
  });
}

function preflightReflects(input: ResponseCheckInput): Finding | null {
  const head = input.anyPreflight.preflight;
  if (head === null) return null;
  // The browser looks at methods and headers only once the preflight's CORS check passed.
  if (
    corsCheck(head.headers, { origin: input.trustedOrigin, credentialsInclude: false }) !== null
  ) {
    return null;
  }
  const list = (name: string) => {
    const value = header(head, name);
    const parsed = value === null ? null : parseTokenList(value);
    return parsed?.ok ? parsed.items : [];
  };
  const methods = list(ACAM);
  const headers = list(ACAH).map(asciiLowercase);
  const method = methods.includes(input.madeUp.method) || methods.includes('*');
  const anyHeader = headers.includes(input.madeUp.header) || headers.includes('*');
  if (!method && !anyHeader) return null;
  const what = method && anyHeader ? 'method and header' : method ? 'method' : 'header';
  return makeFinding('preflight-reflects-anything', {
    origin: input.trustedOrigin,
    message: `A preflight for the made-up method ${input.madeUp.method} and header ${input.madeUp.header} got Access-Control-Allow-Methods: ${header(head, ACAM) ?? '(none)'} and Access-Control-Allow-Headers: ${header(head, ACAH) ?? '(none)'}: any ${what} is approved`,
    credentials: false,
    impact: 'none',
    evidence: input.anyPreflight.evidence,
  });
}

function acahWildcardAuthorization(input: ResponseCheckInput): Finding | null {
  const leg = input.authorization;
  const result = leg?.result;
  if (leg === null || result === null || result === undefined || result.verdict !== 'allowed') {
    return null;
  }
  if (!result.warnings.some((w) => w.code === 'AUTHORIZATION_COVERED_BY_WILDCARD')) return null;
  return makeFinding('acah-wildcard-authorization', {
    origin: input.trustedOrigin,
    message: `A preflight for Authorization got Access-Control-Allow-Headers: ${leg.summary.acah ?? ''}: it passes in today's Chromium and Firefox only because they still let "*" cover Authorization, which the Fetch standard forbids`,
    credentials: false,
    impact: 'none',
    evidence: leg.evidence,
  });
}

/** Statuses that mean "something in front of the CORS handling answered OPTIONS". */
function isGatekeeperStatus(status: number): boolean {
  return status === 401 || status === 404 || status === 405 || status === 407 || status >= 500;
}

function preflightNon2xx(input: ResponseCheckInput): Finding | null {
  const head = input.preflight.preflight;
  if (head === null || isOkStatus(head.status) || isRedirectResponse(head.status, head.headers)) {
    return null;
  }
  const corsPasses =
    corsCheck(head.headers, { origin: input.trustedOrigin, credentialsInclude: false }) === null;
  // A deliberate refusal (403 without CORS headers, as corsproof and Spring answer a method they
  // do not allow) is not this; an auth layer or router answering OPTIONS in front of a CORS
  // handler that serves the GET is.
  const gatekeeper = isGatekeeperStatus(head.status) && input.get.summary.passes.omit;
  if (!corsPasses && !gatekeeper) return null;
  const detail = corsPasses
    ? 'although its CORS headers are right'
    : 'and it carries no CORS headers while the GET does: something in front of the CORS handling (authentication, routing) answers OPTIONS';
  return makeFinding('preflight-non-2xx', {
    origin: input.trustedOrigin,
    message: `The preflight for ${input.stateChanging} from the trusted origin gets ${head.status}, ${detail}; browsers require 200-299, so every preflighted request fails`,
    credentials: false,
    impact: 'none',
    // Right CORS headers on a wrong status: the server means to allow the request, and every
    // browser refuses it. Without them, the auditor cannot tell a method the endpoint was never
    // meant to take (nginx's 405 to a PUT on a static file) from a broken one: info.
    severity: corsPasses ? 'medium' : 'info',
    evidence: input.preflight.evidence,
  });
}

function preflightRedirects(input: ResponseCheckInput): Finding | null {
  const head = input.preflight.preflight;
  if (head === null || !isRedirectResponse(head.status, head.headers)) return null;
  return makeFinding('preflight-redirects', {
    origin: input.trustedOrigin,
    message: `The preflight from the trusted origin is answered with ${head.status} to ${header(head, 'location') ?? ''}: browsers never follow a redirect on a preflight, so every preflighted request fails`,
    credentials: false,
    impact: 'none',
    evidence: input.preflight.evidence,
  });
}

function redirectMissingAcao(input: ResponseCheckInput): Finding | null {
  const target = input.redirectTarget;
  if (target === null || !target.summary.passes.omit) return null;
  const hop = input.get.summary;
  return makeFinding('redirect-missing-acao', {
    origin: input.trustedOrigin,
    message: `The GET is redirected (${hop.status}) to ${hop.location ?? ''} without Access-Control-Allow-Origin; that URL allows the trusted origin itself, so only the redirect blocks the request`,
    credentials: false,
    impact: 'none',
    evidence: [...input.get.evidence, ...target.evidence],
  });
}

function maxAgeExcessive(input: ResponseCheckInput): Finding | null {
  for (const leg of [input.preflight, input.anyPreflight, input.authorization]) {
    const value = header(leg?.preflight ?? null, ACMA);
    if (leg === null || value === null || chromiumMaxAge(value).source !== 'capped') continue;
    const firefox =
      Number(value) > FIREFOX_MAX_AGE_LIMIT
        ? ` and Firefox at ${FIREFOX_MAX_AGE_LIMIT}`
        : ` (Firefox honours up to ${FIREFOX_MAX_AGE_LIMIT})`;
    return makeFinding('max-age-excessive', {
      origin: input.trustedOrigin,
      message: `Access-Control-Max-Age: ${value}; WebKit caps preflight caching at ${WEBKIT_MAX_AGE_LIMIT} seconds, Chromium at ${CHROMIUM_MAX_AGE_LIMIT}${firefox}`,
      credentials: false,
      impact: 'none',
      evidence: leg.evidence,
    });
  }
  return null;
}

/**
 * Every finding about the trusted origin's own answers.
 *
 * @example
 * responseFindings({ trustedOrigin, url, stateChanging, noOrigin, get, preflight, ... })
 * // [{ id: 'missing-vary-origin', ... }]
 */
export function responseFindings(input: ResponseCheckInput): Finding[] {
  return [
    wildcard(input),
    invalidAcao(input),
    acacInvalid(input),
    missingVaryOrigin(input),
    preflightReflects(input),
    acahWildcardAuthorization(input),
    preflightNon2xx(input),
    preflightRedirects(input),
    redirectMissingAcao(input),
    maxAgeExcessive(input),
  ].filter((f): f is Finding => f !== null);
}
