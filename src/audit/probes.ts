/**
 * The crafted origins: derived from the trusted origin (the one that should be allowed) and the
 * target, each family aimed at one class of matching bug. Labels are random per run, so no cache
 * can hide or fake a result.
 */
import { getDomain } from 'tldts';
import { parseOrigin, type TupleOrigin } from '../spec/origin.js';
import type { FindingId } from './findings.js';

/** A crafted origin and the misconfiguration it would prove if a browser let it through. */
export interface Probe {
  readonly id: FindingId;
  readonly origin: string;
  /** Which browsers can send this origin at all ("all" unless it holds a special character). */
  readonly browsers: 'all' | 'safari';
  /** What the probe is, in words. */
  readonly note: string;
}

/** Origins on platforms where anyone can publish script. */
const THIRD_PARTY = [
  'https://{x}.github.io',
  'https://codepen.io',
  'https://s.codepen.io',
  'https://jsfiddle.net',
  'https://fiddle.jshell.net',
  'http://jsbin.com',
  'https://repl.it',
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
 * Characters after the trusted host. `_` and `-` reach servers from Chromium and Firefox; the rest
 * only from Safari, which accepts more characters in hosts (CORScanner's list).
 */
const SPECIAL_CHARS: readonly (readonly [string, 'all' | 'safari'])[] = [
  ['_', 'all'],
  ['-', 'all'],
  ['!', 'safari'],
  ['$', 'safari'],
  ['&', 'safari'],
  ["'", 'safari'],
  ['(', 'safari'],
  [')', 'safari'],
  ['*', 'safari'],
  ['+', 'safari'],
  [',', 'safari'],
  [';', 'safari'],
  ['=', 'safari'],
  ['^', 'safari'],
  ['`', 'safari'],
  ['{', 'safari'],
  ['|', 'safari'],
  ['}', 'safari'],
  ['~', 'safari'],
];

export interface ProbeInput {
  /** The origin the endpoint is meant to trust, e.g. `https://app.example.com`. */
  readonly trustedOrigin: string;
  /** A random label source; injectable for reproducible tests. */
  readonly random?: () => string;
}

function randomLabel(): string {
  return `cp${Math.random().toString(36).slice(2, 10)}`;
}

function hostPort(o: TupleOrigin): string {
  return o.port === null ? o.host : `${o.host}:${o.port}`;
}

/**
 * Derives the crafted origins for one trusted origin. Duplicates (and the trusted origin itself)
 * are removed; the first family to produce an origin keeps it.
 *
 * @example
 * deriveProbes({ trustedOrigin: 'https://app.example.com', random: () => 'cpx1' })
 * // [{ id: 'origin-reflected-any', origin: 'https://cpx1.example' }, ...]
 */
export function deriveProbes(input: ProbeInput): Probe[] {
  const parsed = parseOrigin(input.trustedOrigin);
  if (!parsed.ok || parsed.origin.type !== 'tuple') {
    throw new TypeError(
      `corsproof: the trusted origin ${JSON.stringify(input.trustedOrigin)} is not an origin; write it as a browser sends it, e.g. "https://app.example.com"`,
    );
  }
  const t = parsed.origin;
  const x = (input.random ?? randomLabel)();
  const s = t.scheme;
  const host = t.host;
  const port = t.port === null ? '' : `:${t.port}`;
  const isIp = host.startsWith('[') || /^[0-9.]+$/.test(host);
  const registrable = isIp ? null : (getDomain(host, { allowPrivateDomains: true }) ?? null);
  const attacker = `${x}.example`;
  const probes: Probe[] = [];
  const add = (id: FindingId, origin: string, note: string, browsers: 'all' | 'safari' = 'all') =>
    probes.push({ id, origin, note, browsers });

  add('origin-reflected-any', `https://${attacker}`, 'an unrelated https origin');
  add('origin-reflected-any', `http://${attacker}`, 'an unrelated http origin');
  add('null-origin-trusted', 'null', 'the opaque origin of sandboxed iframes and data: URLs');
  add(
    'prefix-match-bypass',
    `${s}://${host}.${attacker}${port}`,
    'the trusted host followed by an attacker domain',
  );
  if (!isIp) {
    // Glued before a subdomain (xapp.example.com) the result is still on the trusted site, which a
    // subdomain pattern rightly allows; glued before the registrable domain it is another site.
    add(
      'suffix-match-bypass',
      `${s}://${x}${registrable ?? host}${port}`,
      'an attacker label glued before the registrable domain',
    );
    if (registrable !== null) {
      add(
        'suffix-match-bypass',
        `${s}://${x}-${registrable}${port}`,
        'an attacker domain ending in "-" + the registrable domain',
      );
      if (registrable.length > 3) {
        add(
          'substring-match-bypass',
          `${s}://${registrable.slice(1)}${port}`,
          'the registrable domain without its first character',
        );
      }
      const lastDot = registrable.lastIndexOf('.');
      if (lastDot > 0 && registrable.length - lastDot > 2) {
        add(
          'substring-match-bypass',
          `${s}://${registrable.slice(0, -1)}${port}`,
          'the registrable domain with its last character cut',
        );
      }
    }
    const dots = [...host].flatMap((c, i) => (c === '.' ? [i] : []));
    for (const i of new Set([dots[0], dots[dots.length - 1]])) {
      if (i === undefined) continue;
      add(
        'unescaped-dot-regex',
        `${s}://${host.slice(0, i)}x${host.slice(i + 1)}${port}`,
        `the dot at index ${i} replaced by a letter`,
      );
    }
    for (const [c, browsers] of SPECIAL_CHARS) {
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
    if (registrable !== null && registrable !== host) {
      add(
        'any-subdomain-trusted',
        `${s}://${x}.${registrable}${port}`,
        'a random subdomain of the registrable domain',
      );
    }
  }
  if (s === 'https') {
    add('insecure-scheme-trusted', `http://${hostPort(t)}`, 'the trusted host over http');
    if (registrable !== null && registrable !== host) {
      add('insecure-scheme-trusted', `http://${x}.${registrable}`, 'a random subdomain over http');
    }
  }
  const otherPort = t.port === null ? 8443 : t.port === 65535 ? 65534 : t.port + 1;
  add('any-port-trusted', `${s}://${host}:${otherPort}`, 'the trusted host on another port');
  for (const dev of DEV_ORIGINS) add('dev-origin-trusted', dev, 'a local development origin');
  for (const third of THIRD_PARTY)
    add(
      'third-party-origin-trusted',
      third.replace('{x}', x),
      'a platform anyone can publish script on',
    );

  const seen = new Set<string>([parsed.serialized]);
  return probes.filter((p) => {
    if (seen.has(p.origin)) return false;
    seen.add(p.origin);
    return true;
  });
}
