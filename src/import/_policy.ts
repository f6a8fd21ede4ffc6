/**
 * What every reader fills in (a draft with the library's defaults applied) and how a draft becomes
 * corsproof options: safelisted methods left out, header names lower-cased, origins checked one
 * by one, and the one combination corsproof refuses (any origin with credentials) made stricter.
 */

import type { CorsOptions, PolicyFileEntry } from 'corsproof';
import { parseOriginSpec } from 'corsproof';
import { originsOfRegex, type RegexMatching } from './_regex-origins.js';
import type { Report } from './findings.js';

export interface DraftPolicy {
  /** `'*'`: any origin, whether the server sends `*` or reflects the Origin header. */
  origins: '*' | string[];
  /** Whether any origin is answered by echoing Origin rather than `*` (matters with credentials). */
  reflectsAnyOrigin: boolean;
  credentials: boolean;
  methods: '*' | string[];
  requestHeaders: '*' | string[];
  exposeHeaders: '*' | string[];
  maxAge: number | null;
  privateNetwork: boolean;
  /** What an accepted preflight is answered with. */
  preflightStatus: number;
}

export function emptyDraft(): DraftPolicy {
  return {
    origins: [],
    reflectsAnyOrigin: false,
    credentials: false,
    methods: [],
    requestHeaders: [],
    exposeHeaders: [],
    maxAge: null,
    privateNetwork: false,
    preflightStatus: 204,
  };
}

/** https://fetch.spec.whatwg.org/#cors-safelisted-method: always allowed, never listed. */
const SAFELISTED_METHODS = new Set(['GET', 'HEAD', 'POST']);

/** Adds exact origins as written in the configuration; `null` and malformed ones are reported. */
export function addExactOrigins(
  draft: DraftPolicy,
  origins: readonly string[],
  report: Report,
  line?: number,
): void {
  for (const origin of origins) {
    if (origin === '*') {
      draft.origins = '*';
      continue;
    }
    if (origin === 'null') {
      report.finding(
        'null-origin-trusted',
        draft.credentials ? 'high' : 'medium',
        'the origin "null" is allowed: sandboxed iframes and data: URLs of any site send it; left out',
        line,
      );
      continue;
    }
    const spec = parseOriginSpec(origin);
    if (!spec.ok) {
      report.note(
        `${JSON.stringify(origin)} is not an origin a browser sends (${spec.problem.kind}); left out`,
      );
      continue;
    }
    const canonical = spec.spec.kind === 'exact' ? spec.spec.serialized : spec.spec.canonical;
    if (canonical !== origin && spec.spec.kind === 'exact') {
      report.note(`${JSON.stringify(origin)} is written as browsers send it: ${canonical}`);
    }
    if (draft.origins !== '*' && !draft.origins.includes(canonical)) draft.origins.push(canonical);
  }
}

/** Adds what an origin regular expression certainly allows; reports what else it matches. */
export function addRegexOrigins(
  draft: DraftPolicy,
  source: string,
  matching: RegexMatching,
  report: Report,
  line?: number,
): void {
  const result = originsOfRegex(source, matching);
  for (const problem of result.problems) {
    const raised = problem.severity === 'medium' && draft.credentials ? 'high' : problem.severity;
    report.finding(problem.id, raised, problem.message, line);
  }
  for (const note of result.notes) report.note(note);
  if (draft.origins !== '*') {
    for (const origin of result.origins)
      if (!draft.origins.includes(origin)) draft.origins.push(origin);
  }
}

/**
 * A list holding `*` means "any" only without credentials
 * (https://fetch.spec.whatwg.org/#http-new-header-syntax); with them it names nothing a browser
 * sends, so it is dropped.
 */
function wildcard<T extends string>(
  items: '*' | readonly T[],
  credentials: boolean,
  what: string,
  report: Report,
): '*' | readonly T[] {
  if (items === '*' || !items.includes('*' as T)) return items;
  if (!credentials) return '*';
  report.note(`"*" in ${what} is a literal name when credentials are allowed, not "any"; left out`);
  return items.filter((i) => i !== '*');
}

function headerNames(names: '*' | readonly string[]): '*' | string[] {
  if (names === '*') return '*';
  const out: string[] = [];
  for (const name of names) {
    const lower = name.trim().toLowerCase();
    if (lower !== '' && !out.includes(lower)) out.push(lower);
  }
  return out;
}

/**
 * The corsproof options of a draft, or `false` (no CORS) when no origin could be proven allowed.
 * Defaults of corsproof are left out, so the file says only what differs from them.
 */
export function toOptions(
  draft: DraftPolicy,
  report: Report,
  where = 'the policy',
): PolicyFileEntry {
  let credentials = draft.credentials;
  if (draft.origins === '*' && draft.reflectsAnyOrigin) {
    report.finding(
      'origin-reflected-any',
      credentials ? 'high' : 'medium',
      `${where} echoes any Origin back${credentials ? ' with credentials: every site can read responses as the signed-in user' : ''}`,
    );
  }
  if (draft.origins === '*' && credentials) {
    credentials = false;
    report.note(
      `${where} allows any origin with credentials, which corsproof refuses; imported as any origin without credentials. List the trusted origins and set "credentials": true instead`,
    );
  }
  const listedMethods = wildcard(draft.methods, credentials, 'the methods', report);
  const methods =
    listedMethods === '*'
      ? '*'
      : [
          ...new Set(
            listedMethods
              .map((m) => m.trim())
              .filter((m) => m !== '' && !SAFELISTED_METHODS.has(m)),
          ),
        ];
  const requestHeaders = headerNames(
    wildcard(draft.requestHeaders, credentials, 'the request headers', report),
  );
  const exposeHeaders = headerNames(
    wildcard(draft.exposeHeaders, credentials, 'the exposed headers', report),
  );
  if (draft.origins !== '*' && draft.origins.length === 0) {
    report.note(`${where} allows no origin the importer could prove; imported as no CORS (false)`);
    return false;
  }
  const options: CorsOptions = {
    origins: draft.origins,
    ...(credentials && { credentials: true }),
    ...((methods === '*' || methods.length > 0) && { methods }),
    ...((requestHeaders === '*' || requestHeaders.length > 0) && { requestHeaders }),
    ...((exposeHeaders === '*' || exposeHeaders.length > 0) && { exposeHeaders }),
    ...(draft.maxAge !== null && { maxAge: draft.maxAge }),
    ...(draft.privateNetwork && { privateNetwork: true }),
    ...(draft.preflightStatus !== 204 && { preflightStatus: draft.preflightStatus }),
  };
  return options;
}

/** A policy as a whole file: `false` alone is no file, so it becomes `{ "default": false }`. */
export function asDocument(entry: PolicyFileEntry): CorsOptions | { readonly default: false } {
  return entry === false ? { default: false } : entry;
}
