/**
 * Checks CorsOptions and turns them into a normalized configuration, collecting every problem.
 * Nothing here runs per request.
 */
import { asciiLowercase, isToken } from '../spec/http-grammar.js';
import { isForbiddenMethod, normalizeMethod } from '../spec/methods.js';
import {
  isForbiddenRequestHeaderName,
  isForbiddenResponseHeaderName,
  isSafelistedResponseHeaderName,
} from '../spec/request-headers.js';
import { isLoopbackHost } from '../spec/secure-context.js';
import { isPublicSuffix } from '../spec/site.js';
import { type DecisionLog, normalizeDecisionLog } from './decision-log-options.js';
import type { CorsConfigCode, CorsConfigIssue } from './errors.js';
import type { CorsLogger, CorsOptions, OriginPredicate } from './options.js';
import { OPTION_KEYS } from './options.js';
import { type ParsedOriginSpec, parseOriginSpec } from './origin-pattern.js';

/** The configuration after validation: defaults filled in, names normalized, lists de-duplicated. */
export interface NormalizedConfig {
  readonly origins: '*' | readonly ParsedOriginSpec[] | OriginPredicate;
  readonly credentials: boolean;
  readonly methods: '*' | readonly string[];
  /** Lower-cased. */
  readonly requestHeaders: '*' | readonly string[];
  readonly exposeHeaders: '*' | readonly string[];
  readonly maxAge: number | null;
  readonly privateNetwork: boolean;
  readonly preflightStatus: number;
  readonly logger: CorsLogger | null;
  /** The decision log, or null when `onDecision` is unset. */
  readonly decisionLog: DecisionLog | null;
}

/** Names people reach for from other libraries, mapped to ours. */
const ALIASES: Readonly<Record<string, keyof CorsOptions>> = {
  origin: 'origins',
  allowedorigins: 'origins',
  alloworigins: 'origins',
  alloworigin: 'origins',
  allowcredentials: 'credentials',
  supportscredentials: 'credentials',
  allowmethods: 'methods',
  allowedmethods: 'methods',
  allowheaders: 'requestHeaders',
  allowedheaders: 'requestHeaders',
  headers: 'requestHeaders',
  exposedheaders: 'exposeHeaders',
  exposeheaders: 'exposeHeaders',
  maxage: 'maxAge',
  maxageseconds: 'maxAge',
  optionssuccessstatus: 'preflightStatus',
  privatenetworkaccess: 'privateNetwork',
  allowprivatenetwork: 'privateNetwork',
};

class IssueList {
  readonly issues: CorsConfigIssue[] = [];
  add(code: CorsConfigCode, path: string, value: unknown, reason: string, fix: string): void {
    this.issues.push({ code, path, value, reason, fix });
  }
}

function isStringArray(v: unknown): v is readonly string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function checkOrigins(
  value: unknown,
  credentials: boolean,
  options: CorsOptions,
  out: IssueList,
): NormalizedConfig['origins'] {
  if (value === undefined) {
    out.add(
      'ORIGINS_MISSING',
      'origins',
      value,
      'no origins are given, and corsproof has no default on purpose',
      'list the origins that may call this API, e.g. origins: ["https://app.example.com"]',
    );
    return [];
  }
  if (typeof value === 'function') return value as OriginPredicate;
  if (value === '*') {
    if (credentials) {
      out.add(
        'WILDCARD_ORIGIN_WITH_CREDENTIALS',
        'origins',
        value,
        'browsers refuse "Access-Control-Allow-Origin: *" on requests with credentials, and reflecting every origin instead would let any site act as the signed-in user',
        'list the origins that may send credentials, or set credentials: false for public data',
      );
    }
    return '*';
  }
  if (!isStringArray(value)) {
    out.add(
      'INVALID_TYPE',
      'origins',
      value,
      'origins must be an array of origin strings, "*", or a function returning a boolean',
      'write origins: ["https://app.example.com"]',
    );
    return [];
  }
  if (value.length === 0) {
    out.add(
      'ORIGINS_EMPTY',
      'origins',
      value,
      'an empty list allows no origin, so the policy would refuse every CORS request',
      'list at least one origin, or leave this route without CORS',
    );
  }
  const specs: ParsedOriginSpec[] = [];
  const seen = new Map<string, number>();
  value.forEach((entry, i) => {
    const path = `origins[${i}]`;
    if (entry === '*') {
      out.add(
        'ORIGIN_WILDCARD_IN_LIST',
        path,
        entry,
        '"*" inside a list is ambiguous',
        'use origins: "*" (without the list) to allow every origin',
      );
      return;
    }
    const parsed = parseOriginSpec(entry);
    if (!parsed.ok) {
      reportOriginProblem(parsed.problem, path, entry, out);
      return;
    }
    const spec = parsed.spec;
    const key = spec.kind === 'exact' ? spec.serialized : spec.canonical;
    const first = seen.get(key);
    if (first !== undefined) {
      out.add(
        'ORIGIN_DUPLICATE',
        path,
        entry,
        `the same origin as origins[${first}] (${JSON.stringify(key)})`,
        'remove one of them',
      );
      return;
    }
    seen.set(key, i);
    specs.push(spec);
    if (!credentials) return;
    if (
      spec.scheme === 'http' &&
      !isLoopbackHost(spec.host) &&
      !options.dangerouslyAllowInsecureOrigins
    ) {
      out.add(
        'INSECURE_ORIGIN_WITH_CREDENTIALS',
        path,
        entry,
        "an http: origin can be impersonated by anyone on the network path, and credentials: true would hand it the user's session",
        `use ${JSON.stringify(key.replace(/^http:/, 'https:'))}, or set dangerouslyAllowInsecureOrigins: true if you accept the risk`,
      );
    }
    if (
      spec.kind === 'pattern' &&
      spec.anySubdomain &&
      // The opt-out first: the edge build cannot answer isPublicSuffix, and has no need to here.
      !options.dangerouslyAllowPublicSuffixWildcards &&
      isPublicSuffix(spec.host)
    ) {
      out.add(
        'PUBLIC_SUFFIX_WILDCARD_WITH_CREDENTIALS',
        path,
        entry,
        `"${spec.host}" is a public suffix, so anyone can register a site under it and send credentialed requests`,
        'list the exact origins you trust, or set dangerouslyAllowPublicSuffixWildcards: true if you accept the risk',
      );
    }
  });
  return specs;
}

function reportOriginProblem(
  problem: import('./origin-pattern.js').OriginSpecProblem,
  path: string,
  entry: string,
  out: IssueList,
): void {
  switch (problem.kind) {
    case 'null':
      out.add(
        'ORIGIN_NULL',
        path,
        entry,
        'the "null" origin is shared by every sandboxed iframe, data: URL and redirected request, so allowing it allows any site',
        'remove it; serve the caller from a real origin',
      );
      return;
    case 'not-ascii':
      out.add(
        'ORIGIN_NOT_ASCII',
        path,
        entry,
        'browsers send internationalized hosts in their punycode (xn--) form, so this entry could never match',
        `write the host in punycode, e.g. ${JSON.stringify(punycodeHint(entry))}`,
      );
      return;
    case 'default-port':
      out.add(
        'ORIGIN_DEFAULT_PORT',
        path,
        entry,
        'browsers never send the default port in Origin, so this entry could never match as written',
        `write ${JSON.stringify(problem.canonical)}`,
      );
      return;
    case 'not-canonical':
      out.add(
        'ORIGIN_NOT_CANONICAL',
        path,
        entry,
        'browsers send this host in another form, so this entry could never match as written',
        `write ${JSON.stringify(problem.canonical)}`,
      );
      return;
    case 'bad-pattern':
      out.add(
        'ORIGIN_PATTERN_INVALID',
        path,
        entry,
        problem.detail,
        'write https://*.example.com or http://localhost:*',
      );
      return;
    case 'invalid':
      out.add(
        'ORIGIN_INVALID',
        path,
        entry,
        `not an origin: ${problem.detail}`,
        'write only scheme, host and optional port, as browsers send it: "https://app.example.com" or "http://localhost:3000"',
      );
      return;
  }
}

function punycodeHint(entry: string): string {
  try {
    const url = new URL(entry.replace('://*.', '://x.'));
    return url.origin;
  } catch {
    return 'https://xn--...';
  }
}

/** A refusal of one list entry that is a valid token. */
interface EntryRefusal {
  readonly code: CorsConfigCode;
  readonly reason: string;
  readonly fix: string;
}

/** How one of the name lists (methods, request headers, expose headers) is checked. */
interface NameListRules {
  readonly key: 'methods' | 'requestHeaders' | 'exposeHeaders';
  /** What an entry is, for messages: "method", "header". */
  readonly noun: string;
  readonly example: string;
  readonly invalidCode: CorsConfigCode;
  readonly duplicateCode: CorsConfigCode;
  /** The form entries are compared and stored in. */
  readonly normalize: (name: string) => string;
  /** Refusals beyond grammar and duplicates. */
  readonly refuse: (name: string) => EntryRefusal | null;
}

/**
 * The shared shape of the three name lists: absent means none, `'*'` means any, anything else must
 * be an array of tokens, each valid, allowed and listed once (after normalization).
 */
function checkNameList(value: unknown, rules: NameListRules, out: IssueList): '*' | string[] {
  const { key, noun, example } = rules;
  if (value === undefined) return [];
  if (value === '*') return '*';
  if (!isStringArray(value)) {
    out.add(
      'INVALID_TYPE',
      key,
      value,
      `${key} must be an array of ${noun} names or "*"`,
      `write ${key}: ${example}`,
    );
    return [];
  }
  const names: string[] = [];
  value.forEach((entry, i) => {
    const path = `${key}[${i}]`;
    if (entry === '*') {
      out.add(
        'WILDCARD_IN_LIST',
        path,
        entry,
        '"*" inside a list is ambiguous',
        `use ${key}: "*" (without the list)`,
      );
      return;
    }
    if (!isToken(entry)) {
      out.add(
        rules.invalidCode,
        path,
        entry,
        `not a ${noun} name (an HTTP token)`,
        `write ${key}: ${example}`,
      );
      return;
    }
    const refused = rules.refuse(entry);
    if (refused !== null) {
      out.add(refused.code, path, entry, refused.reason, refused.fix);
      return;
    }
    const normalized = rules.normalize(entry);
    if (names.includes(normalized)) {
      out.add(
        rules.duplicateCode,
        path,
        entry,
        `${normalized} is listed twice`,
        'remove one of them',
      );
    } else names.push(normalized);
  });
  return names;
}

const METHOD_RULES: NameListRules = {
  key: 'methods',
  noun: 'method',
  example: '["PUT", "DELETE"]',
  invalidCode: 'METHOD_INVALID',
  duplicateCode: 'METHOD_DUPLICATE',
  // Browsers upper-case only the six standard methods; `patch` stays `patch` (Fetch "normalize").
  normalize: normalizeMethod,
  refuse: (m) =>
    isForbiddenMethod(m)
      ? {
          code: 'METHOD_FORBIDDEN',
          reason: 'browsers never send CONNECT, TRACE or TRACK from script',
          fix: 'remove it',
        }
      : null,
};

const REQUEST_HEADER_RULES: NameListRules = {
  key: 'requestHeaders',
  noun: 'header',
  example: '["Content-Type", "Authorization"]',
  invalidCode: 'REQUEST_HEADER_INVALID',
  duplicateCode: 'REQUEST_HEADER_DUPLICATE',
  normalize: asciiLowercase,
  refuse: (h) =>
    isForbiddenRequestHeaderName(h) || asciiLowercase(h).startsWith('access-control-')
      ? {
          code: 'REQUEST_HEADER_FORBIDDEN',
          reason: 'browsers never let script send this header, so allowing it has no effect',
          fix: 'remove it',
        }
      : null,
};

const EXPOSE_HEADER_RULES: NameListRules = {
  key: 'exposeHeaders',
  noun: 'header',
  example: '["X-Request-Id"]',
  invalidCode: 'EXPOSE_HEADER_INVALID',
  duplicateCode: 'EXPOSE_HEADER_DUPLICATE',
  normalize: asciiLowercase,
  refuse: (h) => {
    if (isForbiddenResponseHeaderName(h)) {
      return {
        code: 'EXPOSE_HEADER_FORBIDDEN',
        reason: 'browsers never let script read Set-Cookie',
        fix: 'remove it',
      };
    }
    if (isSafelistedResponseHeaderName(h)) {
      return {
        code: 'EXPOSE_HEADER_SAFELISTED',
        reason: 'script can always read this header, so listing it has no effect',
        fix: 'remove it',
      };
    }
    return null;
  },
};

function checkExposeHeaders(
  value: unknown,
  credentials: boolean,
  out: IssueList,
): NormalizedConfig['exposeHeaders'] {
  if (value === '*' && credentials) {
    out.add(
      'EXPOSE_WILDCARD_WITH_CREDENTIALS',
      'exposeHeaders',
      value,
      'on requests with credentials browsers read "*" as a header literally named "*", so it would expose nothing',
      'list the response headers script may read',
    );
  }
  return checkNameList(value, EXPOSE_HEADER_RULES, out);
}

function checkBoolean(
  options: Record<string, unknown>,
  key: keyof CorsOptions,
  out: IssueList,
): boolean {
  const v = options[key];
  if (v === undefined) return false;
  if (typeof v !== 'boolean') {
    out.add('INVALID_TYPE', key, v, `${key} must be true or false`, `write ${key}: true`);
    return false;
  }
  return v;
}

function closestOption(key: string): keyof CorsOptions | undefined {
  const folded = key.toLowerCase().replace(/[-_]/g, '');
  const alias = ALIASES[folded];
  if (alias !== undefined) return alias;
  return OPTION_KEYS.find((k) => k.toLowerCase() === folded);
}

/** Validates `options`; returns the normalized configuration, or the problems found. */
export function validateOptions(
  input: unknown,
): { ok: true; config: NormalizedConfig } | { ok: false; issues: CorsConfigIssue[] } {
  const out = new IssueList();
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    out.add(
      'OPTIONS_NOT_OBJECT',
      '',
      input,
      'the CORS options must be an object',
      'pass { origins: ["https://app.example.com"] }',
    );
    return { ok: false, issues: out.issues };
  }
  const raw = input as Record<string, unknown>;
  const options = input as CorsOptions;
  for (const key of Object.keys(raw)) {
    if ((OPTION_KEYS as readonly string[]).includes(key)) continue;
    const near = closestOption(key);
    out.add(
      'UNKNOWN_OPTION',
      key,
      raw[key],
      'corsproof has no such option',
      near === undefined ? `use one of: ${OPTION_KEYS.join(', ')}` : `did you mean ${near}?`,
    );
  }
  const credentials = checkBoolean(raw, 'credentials', out);
  const privateNetwork = checkBoolean(raw, 'privateNetwork', out);
  checkBoolean(raw, 'dangerouslyAllowInsecureOrigins', out);
  checkBoolean(raw, 'dangerouslyAllowPublicSuffixWildcards', out);
  const origins = checkOrigins(raw.origins, credentials, options, out);
  const methods = checkNameList(raw.methods, METHOD_RULES, out);
  const requestHeaders = checkNameList(raw.requestHeaders, REQUEST_HEADER_RULES, out);
  const exposeHeaders = checkExposeHeaders(raw.exposeHeaders, credentials, out);

  let maxAge: number | null = null;
  if (raw.maxAge !== undefined) {
    const v = raw.maxAge;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 86400) {
      out.add(
        'MAX_AGE_INVALID',
        'maxAge',
        v,
        'maxAge must be a whole number of seconds from 0 to 86400 (browsers cap it: Chromium at 7200, Firefox at 86400)',
        'write maxAge: 7200',
      );
    } else maxAge = v;
  }
  let preflightStatus = 204;
  if (raw.preflightStatus !== undefined) {
    const v = raw.preflightStatus;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 200 || v > 299) {
      out.add(
        'PREFLIGHT_STATUS_INVALID',
        'preflightStatus',
        v,
        'browsers fail a preflight whose status is not from 200 to 299',
        'write preflightStatus: 204 (or 200 for very old clients)',
      );
    } else preflightStatus = v;
  }
  let logger: CorsLogger | null = null;
  const debug = raw.debug;
  if (debug === true) logger = console;
  else if (
    typeof debug === 'object' &&
    debug !== null &&
    typeof (debug as CorsLogger).warn === 'function'
  ) {
    logger = debug as CorsLogger;
  } else if (debug !== undefined && debug !== false) {
    out.add(
      'INVALID_TYPE',
      'debug',
      debug,
      'debug must be true, false, or an object with a warn(message) method',
      'write debug: true',
    );
  }

  const decisionLog = normalizeDecisionLog(raw.onDecision);
  if (!decisionLog.ok) {
    out.add(
      'INVALID_TYPE',
      'onDecision',
      raw.onDecision,
      decisionLog.reason,
      'write onDecision: (event) => logger.info(event), or onDecision: { listener, sample: { allowed: 0.01 } }',
    );
  }

  if (out.issues.length > 0 || !decisionLog.ok) return { ok: false, issues: out.issues };
  return {
    ok: true,
    config: {
      origins,
      credentials,
      methods,
      requestHeaders,
      exposeHeaders,
      maxAge,
      privateNetwork,
      preflightStatus,
      logger,
      decisionLog: decisionLog.log,
    },
  };
}
