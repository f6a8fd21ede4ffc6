/**
 * From crafted origins that got through to findings. Several crafted origins usually get through
 * for one reason: a reflected Origin lets every one of them in, a suffix check also lets in every
 * subdomain. Reporting each would bury the cause, so the origins are explained in order, broadest
 * matching bug first, and each finding lists the other origins its bug accounts for. Shared by the
 * network auditor and the static one, so both report the same ids for the same behaviour. Pure.
 */

import { parseOrigin } from 'corsproof/spec';
import { getPublicSuffix } from 'tldts';
import { type Evidence, type Finding, type FindingId, makeFinding } from './findings.js';
import { type Probe, type TrustedParts, trustedParts } from './probes.js';
import { type ReadAnswer, weighAnswers } from './status-weight.js';

/** What a browser at a crafted origin could do, as proven by the answers. */
export interface ProbeVerdict {
  readonly probe: Probe;
  /** Script can read the response (through an exact Access-Control-Allow-Origin, not `*`). */
  readonly read: boolean;
  /** ...and with credentials (Access-Control-Allow-Credentials: true). */
  readonly readCredentials: boolean;
  /** The preflight for the state-changing request is accepted (not through `*`). */
  readonly send: boolean;
  /** ...for a credentialed request: the browser would send it with the user's cookies. */
  readonly sendCredentials: boolean;
  /** What the readable GET got back (status, body length, type), when one was read. */
  readonly answer?: ReadAnswer;
  readonly evidence: readonly Evidence[];
}

export interface ClassifyOptions {
  readonly trustedOrigin: string;
  /** The state-changing request the preflights stood for, e.g. `PUT with Content-Type: application/json`. */
  readonly stateChanging: string;
  /** Whether the GETs carried a session (cookie or Authorization); default false. */
  readonly sessionSent?: boolean;
}

/** A matching bug: the probes that prove it, and the other origins it lets through as well. */
interface Hypothesis {
  readonly id: FindingId;
  readonly proves: (v: ProbeVerdict) => boolean;
  readonly explains: (origin: string) => boolean;
}

const NOTHING_ELSE = () => false;

/** The public suffix of an origin's host when it has more than one label (`github.io`), else null. */
function sharedSuffix(origin: string): string | null {
  const host = parseOrigin(origin);
  if (!host.ok || host.origin.type !== 'tuple') return null;
  const suffix = getPublicSuffix(host.origin.host, { allowPrivateDomains: true });
  return suffix?.includes('.') && suffix !== host.origin.host ? suffix : null;
}

/** Broadest first: an earlier hypothesis takes every origin it explains off the table. */
function hypotheses(t: TrustedParts, accepted: readonly ProbeVerdict[]): Hypothesis[] {
  const is = (id: FindingId) => (v: ProbeVerdict) => v.probe.id === id;
  // A random site under a hosting suffix (cp1.github.io) got through: the whole suffix is trusted.
  const hosting = (v: ProbeVerdict) =>
    v.probe.id === 'third-party-origin-trusted' && sharedSuffix(v.probe.origin) !== null;
  const suffixes = new Set(accepted.filter(hosting).map((v) => sharedSuffix(v.probe.origin)));
  return [
    // Echoing the Origin header: every crafted origin gets through.
    { id: 'origin-reflected-any', proves: is('origin-reflected-any'), explains: () => true },
    { id: 'null-origin-trusted', proves: is('null-origin-trusted'), explains: NOTHING_ELSE },
    // `https://*.github.io`: everyone's site there, whatever it is called (suffix and substring
    // probes of a trusted someone.github.io included).
    {
      id: 'third-party-origin-trusted',
      proves: hosting,
      explains: (o) => suffixes.has(sharedSuffix(o)),
    },
    // `origin.includes("example.com")`: proven by the trusted host inside a foreign name; explains
    // anything holding the registrable domain (prefix, suffix and subdomain origins alike).
    {
      id: 'substring-match-bypass',
      proves: (v) => v.probe.id === 'substring-match-bypass' && v.probe.origin.includes(t.host),
      explains: (o) => o.includes(t.site),
    },
    // `/^https:\/\/app\.example\.com/`: anything that starts with the trusted scheme and host,
    // another port or a special character after the host included.
    {
      id: 'prefix-match-bypass',
      proves: is('prefix-match-bypass'),
      explains: (o) => o.startsWith(`${t.scheme}://${t.host}`),
    },
    // `/example\.com$/`: anything ending in the registrable domain, whatever the scheme.
    {
      id: 'suffix-match-bypass',
      proves: is('suffix-match-bypass'),
      explains: (o) => o !== 'null' && o.endsWith(`${t.site}${t.portSuffix}`),
    },
    // Checks written the wrong way round (`allowed.includes(origin)`): only their own probes.
    { id: 'substring-match-bypass', proves: is('substring-match-bypass'), explains: NOTHING_ELSE },
    { id: 'unescaped-dot-regex', proves: is('unescaped-dot-regex'), explains: NOTHING_ELSE },
    { id: 'special-char-bypass', proves: is('special-char-bypass'), explains: NOTHING_ELSE },
    {
      id: 'third-party-origin-trusted',
      proves: is('third-party-origin-trusted'),
      explains: NOTHING_ELSE,
    },
    { id: 'dev-origin-trusted', proves: is('dev-origin-trusted'), explains: NOTHING_ELSE },
    // A subdomain pattern: any subdomain on the same scheme and port.
    {
      id: 'any-subdomain-trusted',
      proves: is('any-subdomain-trusted'),
      // Crafted origins are serializations (scheme://host[:port]), so the ends say it all.
      explains: (o) => o.startsWith(`${t.scheme}://`) && o.endsWith(`.${t.site}${t.portSuffix}`),
    },
    {
      id: 'insecure-scheme-trusted',
      proves: is('insecure-scheme-trusted'),
      explains: NOTHING_ELSE,
    },
    { id: 'any-port-trusted', proves: is('any-port-trusted'), explains: NOTHING_ELSE },
  ];
}

/** The proof to show: readable beats send-only, credentialed beats not. */
function strength(v: ProbeVerdict): number {
  return (v.read ? 4 : 0) + (v.readCredentials ? 2 : 0) + (v.sendCredentials ? 1 : 0);
}

const LISTED = 6;

function listOthers(origins: readonly string[]): string {
  if (origins.length === 0) return '';
  const shown = origins.slice(0, LISTED).join(', ');
  const more = origins.length > LISTED ? ` and ${origins.length - LISTED} more` : '';
  return `; it also let through ${shown}${more}`;
}

/** What the primary origin can do, in one clause. */
function capability(v: ProbeVerdict, stateChanging: string): string {
  const rc = v.readCredentials ? ' with credentials (Access-Control-Allow-Credentials: true)' : '';
  const sc = v.sendCredentials ? ', with credentials' : '';
  if (v.read && v.send) {
    return `can read responses${rc}, and its preflight for ${stateChanging} is accepted${sc}`;
  }
  if (v.read) return `can read responses${rc}`;
  return `cannot read responses, but its preflight for ${stateChanging} is accepted${sc}, so the browser sends that request: a cross-site request forgery channel`;
}

function browsersNote(v: ProbeVerdict): string {
  if (v.probe.id !== 'special-char-bypass') return '';
  return v.probe.browsers === 'safari'
    ? ' Only WebKit (Safari, and every browser on iPhone and iPad) sends an origin with this character, so the finding stays low.'
    : ' Chromium, Firefox and Safari all send "_" and "-" in host names.';
}

function build(
  id: FindingId,
  proofs: readonly ProbeVerdict[],
  covered: readonly ProbeVerdict[],
  options: ClassifyOptions,
): Finding {
  // A bug only Safari can reach is ranked by what Safari can do with it.
  const everyBrowser = proofs.filter((v) => v.probe.browsers === 'all');
  const pool = everyBrowser.length > 0 ? everyBrowser : proofs;
  const primary = [...pool].sort((a, b) => strength(b) - strength(a))[0] as ProbeVerdict;
  const credentials = pool.some((v) => v.readCredentials || v.sendCredentials);
  const others = covered.map((v) => v.probe.origin).filter((o) => o !== primary.probe.origin);
  const message = `${primary.probe.origin} (${primary.probe.note}) ${capability(primary, options.stateChanging)}${listOthers(others)}.${browsersNote(primary)}`;
  const finding = makeFinding(id, {
    origin: primary.probe.origin,
    message,
    credentials,
    impact: primary.read ? 'read' : 'send',
    origins: [primary.probe.origin, ...others],
    evidence: primary.evidence,
    ...(everyBrowser.length === 0 ? { maxSeverity: 'low' as const } : {}),
  });
  // An error without data is not a 200 with data (status-weight.ts).
  const readable = [primary, ...pool.filter((v) => v !== primary)].filter((v) => v.read);
  const weighed = weighAnswers(finding.severity, {
    answers: readable.flatMap((v) => (v.answer === undefined ? [] : [v.answer])),
    canSend: pool.some((v) => v.send),
    credentials,
    sessionSent: options.sessionSent === true,
  });
  if (weighed.note === '') return finding;
  return { ...finding, severity: weighed.severity, message: `${message} ${weighed.note}` };
}

/**
 * Turns the verdicts on crafted origins into findings: one per matching bug, each listing every
 * origin it explains. Origins that got through only by `*` are not passed in (that is
 * `wildcard-origin`, reported on its own).
 *
 * @example
 * classifyProbes(verdicts, {
 *   trustedOrigin: 'https://app.example.com',
 *   stateChanging: 'PUT with Content-Type: application/json',
 * }) // [{ id: 'origin-reflected-any', origins: ['https://cp1.example', 'null', ...], ... }]
 */
export function classifyProbes(
  verdicts: readonly ProbeVerdict[],
  options: ClassifyOptions,
): Finding[] {
  const t = trustedParts(options.trustedOrigin);
  const accepted = verdicts.filter((v) => v.read || v.send);
  const explained = new Set<string>();
  const groups = new Map<FindingId, { proofs: ProbeVerdict[]; covered: ProbeVerdict[] }>();
  for (const h of hypotheses(t, accepted)) {
    const open = accepted.filter((v) => !explained.has(v.probe.origin));
    const proofs = open.filter(h.proves);
    if (proofs.length === 0) continue;
    const covered = open.filter((v) => h.proves(v) || h.explains(v.probe.origin));
    for (const v of covered) explained.add(v.probe.origin);
    // Two hypotheses share an id (substring, both ways round): one finding for both.
    const group = groups.get(h.id) ?? { proofs: [], covered: [] };
    group.proofs.push(...proofs);
    group.covered.push(...covered);
    groups.set(h.id, group);
  }
  return [...groups].map(([id, g]) => build(id, g.proofs, g.covered, options));
}
