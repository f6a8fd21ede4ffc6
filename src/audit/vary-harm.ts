/**
 * `missing-vary-origin`, judged by what a shared cache would really do. The harm is a stored answer
 * meant for one origin (or for none) handed to a request from another origin; it exists only when
 * a shared cache may store the answer, reuse it without asking the server, and does not key it on
 * Origin (RFC 9111, see cacheability.ts). What the misdirected answer then does sets the severity:
 * - it grants an origin with credentials: the signed-in user's answer goes to whoever asks next
 *   (a leak: high when the server declares it fresh, medium when only a cache heuristic would);
 * - its CORS headers fail for another origin that the server itself lets in: that origin's
 *   requests break while the copy lives (availability: low).
 * Pure.
 */

import {
  ACAC,
  ACAO,
  corsCheck,
  getHeader,
  type HeaderEntry,
  type HeaderList,
} from 'corsproof/spec';
import { type SharedCacheVerdict, sharedCacheability } from './cacheability.js';
import { type Finding, makeFinding, type Severity } from './findings.js';
import type { Leg } from './legs.js';

export interface VaryInput {
  readonly trustedOrigin: string;
  readonly noOrigin: Leg;
  readonly get: Leg;
  readonly probeGets: readonly { readonly origin: string; readonly leg: Leg }[];
  /** When the answers arrived (ms since the epoch), for Expires and Last-Modified without Date. */
  readonly receivedAt: number;
}

const NO_ORIGIN = 'no Origin';

interface Answer {
  /** The Origin sent, or `no Origin`. */
  readonly who: string;
  readonly leg: Leg;
  readonly head: { readonly status: number; readonly headers: HeaderList };
  readonly cache: SharedCacheVerdict;
}

type Harm = { readonly kind: 'leak' | 'break'; readonly answer: Answer; readonly victim: string };

function signature(a: Answer): string {
  return `${getHeader(a.head.headers, ACAO) ?? ''}\n${getHeader(a.head.headers, ACAC) ?? ''}`;
}

/** The request headers of the exchange that got the final response (the last in the evidence). */
function requestHeadersOf(leg: Leg): readonly HeaderEntry[] {
  return leg.evidence[leg.evidence.length - 1]?.request.headers ?? [];
}

function named(a: Answer): string {
  return a.who === NO_ORIGIN ? 'the answer without Origin' : `the answer for ${a.who}`;
}

/**
 * A grant with credentials holds a signed-in user's data, unless Vary keeps users apart (Cookie,
 * Authorization in the cache key).
 */
function leaks(a: Answer): boolean {
  const acao = getHeader(a.head.headers, ACAO);
  if (acao === null || acao === '*' || getHeader(a.head.headers, ACAC) !== 'true') return false;
  return !a.cache.varyOn.some((n) => n === 'cookie' || n === 'authorization');
}

/** The first origin the server lets in whose request this stored answer would fail. */
function broken(a: Answer, answers: readonly Answer[]): string | null {
  for (const b of answers) {
    if (b.who === NO_ORIGIN || b.who === a.who || !b.leg.summary.passes.omit) continue;
    if (corsCheck(a.head.headers, { origin: b.who, credentialsInclude: false }) !== null) {
      return b.who;
    }
  }
  return null;
}

function harmOf(answers: readonly Answer[]): Harm | null {
  const served = answers.filter((a) => a.cache.servedAcrossOrigins);
  const leak = served.find(leaks);
  if (leak !== undefined) return { kind: 'leak', answer: leak, victim: 'whoever asks next' };
  for (const a of served) {
    const victim = broken(a, answers);
    if (victim !== null) return { kind: 'break', answer: a, victim };
  }
  return null;
}

function severityOf(harm: Harm): [Severity, string] {
  if (harm.kind === 'break') {
    return [
      'low',
      `low: the harm is availability, ${harm.victim}'s requests fail while the copy lives`,
    ];
  }
  return harm.answer.cache.reuse === 'explicit'
    ? ['high', 'high: it grants credentials and the server declares it fresh for shared caches']
    : [
        'medium',
        'medium: it grants credentials, but only a cache heuristic (no explicit freshness) would reuse it',
      ];
}

/** "the answer for X and 3 others: reason"; answers grouped by the same reasons. */
function describeCaching(answers: readonly Answer[]): string {
  const groups = new Map<string, Answer[]>();
  for (const a of answers) {
    const key = a.cache.reasons.join('; ');
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  return [...groups]
    .map(([reasons, group]) => {
      const first = group[0] as Answer;
      const more = group.length > 1 ? ` and ${group.length - 1} more` : '';
      return `${named(first)}${more} (${first.head.status}): ${reasons}`;
    })
    .join('; ');
}

/**
 * The finding when a shared cache may serve one origin's answer to another and that does harm;
 * null when the CORS headers do not depend on Origin, every answer keys on Origin, or no shared
 * cache may reuse any of them without the server.
 *
 * @example
 * missingVaryOrigin({ trustedOrigin, noOrigin, get, probeGets, receivedAt: Date.now() })
 * // { id: 'missing-vary-origin', severity: 'low', message: '... the answer without Origin ...' }
 */
export function missingVaryOrigin(input: VaryInput): Finding | null {
  const answers: Answer[] = [
    { who: NO_ORIGIN, leg: input.noOrigin },
    { who: input.trustedOrigin, leg: input.get },
    ...input.probeGets.map((p) => ({ who: p.origin, leg: p.leg })),
  ].flatMap(({ who, leg }) => {
    const head = leg.final;
    if (head === null) return [];
    const cache = sharedCacheability({
      status: head.status,
      requestHeaders: requestHeadersOf(leg),
      responseHeaders: head.headers,
      receivedAt: input.receivedAt,
    });
    return [{ who, leg, head, cache }];
  });
  if (new Set(answers.map(signature)).size < 2) return null;
  const harm = harmOf(answers);
  if (harm === null) return null;
  const [severity, how] = severityOf(harm);
  const a = harm.answer;
  const contrast = answers.find((b) => signature(b) !== signature(a));
  const show = (x: Answer) =>
    `${x.who === NO_ORIGIN ? 'without Origin' : `for ${x.who}`} it is ${getHeader(x.head.headers, ACAO) ?? 'absent'}`;
  const what =
    harm.kind === 'leak'
      ? `it grants ${getHeader(a.head.headers, ACAO)} with credentials, so a shared cache hands a signed-in user's answer to ${harm.victim}, from any origin or none`
      : `served to ${harm.victim}, which the server itself lets in, it fails the CORS check`;
  const message = `Access-Control-Allow-Origin depends on the Origin header (${contrast === undefined ? '' : `${show(contrast)}; `}${show(a)}), and ${named(a)} lacks Vary: Origin while a shared cache may reuse it: ${what}. Severity ${how}. Shared caching, per answer: ${describeCaching(answers)}`;
  return makeFinding('missing-vary-origin', {
    origin: a.who === NO_ORIGIN ? input.trustedOrigin : a.who,
    message,
    credentials: harm.kind === 'leak',
    impact: harm.kind === 'leak' ? 'read' : 'none',
    severity,
    evidence: [...a.leg.evidence, ...(contrast === undefined ? [] : contrast.leg.evidence)],
  });
}
