/**
 * The static auditor: the same finding ids as the network auditor, computed from a corsproof
 * policy without sending anything, so a configuration can be checked in CI before deployment.
 * Two passes: the configured entries are read for risky kinds of trust (loopback, http:, whole
 * subdomain trees, any port, shared hosting), and the crafted origins are run through the compiled
 * policy's own `decide` (which also covers predicates) and classified exactly as the network
 * auditor classifies the answers of a live endpoint.
 */
import type { CorsPolicy, CorsRequest, Decision, ParsedOriginSpec } from 'corsproof';
import { isLoopbackHost, isPublicSuffix } from 'corsproof/spec';
import { classifyProbes, type ProbeVerdict } from './classify.js';
import {
  type Evidence,
  type Finding,
  type FindingId,
  makeFinding,
  sortFindings,
} from './findings.js';
import { deriveProbes, isCrossSite, SHARED_HOSTING, trustedParts } from './probes.js';

export interface PolicyAuditOptions {
  /**
   * Origins the policy is meant to trust, used to derive crafted origins (the first five count).
   * Default: the policy's exact origins (required for a predicate policy).
   */
  readonly trustedOrigins?: readonly string[];
  readonly random?: () => string;
  /** What the evidence names as the request URL: the policy file, say. Default `(policy)`. */
  readonly target?: string;
}

/** The state-changing request the preflights stand for, as in the network auditor. */
const STATE_CHANGING = 'PUT with Content-Type: application/json';
const DANGEROUS_METHODS = ['PUT', 'DELETE', 'PATCH'];

function specText(spec: ParsedOriginSpec): string {
  return spec.kind === 'exact' ? spec.serialized : spec.canonical;
}

function entryFindings(spec: ParsedOriginSpec, credentials: boolean): Finding[] {
  const out: Finding[] = [];
  const text = specText(spec);
  const add = (id: FindingId, message: string) =>
    out.push(makeFinding(id, { origin: text, message, credentials, impact: 'read' }));
  const loopback = isLoopbackHost(spec.host);
  if (loopback)
    add('dev-origin-trusted', `origins lists ${JSON.stringify(text)}, a local development origin`);
  else if (spec.scheme === 'http')
    add('insecure-scheme-trusted', `origins lists ${JSON.stringify(text)}, an http: origin`);
  if (spec.kind === 'pattern' && spec.anySubdomain) {
    // A wildcard over a public suffix (`https://*.github.io`) is everyone's site, not yours.
    if (isPublicSuffix(spec.host)) {
      add(
        'third-party-origin-trusted',
        `origins lists ${JSON.stringify(text)}: every site under the public suffix "${spec.host}"`,
      );
    } else {
      add(
        'any-subdomain-trusted',
        `origins lists ${JSON.stringify(text)}: every subdomain of ${spec.host}`,
      );
    }
  }
  if (spec.kind === 'pattern' && spec.port === '*' && !loopback) {
    add('any-port-trusted', `origins lists ${JSON.stringify(text)}: any port on ${spec.host}`);
  }
  // A single site under a private-section suffix (someone.github.io) has one owner, so only the
  // shared-hosting hosts count here.
  if (!loopback && SHARED_HOSTING.has(spec.host)) {
    add(
      'third-party-origin-trusted',
      `origins lists ${JSON.stringify(text)}, a platform anyone can publish script on`,
    );
  }
  return out;
}

function allows(decision: Decision): boolean {
  return decision.kind === 'actual-allowed' || decision.kind === 'preflight-accepted';
}

/** The decision as the exchange it stands for, so static findings carry evidence too. */
function decisionEvidence(target: string, request: CorsRequest, decision: Decision): Evidence {
  const sent: [string, string][] = [];
  if (request.origin !== undefined) sent.push(['Origin', request.origin]);
  if (request.requestMethod !== undefined)
    sent.push(['Access-Control-Request-Method', request.requestMethod]);
  if (request.requestHeaders !== undefined)
    sent.push(['Access-Control-Request-Headers', request.requestHeaders]);
  const status = 'status' in decision ? decision.status : 200;
  const headers: [string, string][] = decision.headers.map(([n, v]) => [n, v]);
  if (decision.vary !== null) headers.push(['vary', decision.vary]);
  return {
    label: `${request.method === 'OPTIONS' ? 'preflight' : request.method} from ${request.origin ?? '(no Origin)'}, decided by the policy`,
    request: { method: request.method, url: target, headers: sent },
    response: { status, headers },
  };
}

function preflightFor(origin: string, method: string, requestHeaders?: string): CorsRequest {
  return {
    method: 'OPTIONS',
    origin,
    requestMethod: method,
    ...(requestHeaders === undefined ? {} : { requestHeaders }),
  };
}

/**
 * Audits a compiled policy without network access.
 *
 * @example
 * const findings = await auditPolicy(compilePolicy({ origins: ['https://*.example.com'], credentials: true }));
 * findings[0].id // 'any-subdomain-trusted'
 */
export async function auditPolicy(
  policy: CorsPolicy,
  options: PolicyAuditOptions = {},
): Promise<Finding[]> {
  const config = policy.config;
  const findings: Finding[] = [];
  const credentials = config.credentials;
  const origins = config.origins;
  const target = options.target ?? '(policy)';

  if (origins === '*') {
    findings.push(
      makeFinding('wildcard-origin', {
        origin: '*',
        message: 'origins is "*": every site can read these responses (fine for public data only)',
        credentials: false,
        impact: 'read',
      }),
    );
  } else if (typeof origins !== 'function') {
    for (const spec of origins) findings.push(...entryFindings(spec, credentials));
  }
  if (config.maxAge !== null && config.maxAge > 7200) {
    findings.push(
      makeFinding('max-age-excessive', {
        origin: '',
        message: `maxAge is ${config.maxAge}; Chromium caps preflight caching at 7200 seconds`,
        credentials: false,
      }),
    );
  }
  if (config.methods === '*' || config.requestHeaders === '*') {
    const what = [
      config.methods === '*' ? 'methods' : '',
      config.requestHeaders === '*' ? 'requestHeaders' : '',
    ]
      .filter(Boolean)
      .join(' and ');
    findings.push(
      makeFinding('preflight-reflects-anything', {
        origin: '',
        message: `${what} ${what.includes(' and ') ? 'are' : 'is'} "*": preflights approve whatever they ask for`,
        credentials: false,
      }),
    );
  }
  if (origins === '*') return sortFindings(findings);

  const trusted =
    options.trustedOrigins ??
    (Array.isArray(origins)
      ? origins.flatMap((s) => (s.kind === 'exact' ? [s.serialized] : []))
      : []);
  if (typeof origins === 'function' && trusted.length === 0) {
    throw new TypeError(
      'corsproof: a policy whose origins is a predicate needs the origin it should trust to derive crafted origins from: pass trustedOrigins (on the command line, --origin)',
    );
  }
  const configured = new Set(findings.map((f) => f.id));
  const seen = new Set<string>();
  for (const t of trusted.slice(0, 5)) {
    const parts = trustedParts(t);
    const verdicts: ProbeVerdict[] = [];
    for (const probe of deriveProbes({
      trustedOrigin: t,
      ...(options.random ? { random: options.random } : {}),
    })) {
      if (seen.has(probe.origin)) continue;
      seen.add(probe.origin);
      const read: CorsRequest = { method: 'GET', origin: probe.origin };
      const send = preflightFor(probe.origin, 'PUT', 'content-type');
      const [r, s] = await Promise.all([policy.decide(read), policy.decide(send)]);
      // corsproof never answers `*` with credentials, so an allowed origin is a credentialed one.
      verdicts.push({
        probe,
        read: allows(r),
        readCredentials: allows(r) && credentials,
        send: allows(s),
        sendCredentials: allows(s) && credentials,
        evidence: [
          ...(allows(r) ? [decisionEvidence(target, read, r)] : []),
          ...(allows(s) ? [decisionEvidence(target, send, s)] : []),
        ],
      });
    }
    // A configured entry already explains its kind of trust; the probe would only confirm it.
    const crafted = classifyProbes(verdicts, { trustedOrigin: t, stateChanging: STATE_CHANGING });
    findings.push(...crafted.filter((f) => !configured.has(f.id)));
    const dangerous = await dangerousMethods(policy, crafted, parts, target, credentials);
    if (dangerous !== null) findings.push(dangerous);
  }
  return sortFindings(findings);
}

/** As the network auditor: the state-changing methods the first cross-site finding's origin may send. */
async function dangerousMethods(
  policy: CorsPolicy,
  crafted: readonly Finding[],
  parts: ReturnType<typeof trustedParts>,
  target: string,
  credentials: boolean,
): Promise<Finding | null> {
  const first = sortFindings(crafted).find((f) => isCrossSite(f.origin, parts));
  if (first === undefined) return null;
  const accepted: { method: string; evidence: Evidence }[] = [];
  for (const method of DANGEROUS_METHODS) {
    const request = preflightFor(first.origin, method);
    const decision = await policy.decide(request);
    if (allows(decision)) {
      accepted.push({ method, evidence: decisionEvidence(target, request, decision) });
    }
  }
  if (accepted.length === 0) return null;
  const methods = accepted.map((a) => a.method).join(', ');
  return makeFinding('dangerous-methods-allowed', {
    origin: first.origin,
    message: `the policy accepts preflights from ${first.origin} for ${methods}${credentials ? ' with credentials' : ''}: a page there makes the browser send them${credentials ? " with the user's cookies" : ''}`,
    credentials,
    impact: 'send',
    evidence: accepted.map((a) => a.evidence),
  });
}
