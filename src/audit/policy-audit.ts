/**
 * The static auditor: the same finding ids as the network auditor, computed from a corsproof
 * policy without sending anything, so a configuration can be checked in CI before deployment.
 * Two passes: the configured entries are read for risky kinds of trust (loopback, http:, whole
 * subdomain trees, any port, shared hosting), and the crafted origins are run through the compiled
 * policy's own `decide`, which also covers predicates.
 */
import type { CorsPolicy } from '../policy/compile.js';
import type { Decision } from '../policy/decision.js';
import type { CorsRequest } from '../policy/options.js';
import { isLoopbackHost, type ParsedOriginSpec } from '../policy/origin-pattern.js';
import { isPublicSuffix } from '../policy/validate.js';
import { type Finding, type FindingId, makeFinding, sortFindings } from './findings.js';
import { deriveProbes } from './probes.js';

/** Hosts where anyone can publish script, beyond the public-suffix list's private section. */
const SHARED_HOSTING = new Set([
  'codepen.io',
  's.codepen.io',
  'jsfiddle.net',
  'fiddle.jshell.net',
  'jsbin.com',
  'repl.it',
]);

export interface PolicyAuditOptions {
  /**
   * Origins the policy is meant to trust, used to derive crafted origins. Default: the policy's
   * exact origins (required for a predicate policy).
   */
  readonly trustedOrigins?: readonly string[];
  readonly random?: () => string;
}

function specText(spec: ParsedOriginSpec): string {
  return spec.kind === 'exact' ? spec.serialized : spec.canonical;
}

/**
 * Whether one origin serves many people's script. A single site under a private-section suffix
 * (someone.github.io) belongs to one owner, so it is not counted; a wildcard over such a suffix is
 * (see `isPublicSuffix` above).
 */
function isSharedHosting(host: string): boolean {
  return SHARED_HOSTING.has(host);
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
    if (isPublicSuffix(spec.host)) {
      add(
        'third-party-origin-trusted',
        `origins lists ${JSON.stringify(text)}: every site under the public suffix "${spec.host}"`,
      );
    } else
      add(
        'any-subdomain-trusted',
        `origins lists ${JSON.stringify(text)}: every subdomain of ${spec.host}`,
      );
  }
  if (spec.kind === 'pattern' && spec.port === '*' && !loopback) {
    add('any-port-trusted', `origins lists ${JSON.stringify(text)}: any port on ${spec.host}`);
  }
  if (!loopback && isSharedHosting(spec.host)) {
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

  // Crafted origins through the policy's own decision function.
  const trusted =
    options.trustedOrigins ??
    (Array.isArray(origins)
      ? origins.flatMap((s) => (s.kind === 'exact' ? [s.serialized] : []))
      : []);
  if (typeof origins === 'function' && trusted.length === 0) {
    throw new TypeError(
      'corsproof: a policy whose origins is a predicate needs trustedOrigins to derive crafted origins from',
    );
  }
  if (origins !== '*') {
    const seen = new Set<string>();
    for (const t of trusted.slice(0, 5)) {
      for (const probe of deriveProbes({
        trustedOrigin: t,
        ...(options.random ? { random: options.random } : {}),
      })) {
        if (seen.has(probe.origin)) continue;
        seen.add(probe.origin);
        const read: CorsRequest = { method: 'GET', origin: probe.origin };
        const send: CorsRequest = {
          method: 'OPTIONS',
          origin: probe.origin,
          requestMethod: 'PUT',
          requestHeaders: 'content-type',
        };
        const [r, s] = await Promise.all([policy.decide(read), policy.decide(send)]);
        if (!allows(r) && !allows(s)) continue;
        // A configured entry already explains this trust; the probe only confirms it.
        if (findings.some((f) => f.id === probe.id)) continue;
        findings.push(
          makeFinding(probe.id, {
            origin: probe.origin,
            message: `the policy allows ${JSON.stringify(probe.origin)} (${probe.note})${allows(r) ? '' : ' to send state-changing requests'}`,
            credentials,
            impact: allows(r) ? 'read' : 'send',
          }),
        );
      }
    }
  }
  return sortFindings(findings);
}
