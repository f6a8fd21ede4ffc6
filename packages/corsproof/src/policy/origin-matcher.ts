/**
 * The compiled form of an `origins` list: exact origins in a hash set, patterns in hash maps keyed
 * by host, so a lookup costs the same with 1 or 10,000 entries (a few hash probes, one per depth
 * at which some pattern's suffix sits), and no regular expression is ever built from configuration.
 */
import { defaultPort, parseSerializedOrigin } from '../spec/origin.js';
import type { ParsedOriginSpec } from './origin-pattern.js';

type PortRule = number | null | '*';

/**
 * `refused` is a refusal whose cause (`invalid` or `not-allowed`) was not worked out: deciding does
 * not need it, only explaining does (see OriginRefusal in decide.ts).
 */
export type OriginMatch = 'allowed' | 'not-allowed' | 'invalid' | 'refused';

export interface OriginMatcher {
  /** Whether the `Origin` header value is allowed; `invalid` when it is not a browser's serialization. */
  match(origin: string): OriginMatch;
  /**
   * Whether the `Origin` header value is allowed, doing no more than that takes: an origin list
   * without patterns refuses what is not in it without parsing it (`refused`).
   */
  decide(origin: string): OriginMatch;
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

/**
 * The `scheme://*.suffix` patterns of one scheme, keyed by a hash of the suffix read right to
 * left: a host is scanned once from its end, and at each dot the suffix to its right is looked up
 * by the hash computed so far, without slicing a string out of the header; a hit is confirmed
 * with `startsWith`, so a collision costs a comparison, never a wrong answer.
 */
interface SubdomainRules {
  /** `https://`: the header's prefix these patterns are for. */
  readonly prefix: string;
  readonly defaultPort: number | null;
  readonly byHash: Map<number, { readonly suffix: string; readonly rules: PortRule[] }[]>;
  /** The most dots a suffix has: no lookup past that many. */
  maxDepth: number;
  /** Bit `d` set: some suffix has `d` dots (every bit, for a suffix of over 30). */
  depths: number;
  /**
   * Whether the raw-header scan may decide alone. The URL parser rejects a special-scheme host
   * ending in a number unless it is a canonical IPv4 address; the scan does not check that, so a
   * suffix ending in a number (whose hosts all end in it) leaves its scheme to the full path.
   */
  fast: boolean;
}

function countDots(host: string): number {
  let dots = 0;
  for (let i = 0; i < host.length; i++) if (host.charCodeAt(i) === 0x2e) dots++;
  return dots;
}

/** The hash the scan computes: every code unit of `suffix`, last first. */
function suffixHash(suffix: string): number {
  let h = 0;
  for (let i = suffix.length - 1; i >= 0; i--) h = (Math.imul(h, 31) + suffix.charCodeAt(i)) | 0;
  return h;
}

function addSubdomainRule(
  byScheme: Map<string, SubdomainRules>,
  scheme: string,
  suffix: string,
  rule: PortRule,
): void {
  let rules = byScheme.get(scheme);
  if (rules === undefined) {
    const prefix = `${scheme}://`;
    rules = {
      prefix,
      defaultPort: defaultPort(scheme),
      byHash: new Map(),
      maxDepth: 0,
      depths: 0,
      fast: true,
    };
    byScheme.set(scheme, rules);
  }
  const hash = suffixHash(suffix);
  const same = rules.byHash.get(hash) ?? [];
  const entry = same.find((e) => e.suffix === suffix);
  if (entry === undefined) same.push({ suffix, rules: [rule] });
  else entry.rules.push(rule);
  rules.byHash.set(hash, same);
  const depth = countDots(suffix);
  rules.maxDepth = Math.max(rules.maxDepth, depth);
  rules.depths |= depth > 30 ? -1 : 1 << depth;
  if (parseSerializedOrigin(`${rules.prefix}a.${suffix}`) === null) rules.fast = false;
}

const NO_MATCH = 0;
const MATCH = 1;
/** A leading dot or an empty label: a valid host, never a subdomain. */
const EMPTY_LABEL = 2;

/**
 * Whether `s[start, end)`, a host of the alphabet parseSerializedOrigin accepts, is one or more
 * non-empty labels followed by a suffix some pattern names, with a matching port. Reads the host
 * from its end and stops past the deepest suffix, so a host of 120 labels costs what its last few
 * do, after two native searches.
 */
function scanHost(
  rules: SubdomainRules,
  s: string,
  start: number,
  end: number,
  port: number | null,
): number {
  if (s.charCodeAt(start) === 0x2e || s.includes('..', start)) return EMPTY_LABEL;
  let hash = 0;
  let dots = 0;
  for (let i = end - 1; i > start && dots <= rules.maxDepth; i--) {
    const c = s.charCodeAt(i);
    if (c === 0x2e) {
      const found = ((rules.depths >>> dots) & 1) === 1 ? rules.byHash.get(hash) : undefined;
      if (found !== undefined) {
        for (let k = 0; k < found.length; k++) {
          const entry = found[k] as (typeof found)[number];
          if (
            entry.suffix.length === end - i - 1 &&
            s.startsWith(entry.suffix, i + 1) &&
            portMatches(entry.rules, port)
          ) {
            return MATCH;
          }
        }
      }
      dots++;
    }
    hash = (Math.imul(hash, 31) + c) | 0;
  }
  return NO_MATCH;
}

/**
 * A character outside what parseSerializedOrigin accepts in a host (`a-z 0-9 - . _`) or after it
 * (`:` and the port's digits). Global, so a search can start at the host (`lastIndex`).
 */
const NOT_SERIALIZED = /[^-a-z0-9._:]/g;

/**
 * Decides an origin against subdomain patterns from the raw header, allocating nothing: `allowed`
 * or `refused` when that is what `match` would answer (an allowed origin is one
 * `parseSerializedOrigin` accepts and a pattern matches), `undefined` when only the full path can
 * tell (IPv6, `xn--` labels, empty labels, host rules that may apply). A browser's origin needs no
 * rewriting (its scheme and host are already lower case ASCII), so checking its characters is
 * checking its parse.
 */
function decideFast(
  byScheme: Map<string, SubdomainRules>,
  hasHostRules: boolean,
  origin: string,
): 'allowed' | 'refused' | undefined {
  const otherwise = hasHostRules ? undefined : 'refused';
  let rules: SubdomainRules | undefined;
  for (const r of byScheme.values()) if (origin.startsWith(r.prefix)) rules = r;
  if (rules === undefined) return otherwise;
  if (!rules.fast) return undefined;
  const start = rules.prefix.length;
  // IPv6 (perhaps under a host rule) and punycode (valid only if UTS #46 says so): full path.
  if (origin.charCodeAt(start) === 0x5b || origin.includes('xn--', start)) return undefined;
  let end = origin.indexOf(':', start);
  let port: number | null = null;
  if (end === -1) {
    end = origin.length;
  } else {
    // As parseSerializedOrigin: 1 to 5 digits, no leading zero, at most 65535, not the default.
    const digits = origin.slice(end + 1);
    if (!/^(?:0|[1-9][0-9]{0,4})$/.test(digits)) return 'refused';
    port = Number(digits);
    if (port > 65535 || port === rules.defaultPort) return 'refused';
  }
  if (end === start) return 'refused';
  // The port is digits alone by now, so a hit lies in the host: parseSerializedOrigin refuses it.
  NOT_SERIALIZED.lastIndex = start;
  if (NOT_SERIALIZED.test(origin)) return 'refused';
  return scanHost(rules, origin, start, end, port) === MATCH ? 'allowed' : otherwise;
}

/** Builds the matcher; the specs are already validated and de-duplicated. */
export function compileOriginMatcher(specs: readonly ParsedOriginSpec[]): OriginMatcher {
  const exact = new Set<string>();
  // Key `scheme://host` -> port rules, for patterns on one exact host (`http://localhost:*`).
  const hostRules = new Map<string, PortRule[]>();
  // Scheme -> the `scheme://*.suffix` patterns.
  const subdomainRules = new Map<string, SubdomainRules>();
  for (const spec of specs) {
    if (spec.kind === 'exact') exact.add(spec.serialized);
    else if (spec.anySubdomain) addSubdomainRule(subdomainRules, spec.scheme, spec.host, spec.port);
    else addRule(hostRules, `${spec.scheme}://${spec.host}`, spec.port);
  }
  const hasPatterns = hostRules.size > 0 || subdomainRules.size > 0;
  const hasHostRules = hostRules.size > 0;

  function match(origin: string): OriginMatch {
    // A browser sends the canonical serialization, and the set holds canonical serializations, so
    // the raw header can be looked up without parsing it.
    if (exact.has(origin)) return 'allowed';
    const parsed = parseSerializedOrigin(origin);
    if (parsed === null) return 'invalid';
    if (!hasPatterns) return 'not-allowed';
    const { scheme, host, port } = parsed;
    if (hasHostRules) {
      const onHost = hostRules.get(`${scheme}://${host}`);
      if (onHost !== undefined && portMatches(onHost, port)) return 'allowed';
    }
    const rules = subdomainRules.get(scheme);
    if (rules === undefined || host.charCodeAt(0) === 0x5b /* [ */) return 'not-allowed';
    return scanHost(rules, host, 0, host.length, port) === MATCH ? 'allowed' : 'not-allowed';
  }

  function decide(origin: string): OriginMatch {
    if (exact.has(origin)) return 'allowed';
    if (!hasPatterns) return 'refused';
    return decideFast(subdomainRules, hasHostRules, origin) ?? match(origin);
  }

  return { match, decide, exact };
}
