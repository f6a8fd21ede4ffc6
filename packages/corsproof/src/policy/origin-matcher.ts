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
/**
 * One suffix and its port rules. `codes` holds the suffix's code units: the suffix is a slice of the
 * pattern's string, whose characters V8 reads through an indirection, and comparing with it cost
 * a third of an allowed decision.
 */
interface SuffixEntry {
  readonly suffix: string;
  readonly codes: Uint16Array;
  readonly rules: PortRule[];
}

interface SubdomainRules {
  /** `https://`: the header's prefix these patterns are for. */
  readonly prefix: string;
  readonly defaultPort: number | null;
  readonly byHash: Map<number, SuffixEntry[]>;
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

function codeUnits(s: string): Uint16Array {
  const codes = new Uint16Array(s.length);
  for (let i = 0; i < s.length; i++) codes[i] = s.charCodeAt(i);
  return codes;
}

/** Whether `s` holds `codes` from `from` on. */
function sameCodesAt(s: string, codes: Uint16Array, from: number): boolean {
  for (let i = 0; i < codes.length; i++) if (s.charCodeAt(from + i) !== codes[i]) return false;
  return true;
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
  if (entry === undefined) same.push({ suffix, codes: codeUnits(suffix), rules: [rule] });
  else entry.rules.push(rule);
  rules.byHash.set(hash, same);
  const depth = countDots(suffix);
  rules.maxDepth = Math.max(rules.maxDepth, depth);
  rules.depths |= depth > 30 ? -1 : 1 << depth;
  if (parseSerializedOrigin(`${rules.prefix}a.${suffix}`) === null) rules.fast = false;
}

/** What {@link decideFast}'s scan makes of a code unit: a host character, a dot, or neither. */
const OTHER = 0;
const HOST_CHAR = 1;
const DOT = 2;

/**
 * The alphabet parseSerializedOrigin accepts in a host, `a-z 0-9 - _` and `.`; every other code
 * unit (upper case, `%`, `:`, non-ASCII) is OTHER.
 */
const HOST_CLASS = (() => {
  const table = new Uint8Array(128);
  for (let c = 0x61; c <= 0x7a; c++) table[c] = HOST_CHAR;
  for (let c = 0x30; c <= 0x39; c++) table[c] = HOST_CHAR;
  table[0x2d] = HOST_CHAR;
  table[0x5f] = HOST_CHAR;
  table[0x2e] = DOT;
  return table;
})();

/** Whether `s` has a label starting with `xn--` at `i` (a punycode label: UTS #46 must decode it). */
function punycodeAt(s: string, i: number): boolean {
  return (
    s.charCodeAt(i) === 0x78 &&
    s.charCodeAt(i + 1) === 0x6e &&
    s.charCodeAt(i + 2) === 0x2d &&
    s.charCodeAt(i + 3) === 0x2d
  );
}

/**
 * The port after `colon` as parseSerializedOrigin reads it (1 to 5 digits, no leading zero, at
 * most 65535, not the scheme's default), or -1 when it reads none.
 */
function readPort(s: string, colon: number, defaultPort: number | null): number {
  const len = s.length - colon - 1;
  if (len < 1 || len > 5 || (len > 1 && s.charCodeAt(colon + 1) === 0x30)) return -1;
  let port = 0;
  for (let i = colon + 1; i < s.length; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    port = port * 10 + d;
  }
  return port > 65535 || port === defaultPort ? -1 : port;
}

/** Where the host of `s` (starting at `start`) ends: at the `:` before trailing digits, or the end. */
function hostEnd(s: string, start: number): number {
  for (let i = s.length - 1; i >= start; i--) {
    const c = s.charCodeAt(i);
    if (c === 0x3a) return i;
    if (c < 0x30 || c > 0x39) return s.length;
  }
  return s.length;
}

/**
 * Decides an origin against subdomain patterns from the raw header in one pass from its end,
 * allocating nothing: `allowed` or `refused` when that is what `match` would answer (an allowed
 * origin is one `parseSerializedOrigin` accepts and a pattern matches), `undefined` when only the
 * full path can tell (IPv6, an allowed host with an `xn--` label, host rules that may apply). A
 * browser's origin needs no rewriting (its scheme and host are already lower case ASCII), so
 * checking its characters is checking its parse.
 *
 * The pass reads every character of the host, so that one outside the alphabet or an empty label
 * anywhere refuses; it looks suffixes up (see {@link SubdomainRules}) only up to the deepest one.
 */
function decideFast(
  schemes: readonly SubdomainRules[],
  hasHostRules: boolean,
  origin: string,
): 'allowed' | 'refused' | undefined {
  const otherwise = hasHostRules ? undefined : 'refused';
  let rules: SubdomainRules | undefined;
  for (let k = 0; k < schemes.length; k++) {
    const r = schemes[k] as SubdomainRules;
    if (origin.startsWith(r.prefix)) {
      rules = r;
      break;
    }
  }
  if (rules === undefined) return otherwise;
  if (!rules.fast) return undefined;
  const start = rules.prefix.length;
  // IPv6, perhaps under a host rule: the full path.
  if (origin.charCodeAt(start) === 0x5b) return undefined;
  // The port first, since a pattern's rules are for ports. A `:` left in the host refuses below.
  const end = hostEnd(origin, start);
  let port: number | null = null;
  if (end < origin.length) {
    const read = readPort(origin, end, rules.defaultPort);
    if (read === -1) return 'refused';
    port = read;
  }
  if (end === start) return 'refused';
  const scanned = scanHost(rules, origin, start, end, port);
  if (scanned === NOT_A_HOST) return 'refused';
  if (scanned === NO_SUBDOMAIN) return otherwise;
  // Punycode is valid only if UTS #46 decodes it: the full path asks the URL parser.
  return scanned === MATCH ? 'allowed' : undefined;
}

/** What {@link scanHost} found. */
const NOT_A_HOST = 0;
const NO_SUBDOMAIN = 1;
const MATCH = 2;
const MATCH_WITH_PUNYCODE = 3;
type Scan = typeof NOT_A_HOST | typeof NO_SUBDOMAIN | typeof MATCH | typeof MATCH_WITH_PUNYCODE;

/**
 * Reads the host `s[start, end)` once from its end: a code unit outside the alphabet
 * parseSerializedOrigin accepts makes it NOT_A_HOST; a leading dot, an empty label or no suffix
 * some pattern names for `port` makes it NO_SUBDOMAIN; otherwise it is a MATCH, said to hold a
 * label starting with `xn--` when it does. Suffixes are looked up (see {@link SubdomainRules})
 * only up to the deepest one, so a host of 120 labels costs 120 labels' reading and a few probes.
 */
function scanHost(
  rules: SubdomainRules,
  s: string,
  start: number,
  end: number,
  port: number | null,
): Scan {
  let matched = false;
  let punycode = false;
  let hash = 0;
  let dots = 0;
  // Index of the dot read last (to the right of i), so two in a row are an empty label.
  let lastDot = -2;
  for (let i = end - 1; i >= start; i--) {
    const c = s.charCodeAt(i);
    const kind = c < 128 ? HOST_CLASS[c] : OTHER;
    if (kind === OTHER) return NOT_A_HOST;
    if (kind === DOT) {
      // A leading dot or two dots in a row: a valid host, never a subdomain.
      if (i === start || lastDot === i + 1) return NO_SUBDOMAIN;
      lastDot = i;
      if (punycodeAt(s, i + 1)) punycode = true;
      if (!matched && dots <= rules.maxDepth && ((rules.depths >>> dots) & 1) === 1) {
        matched = suffixMatches(rules, s, i + 1, end, hash, port);
      }
      dots++;
    }
    hash = (Math.imul(hash, 31) + c) | 0;
  }
  if (!matched) return NO_SUBDOMAIN;
  return punycode || punycodeAt(s, start) ? MATCH_WITH_PUNYCODE : MATCH;
}

/** Whether `s[from, end)`, whose hash is `hash`, is a suffix some pattern names for `port`. */
function suffixMatches(
  rules: SubdomainRules,
  s: string,
  from: number,
  end: number,
  hash: number,
  port: number | null,
): boolean {
  const found = rules.byHash.get(hash);
  if (found === undefined) return false;
  for (let k = 0; k < found.length; k++) {
    const entry = found[k] as SuffixEntry;
    if (
      entry.codes.length === end - from &&
      sameCodesAt(s, entry.codes, from) &&
      portMatches(entry.rules, port)
    ) {
      return true;
    }
  }
  return false;
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
  const schemes = [...subdomainRules.values()];
  const hasHostRules = hostRules.size > 0;
  // A lookup hashes the header, a fresh string each request: 40 ns for a 33-character origin, which
  // a policy of patterns alone need not pay.
  const hasExact = exact.size > 0;

  function match(origin: string): OriginMatch {
    // A browser sends the canonical serialization, and the set holds canonical serializations, so
    // the raw header can be looked up without parsing it.
    if (hasExact && exact.has(origin)) return 'allowed';
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
    // parseSerializedOrigin has checked the host's alphabet and any punycode already.
    const scanned = scanHost(rules, host, 0, host.length, port);
    return scanned === MATCH || scanned === MATCH_WITH_PUNYCODE ? 'allowed' : 'not-allowed';
  }

  function decide(origin: string): OriginMatch {
    if (hasExact && exact.has(origin)) return 'allowed';
    if (!hasPatterns) return 'refused';
    return decideFast(schemes, hasHostRules, origin) ?? match(origin);
  }

  return { match, decide, exact };
}
