/**
 * The crafted origins: derived from the trusted origin (the one that should be allowed), each
 * family aimed at one class of matching bug. Labels are random per run, so no cache can hide or
 * fake a result. The families are the union of Corsy's and CORScanner's payloads, plus a sibling
 * subdomain of the registrable domain, an embedded host and the trusted origin cut short, which
 * neither sends (see docs/auditor.md).
 */
import { randomBytes } from 'node:crypto';
import { parseOrigin } from 'corsproof/spec';
import { getDomain } from 'tldts';
import type { FindingId } from './findings.js';

/** Which browsers can put an origin in `Origin` at all. */
export type ProbeBrowsers = 'all' | 'safari';

/** A crafted origin and the misconfiguration it would prove if a browser let it through. */
export interface Probe {
  readonly id: FindingId;
  /** The origin, serialized as a browser sends it. */
  readonly origin: string;
  /** "all" unless the host holds a character only Safari sends. */
  readonly browsers: ProbeBrowsers;
  /** What the probe is, in words. */
  readonly note: string;
}

/** The trusted origin taken apart, for deriving probes and for explaining what they prove. */
export interface TrustedParts {
  readonly serialized: string;
  readonly scheme: string;
  readonly host: string;
  readonly port: number | null;
  /** `:port`, or '' for the default port. */
  readonly portSuffix: string;
  /** The registrable domain (`example.com`, `someone.github.io`), or the host itself when none. */
  readonly site: string;
  /** Whether the host is an IP address literal (no names to play with). */
  readonly isIp: boolean;
}

/** Origins on platforms where anyone can publish script (CORScanner's list, CORStest's, and more). */
const THIRD_PARTY = [
  'https://{x}.github.io',
  'https://codepen.io',
  'https://s.codepen.io',
  'https://jsfiddle.net',
  'https://fiddle.jshell.net',
  'http://jsbin.com',
  'https://repl.it',
  'http://www.webdevout.net',
  'https://{x}.netlify.app',
  'https://{x}.vercel.app',
  'https://{x}.pages.dev',
  'https://{x}.herokuapp.com',
];

const DEV_ORIGINS = [
  'http://localhost',
  'http://localhost:3000',
  'http://localhost:5173',
  'http://localhost:8080',
  'http://127.0.0.1',
  'http://127.0.0.1:3000',
  'http://127.0.0.1:8080',
];

/**
 * Characters glued after the trusted host (CORScanner's list). Chromium and Firefox send `_` and
 * `-` in host names; the rest only WebKit (Safari, and every browser on iPhone and iPad), whose
 * host parser lets more through: real WebKit puts each of them in `Origin`
 * (test/browser/webkit-origins.test.ts). Left out: `;`, which WebKit turns into an opaque origin
 * (measured: `Origin: null`), `^` and `|`, forbidden host code points in the URL standard that no
 * current browser sends, and the `%60`/`%0b` escapes, which a browser never puts in an Origin
 * header.
 */
export const SPECIAL_HOST_CHARACTERS: readonly (readonly [string, ProbeBrowsers])[] = [
  ['_', 'all'],
  ['-', 'all'],
  ['!', 'safari'],
  ['"', 'safari'],
  ['$', 'safari'],
  ['&', 'safari'],
  ["'", 'safari'],
  ['(', 'safari'],
  [')', 'safari'],
  ['*', 'safari'],
  ['+', 'safari'],
  [',', 'safari'],
  ['=', 'safari'],
  ['`', 'safari'],
  ['{', 'safari'],
  ['}', 'safari'],
  ['~', 'safari'],
];

export interface ProbeInput {
  /** The origin the endpoint is meant to trust, e.g. `https://app.example.com`. */
  readonly trustedOrigin: string;
  /** A random DNS label source; injectable for reproducible tests. */
  readonly random?: () => string;
}

/** A fresh label per run: `cp` and ten hex digits, a valid DNS label no one registers. */
export function randomLabel(): string {
  return `cp${randomBytes(5).toString('hex')}`;
}

/**
 * Takes the trusted origin apart. Throws a TypeError naming the fix when it is not a tuple origin.
 *
 * @example
 * trustedParts('https://app.example.com').site // 'example.com'
 */
export function trustedParts(trustedOrigin: string): TrustedParts {
  const parsed = parseOrigin(trustedOrigin);
  if (!parsed.ok || parsed.origin.type !== 'tuple') {
    throw new TypeError(
      `corsproof: the trusted origin ${JSON.stringify(trustedOrigin)} is not an origin; write it as a browser sends it, e.g. "https://app.example.com"`,
    );
  }
  const { scheme, host, port } = parsed.origin;
  const isIp = host.startsWith('[') || /^[0-9.]+$/.test(host);
  const site = isIp ? host : (getDomain(host, { allowPrivateDomains: true }) ?? host);
  return {
    serialized: parsed.serialized,
    scheme,
    host,
    port,
    portSuffix: port === null ? '' : `:${port}`,
    site,
    isIp,
  };
}

/**
 * Derives the crafted origins for one trusted origin. Each origin is kept in the form a browser
 * would send it; duplicates, the trusted origin itself and anything a browser could not send are
 * dropped (the first family to produce an origin keeps it).
 *
 * @example
 * deriveProbes({ trustedOrigin: 'https://app.example.com', random: () => 'cpx1' })
 * // [{ id: 'origin-reflected-any', origin: 'https://cpx1.example', ... }, ...]
 */
export function deriveProbes(input: ProbeInput): Probe[] {
  const t = trustedParts(input.trustedOrigin);
  const x = (input.random ?? randomLabel)();
  const { scheme: s, host, portSuffix: port, site } = t;
  const attacker = `${x}.example`;
  const probes: Probe[] = [];
  const add = (id: FindingId, origin: string, note: string, browsers: ProbeBrowsers = 'all') =>
    probes.push({ id, origin, note, browsers });

  add('origin-reflected-any', `https://${attacker}`, 'an unrelated https origin');
  add('origin-reflected-any', `http://${attacker}`, 'an unrelated http origin');
  add('null-origin-trusted', 'null', 'the opaque origin of sandboxed iframes and data: URLs');
  add(
    'prefix-match-bypass',
    `${s}://${host}.${attacker}${port}`,
    'the trusted host followed by an attacker domain',
  );
  if (!t.isIp) {
    // Glued before a subdomain (xapp.example.com) the result is still on the trusted site, which a
    // subdomain pattern rightly allows; glued before the registrable domain it is another site.
    add(
      'suffix-match-bypass',
      `${s}://${x}${site}${port}`,
      'an attacker label glued before the registrable domain',
    );
    add(
      'suffix-match-bypass',
      `${s}://${x}-${site}${port}`,
      'an attacker domain ending in "-" and the registrable domain',
    );
    // `origin.includes("app.example.com")`: the host inside an attacker's domain.
    add(
      'substring-match-bypass',
      `${s}://${x}${host}.${attacker}${port}`,
      'the trusted host inside an attacker domain',
    );
    // `"https://app.example.com".includes(origin)` and `"example.com".includes(host)`: checks
    // written the wrong way round accept a part of the trusted name (CORScanner's include_match).
    if (site.length > 3) {
      add(
        'substring-match-bypass',
        `${s}://${site.slice(1)}${port}`,
        'the registrable domain without its first character',
      );
    }
    if (/[a-z0-9]$/.test(host.slice(0, -1))) {
      add(
        'substring-match-bypass',
        `${s}://${host.slice(0, -1)}${port}`,
        'the trusted origin with its last character cut',
      );
    }
    const dots = [...host].flatMap((c, i) => (c === '.' ? [i] : []));
    for (const i of new Set([dots[0], dots[dots.length - 1]])) {
      if (i === undefined) continue;
      add(
        'unescaped-dot-regex',
        `${s}://${host.slice(0, i)}x${host.slice(i + 1)}${port}`,
        `the trusted host with the dot at index ${i} replaced by a letter`,
      );
    }
    for (const [c, browsers] of SPECIAL_HOST_CHARACTERS) {
      add(
        'special-char-bypass',
        `${s}://${host}${c}.${attacker}${port}`,
        `"${c}" after the trusted host`,
        browsers,
      );
    }
    add(
      'any-subdomain-trusted',
      `${s}://${x}.${host}${port}`,
      'a random subdomain of the trusted host',
    );
    if (site !== host) {
      add(
        'any-subdomain-trusted',
        `${s}://${x}.${site}${port}`,
        'a random subdomain of the registrable domain',
      );
    }
  }
  if (s === 'https') {
    add('insecure-scheme-trusted', `http://${host}${port}`, 'the trusted host over http');
    if (!t.isIp && site !== host) {
      add('insecure-scheme-trusted', `http://${x}.${site}`, 'a random subdomain over http');
    }
  }
  const otherPort = t.port === null ? 8443 : t.port === 65535 ? 65534 : t.port + 1;
  add('any-port-trusted', `${s}://${host}:${otherPort}`, 'the trusted host on another port');
  for (const dev of DEV_ORIGINS) add('dev-origin-trusted', dev, 'a local development origin');
  for (const third of THIRD_PARTY) {
    add(
      'third-party-origin-trusted',
      third.replace('{x}', x),
      'a platform anyone can publish script on',
    );
  }

  const seen = new Set<string>([t.serialized]);
  const out: Probe[] = [];
  for (const probe of probes) {
    // The URL parser has the last word: an origin it refuses (or rewrites) is not one a browser sends.
    const parsed = parseOrigin(probe.origin);
    if (!parsed.ok || parsed.serialized !== probe.origin || seen.has(probe.origin)) continue;
    seen.add(probe.origin);
    out.push(probe);
  }
  return out;
}

/** Whether an origin is an http(s) origin on another site than the trusted one (or `null`). */
export function isCrossSite(origin: string, trusted: TrustedParts): boolean {
  if (origin === 'null') return true;
  const parsed = parseOrigin(origin);
  if (!parsed.ok || parsed.origin.type !== 'tuple') return true;
  const host = parsed.origin.host;
  if (host === trusted.site || host.endsWith(`.${trusted.site}`)) return false;
  return true;
}

/** Hosts where anyone can publish script, beyond the public-suffix list's private section. */
export const SHARED_HOSTING: ReadonlySet<string> = new Set([
  'codepen.io',
  's.codepen.io',
  'cdpn.io',
  'jsfiddle.net',
  'fiddle.jshell.net',
  'jsbin.com',
  'output.jsbin.com',
  'repl.it',
  'replit.com',
  'www.webdevout.net',
  'webdevout.net',
  'stackblitz.com',
  'codesandbox.io',
]);
