/**
 * The compiled form of an `origins` list: exact origins in a hash set, patterns in hash maps keyed
 * by host, so a lookup costs the same with 1 or 10,000 entries (a few hash probes, one per label
 * of the request's host), and no regular expression is ever built from configuration.
 */
import { parseSerializedOrigin } from '../spec/origin.js';
import type { ParsedOriginSpec } from './origin-pattern.js';

type PortRule = number | null | '*';

export type OriginMatch = 'allowed' | 'not-allowed' | 'invalid';

export interface OriginMatcher {
  /** Whether the `Origin` header value is allowed; `invalid` when it is not a browser's serialization. */
  match(origin: string): OriginMatch;
  readonly exact: ReadonlySet<string>;
}

function portMatches(rules: readonly PortRule[], port: number | null): boolean {
  for (const rule of rules) if (rule === '*' || rule === port) return true;
  return false;
}

function addRule(map: Map<string, PortRule[]>, key: string, rule: PortRule): void {
  const rules = map.get(key);
  if (rules === undefined) map.set(key, [rule]);
  else rules.push(rule);
}

/** Builds the matcher; the specs are already validated and de-duplicated. */
export function compileOriginMatcher(specs: readonly ParsedOriginSpec[]): OriginMatcher {
  const exact = new Set<string>();
  // Key `scheme://host` -> port rules, for patterns on one exact host (`http://localhost:*`).
  const hostRules = new Map<string, PortRule[]>();
  // Key `scheme://suffix` -> port rules, for `scheme://*.suffix`.
  const subdomainRules = new Map<string, PortRule[]>();
  for (const spec of specs) {
    if (spec.kind === 'exact') exact.add(spec.serialized);
    else if (spec.anySubdomain) addRule(subdomainRules, `${spec.scheme}://${spec.host}`, spec.port);
    else addRule(hostRules, `${spec.scheme}://${spec.host}`, spec.port);
  }
  const hasPatterns = hostRules.size > 0 || subdomainRules.size > 0;

  function match(origin: string): OriginMatch {
    // A browser sends the canonical serialization, and the set holds canonical serializations, so
    // the raw header can be looked up without parsing it.
    if (exact.has(origin)) return 'allowed';
    const parsed = parseSerializedOrigin(origin);
    if (parsed === null) return 'invalid';
    if (!hasPatterns) return 'not-allowed';
    const { scheme, host, port } = parsed;
    const onHost = hostRules.get(`${scheme}://${host}`);
    if (onHost !== undefined && portMatches(onHost, port)) return 'allowed';
    if (subdomainRules.size === 0 || host.startsWith('[')) return 'not-allowed';
    // Try each proper suffix that starts after a dot: a.b.example.com -> b.example.com, example.com,
    // com. The part before the suffix must be one or more non-empty labels.
    if (host.charCodeAt(0) === 0x2e) return 'not-allowed';
    let dot = host.indexOf('.');
    while (dot !== -1) {
      if (host.charCodeAt(dot + 1) === 0x2e) return 'not-allowed';
      const rules = subdomainRules.get(`${scheme}://${host.slice(dot + 1)}`);
      if (rules !== undefined && portMatches(rules, port)) return 'allowed';
      dot = host.indexOf('.', dot + 1);
    }
    return 'not-allowed';
  }

  return { match, exact };
}
