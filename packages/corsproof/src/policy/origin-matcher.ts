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
 * The `scheme://*.suffix` patterns of one scheme: port rules by suffix, and how many dots the
 * suffixes have. A request host is only looked up at those depths, so a host of 200 labels costs
 * one scan and a lookup per depth, not a string built and hashed per label.
 */
interface SubdomainRules {
  readonly bySuffix: Map<string, PortRule[]>;
  /** The distinct dot counts of the suffixes, ascending. */
  readonly depths: number[];
}

function countDots(host: string): number {
  let dots = 0;
  for (let i = 0; i < host.length; i++) if (host.charCodeAt(i) === 0x2e) dots++;
  return dots;
}

function addSubdomainRule(
  byScheme: Map<string, SubdomainRules>,
  scheme: string,
  suffix: string,
  rule: PortRule,
): void {
  let rules = byScheme.get(scheme);
  if (rules === undefined) {
    rules = { bySuffix: new Map(), depths: [] };
    byScheme.set(scheme, rules);
  }
  addRule(rules.bySuffix, suffix, rule);
  const depth = countDots(suffix);
  if (!rules.depths.includes(depth)) rules.depths.push(depth);
  rules.depths.sort((a, b) => a - b);
}

/**
 * Whether `host` is one or more non-empty labels followed by a suffix some pattern names, with a
 * matching port. The suffix with `d` dots starts after the (d + 1)-th dot from the right; the dots
 * are found in one right-to-left scan shared by every depth.
 */
function matchesSubdomain(rules: SubdomainRules, host: string, port: number | null): boolean {
  // Empty labels never match: `.example.com`, `a..example.com`.
  if (host.charCodeAt(0) === 0x2e || host.includes('..')) return false;
  let at = host.length;
  let dotsSeen = 0;
  for (const depth of rules.depths) {
    while (dotsSeen <= depth) {
      at = host.lastIndexOf('.', at - 1);
      if (at <= 0) return false;
      dotsSeen++;
    }
    const found = rules.bySuffix.get(host.slice(at + 1));
    if (found !== undefined && portMatches(found, port)) return true;
  }
  return false;
}

/**
 * The suffixes of one scheme's `scheme://*.suffix` patterns keyed by a hash of the suffix read
 * right to left, so the raw header can be looked up at each dot while it is scanned once, without
 * slicing a string out of it; a hit is confirmed with `startsWith`, so a collision costs a
 * comparison and never a wrong answer.
 */
interface FastScheme {
  /** `https://`: the header's prefix this entry is for. */
  readonly prefix: string;
  readonly defaultPort: number | null;
  readonly byHash: Map<number, { readonly suffix: string; readonly rules: PortRule[] }[]>;
  /** `depths[d]`: some suffix has `d` dots. */
  readonly depths: boolean[];
  readonly maxDepth: number;
}

/** The hash the scan computes: every code unit of `suffix`, last first. */
function suffixHash(suffix: string): number {
  let h = 0;
  for (let i = suffix.length - 1; i >= 0; i--) h = (Math.imul(h, 31) + suffix.charCodeAt(i)) | 0;
  return h;
}

/** Whether the last label of `host` (a trailing dot aside) is a number as the URL parser reads one. */
function lastLabelIsNumeric(host: string): boolean {
  let end = host.length;
  if (end > 1 && host.charCodeAt(end - 1) === 0x2e) end--;
  const start = host.lastIndexOf('.', end - 1) + 1;
  if (start >= end) return false;
  let i = start;
  const hex = end - start >= 2 && host.charCodeAt(i) === 0x30 && host.charCodeAt(i + 1) === 0x78;
  if (hex) i += 2;
  for (; i < end; i++) {
    const c = host.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (hex && c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

function compileFastSchemes(subdomainRules: Map<string, SubdomainRules>): FastScheme[] | null {
  const schemes: FastScheme[] = [];
  for (const [scheme, rules] of subdomainRules) {
    const byHash = new Map<number, { suffix: string; rules: PortRule[] }[]>();
    for (const [suffix, portRules] of rules.bySuffix) {
      // The fast scan takes a host for valid when its characters and port are; the URL parser
      // also rejects a special-scheme host ending in a number unless it is a canonical IPv4
      // address, and decodes `xn--` labels. A suffix ending in a number is left to the full path.
      if (lastLabelIsNumeric(suffix)) return null;
      const entry = { suffix, rules: portRules };
      const hash = suffixHash(suffix);
      const same = byHash.get(hash);
      if (same === undefined) byHash.set(hash, [entry]);
      else same.push(entry);
    }
    const maxDepth = Math.max(...rules.depths);
    const depths: boolean[] = [];
    for (let d = 0; d <= maxDepth; d++) depths.push(rules.depths.includes(d));
    schemes.push({
      prefix: `${scheme}://`,
      defaultPort: defaultPort(scheme),
      byHash,
      depths,
      maxDepth,
    });
  }
  return schemes;
}

/**
 * Decides an origin against `scheme://*.suffix` patterns in one right-to-left pass over the raw
 * header, allocating nothing: `allowed` or `refused` when the answer is the one `match` would give
 * (an allowed origin is one `parseSerializedOrigin` accepts and a pattern matches), `undefined`
 * when only the full path can tell (an IPv6 or `xn--` host, an empty label, host patterns that
 * may apply). Cheaper than parsing because a browser's origin needs no rewriting: its scheme and
 * host are already lower case ASCII, so checking the characters is checking the parse.
 */
function decideFast(
  schemes: readonly FastScheme[],
  hasHostRules: boolean,
  origin: string,
): 'allowed' | 'refused' | undefined {
  let fast: FastScheme | undefined;
  for (const s of schemes) {
    if (origin.startsWith(s.prefix)) {
      fast = s;
      break;
    }
  }
  // No pattern of this scheme: only host rules could allow it.
  if (fast === undefined) return hasHostRules ? undefined : 'refused';
  const start = fast.prefix.length;
  if (start === origin.length) return 'refused';
  // IPv6 (never under a subdomain pattern, perhaps under a host rule) and punycode (whose
  // validity only UTS #46 decides) take the full path.
  if (origin.charCodeAt(start) === 0x5b || origin.includes('xn--', start)) return undefined;
  let hostEnd = origin.indexOf(':', start);
  let port: number | null = null;
  if (hostEnd === -1) {
    hostEnd = origin.length;
  } else {
    // As parseSerializedOrigin: 1 to 5 digits, no leading zero, at most 65535, not the default.
    const len = origin.length - hostEnd - 1;
    if (len < 1 || len > 5) return 'refused';
    if (origin.charCodeAt(hostEnd + 1) === 0x30 && len > 1) return 'refused';
    port = 0;
    for (let i = hostEnd + 1; i < origin.length; i++) {
      const c = origin.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return 'refused';
      port = port * 10 + (c - 0x30);
    }
    if (port > 65535 || port === fast.defaultPort) return 'refused';
  }
  if (hostEnd === start) return 'refused';
  let matched = false;
  let hash = 0;
  let dots = 0;
  let previous = -1;
  for (let i = hostEnd - 1; i >= start; i--) {
    const c = origin.charCodeAt(i);
    if (c === 0x2e) {
      // A leading dot or an empty label in the middle: valid for the parser, never a subdomain.
      if (i === start || previous === 0x2e) return hasHostRules ? undefined : 'refused';
      if (!matched && dots <= fast.maxDepth && fast.depths[dots] === true) {
        const found = fast.byHash.get(hash);
        if (found !== undefined) {
          for (const entry of found) {
            if (
              entry.suffix.length === hostEnd - i - 1 &&
              origin.startsWith(entry.suffix, i + 1) &&
              portMatches(entry.rules, port)
            ) {
              matched = true;
              break;
            }
          }
        }
      }
      dots++;
    } else if (
      !((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f)
    ) {
      // Not in the alphabet a browser serializes hosts in: parseSerializedOrigin refuses it.
      return 'refused';
    }
    hash = (Math.imul(hash, 31) + c) | 0;
    previous = c;
  }
  if (matched) return 'allowed';
  return hasHostRules ? undefined : 'refused';
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
    return matchesSubdomain(rules, host, port) ? 'allowed' : 'not-allowed';
  }

  const fastSchemes = subdomainRules.size > 0 ? compileFastSchemes(subdomainRules) : null;

  function decide(origin: string): OriginMatch {
    if (exact.has(origin)) return 'allowed';
    if (!hasPatterns) return 'refused';
    if (fastSchemes !== null) {
      const fast = decideFast(fastSchemes, hasHostRules, origin);
      if (fast !== undefined) return fast;
    }
    return match(origin);
  }

  return { match, decide, exact };
}
