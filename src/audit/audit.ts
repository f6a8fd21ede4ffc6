/**
 * `audit()`: which origins does this endpoint really let in? It sends what browsers at crafted
 * origins would send (a simple GET, and the preflight for a state-changing request, never the
 * request itself), judges every answer with the exact browser rules, and reports a finding only
 * where a browser would let the crafted origin read a response or send a state-changing request.
 *
 * Phases: the baseline (the trusted origin's own GET and preflight, and a GET without Origin);
 * the crafted origins; then follow-ups that depend on what came back (foreign origins named in a
 * static Access-Control-Allow-Origin, the state-changing methods an untrusted origin may use).
 */

import {
  ACAO,
  asciiLowercase,
  getHeader,
  isSameOrigin,
  originOfUrl,
  parseOrigin,
  parseTokenList,
  serializeOrigin,
} from 'corsproof/spec';
import type { Dispatcher } from 'undici';
import { browserProfile, createCheckDispatcher } from '../check/index.js';
import { classifyProbes, type ProbeVerdict } from './classify.js';
import { type AuditDeadlineError, startDeadline } from './deadline.js';
import { type Finding, makeFinding, sortFindings } from './findings.js';
import {
  type Leg,
  type LegContext,
  sendGet,
  sendPreflight,
  sendPrivateNetworkPreflight,
  sendWithoutOrigin,
} from './legs.js';
import { type AuditOptions, type ResolvedAuditOptions, resolveAuditOptions } from './options.js';
import { createPool, type Pool } from './pool.js';
import { privateNetworkTarget } from './private-network.js';
import {
  deriveProbes,
  isCrossSite,
  type Probe,
  randomLabel,
  type TrustedParts,
  trustedParts,
} from './probes.js';
import type { AuditError, AuditReport, ProbeRecord } from './report.js';
import { responseFindings } from './response-checks.js';
import { taintedOriginNull } from './tainted-origin.js';

export type { AuditOptions } from './options.js';

/** Foreign origins named in answers that are probed in their turn, at most. */
const MAX_NAMED_ORIGINS = 5;

/** Methods an untrusted origin should never be able to send from a victim's browser. */
const DANGEROUS_METHODS = ['PUT', 'DELETE', 'PATCH'];

/** A probe with both legs sent. */
interface Probed {
  readonly probe: Probe;
  readonly get: Leg;
  readonly preflight: Leg;
}

/** The run's shared state: where requests go, and the tally for progress and the report. */
interface Run {
  readonly o: ResolvedAuditOptions;
  readonly ctx: LegContext;
  readonly pool: Pool;
  readonly t: TrustedParts;
  readonly label: string;
  readonly stateChanging: string;
  readonly onProgress: ((done: number, total: number) => void) | undefined;
  /** When the run started (performance.now()), for the report's duration. */
  readonly started: number;
  planned: number;
  done: number;
  requests: number;
}

/** The trusted origin's own exchanges, and the answer without Origin. */
interface Baseline {
  readonly noOrigin: Leg;
  readonly get: Leg;
  readonly preflight: Leg;
}

/** The method and header no server allows unless it allows anything. */
interface MadeUp {
  readonly method: string;
  readonly header: string;
}

/** Everything sent once the baseline answered. */
interface FollowUps {
  readonly madeUp: MadeUp;
  /** The trusted origin's preflight for the made-up method and header. */
  readonly anyPreflight: Leg;
  /** The preflight for Authorization, asked only when an answer listed `*`. */
  readonly authorization: Leg | null;
  /** The Location of a redirect the trusted origin's GET stopped at, asked directly. */
  readonly redirectTarget: Leg | null;
  /** The crafted origins and the foreign origins the answers named, both legs sent. */
  readonly probed: readonly Probed[];
  /** The findings about the probed origins' families. */
  readonly familyFindings: readonly Finding[];
  /** The state-changing methods the most trusted untrusted origin was asked about. */
  readonly dangerous: DangerousMethods;
  /** Private network preflights from untrusted public origins. */
  readonly privateNetwork: readonly OriginLeg[];
}

interface OriginLeg {
  readonly origin: string;
  readonly leg: Leg;
}

/**
 * Audits one URL's CORS configuration against crafted origins. Throws an `AuditInputError` for
 * unusable arguments; network failures are in the report (`error` when the trusted origin's own
 * GET failed, `errors` for the rest), never thrown.
 *
 * @example
 * import { audit } from 'corsproof/audit';
 *
 * const report = await audit({
 *   url: 'https://api.example.com/me',
 *   origin: 'https://app.example.com',
 *   credentials: true,
 * });
 * for (const f of report.findings) console.log(f.severity, f.id, f.message);
 */
export async function audit(options: AuditOptions): Promise<AuditReport> {
  const o = resolveAuditOptions(options);
  const deadline = startDeadline(o.deadlineMs, options.signal);
  // No pool given: one for this run, shared by every probe, closed when it is done.
  const own =
    options.dispatcher === undefined ? createCheckDispatcher({ connections: o.concurrency }) : null;
  const run = startRun(o, own ?? (options.dispatcher as Dispatcher), options, deadline.signal);
  try {
    return await runAudit(run);
  } catch (error) {
    // The deadline cancelled the run: a report that says so, not an exception.
    if (deadline.hit !== null && error === deadline.hit) return deadlineReport(run, deadline.hit);
    throw error;
  } finally {
    deadline.clear();
    await own?.close();
  }
}

async function runAudit(run: Run): Promise<AuditReport> {
  // 1. Baseline: the trusted origin's own exchanges, and the answer without Origin.
  const baseline = await sendBaseline(run);
  if (baseline.get.error !== null) return unreachableReport(run, baseline);
  // 2-3. The crafted origins and the follow-ups that depend on the baseline's answers.
  const followUps = await sendFollowUps(run, baseline);
  // 4. Findings: crafted origins that got through, then the answers to the trusted origin.
  return auditReport(run, baseline, followUps);
}

function startRun(
  o: ResolvedAuditOptions,
  dispatcher: Dispatcher,
  options: AuditOptions,
  /** The run's signal: the caller's, and the deadline's. */
  signal: AbortSignal,
): Run {
  const started = performance.now();
  return {
    o,
    ctx: {
      url: o.url,
      headers: o.headers,
      cookie: o.cookie,
      credentials: o.credentials,
      browser: o.browser,
      profile: browserProfile(o.browser),
      timeoutMs: o.timeoutMs,
      dispatcher,
      signal,
    },
    pool: createPool(o.concurrency, signal),
    t: trustedParts(o.trustedOrigin),
    label: (o.random ?? randomLabel)(),
    stateChanging: `${o.method} with Content-Type: application/json`,
    onProgress: options.onProgress,
    started,
    planned: 0,
    done: 0,
    requests: 0,
  };
}

async function sendBaseline(run: Run): Promise<Baseline> {
  const { o } = run;
  const [noOrigin, get, preflight] = await Promise.all([
    send(run, () => sendWithoutOrigin(run.ctx)),
    send(run, () => sendGet(run.ctx, o.trustedOrigin)),
    send(run, () => sendPreflight(run.ctx, o.trustedOrigin, o.method)),
  ]);
  return { noOrigin, get, preflight };
}

/**
 * The crafted origins, and the trusted-origin follow-ups that need the baseline; then the foreign
 * origins the answers named in a static Access-Control-Allow-Origin; then the state-changing
 * methods the most trusted untrusted origin may send.
 */
async function sendFollowUps(run: Run, baseline: Baseline): Promise<FollowUps> {
  const { o } = run;
  const madeUp = madeUpOf(run.label);
  const targetOrigin = originOfUrl(o.url);
  const probes = deriveProbes({ trustedOrigin: o.trustedOrigin, random: () => run.label }).filter(
    // A page on the target's own origin makes no CORS request: nothing to learn.
    (p) => !sameOriginAs(p.origin, targetOrigin),
  );
  const [anyPreflight, authorization, redirectTarget, probed] = await Promise.all([
    send(run, () => sendPreflight(run.ctx, o.trustedOrigin, madeUp.method, [[madeUp.header, '1']])),
    authorizationFollowUp(run, baseline),
    redirectFollowUp(run, baseline.get),
    probeAll(run, probes),
  ]);
  const named = namedForeignOrigins(
    run,
    [baseline.get, baseline.preflight, ...probed.flatMap((p) => [p.get, p.preflight])],
    [...probes.map((p) => p.origin), o.trustedOrigin],
  );
  const all = [...probed, ...(await probeAll(run, named))];
  const familyFindings = classifyProbes(all.map(verdictOf), {
    trustedOrigin: o.trustedOrigin,
    stateChanging: run.stateChanging,
    sessionSent:
      o.cookie !== null || o.headers.some(([n]) => asciiLowercase(n) === 'authorization'),
  });
  const [dangerous, privateNetwork] = await Promise.all([
    dangerousMethods(run, familyFindings, all),
    privateNetworkFollowUp(run, familyFindings, probes),
  ]);
  return {
    madeUp,
    anyPreflight,
    authorization,
    redirectTarget,
    probed: all,
    familyFindings,
    dangerous,
    privateNetwork,
  };
}

/**
 * Private network preflights from an unrelated public origin, and from the origin of the most
 * serious cross-site finding when there is one: a server that answers them permissively lets
 * public sites into its private network.
 */
async function privateNetworkFollowUp(
  run: Run,
  findings: readonly Finding[],
  probes: readonly Probe[],
): Promise<OriginLeg[]> {
  const unrelated = probes.find((p) => p.id === 'origin-reflected-any')?.origin;
  const first = sortFindings(findings).find(
    (f) => f.origin !== 'null' && isCrossSite(f.origin, run.t),
  )?.origin;
  const origins = [...new Set([unrelated, first])].filter((o): o is string => o !== undefined);
  return Promise.all(
    origins.map(async (origin) => ({
      origin,
      leg: await send(run, () => sendPrivateNetworkPreflight(run.ctx, origin)),
    })),
  );
}

function madeUpOf(label: string): MadeUp {
  return {
    method: `CP${label.toUpperCase().replace(/[^A-Z0-9]/g, '')}`,
    header: `x-${asciiLowercase(label).replace(/[^a-z0-9-]/g, '')}`,
  };
}

/**
 * The preflight for Authorization without credentials. Only worth asking when an answer listed
 * `*`: that is the only way it can pass by wildcard.
 */
function authorizationFollowUp(run: Run, baseline: Baseline): Promise<Leg> | null {
  const wildcardHeaders = [baseline.preflight, baseline.get].some((leg) =>
    listHas(leg.summary.acah, '*'),
  );
  if (!wildcardHeaders) return null;
  return send(run, () =>
    sendPreflight({ ...run.ctx, credentials: false }, run.o.trustedOrigin, 'GET', [
      ['Authorization', 'Bearer corsproof-audit'],
    ]),
  );
}

/** The report when the trusted origin's own GET failed: nothing else can be judged. */
function unreachableReport(run: Run, baseline: Baseline): AuditReport {
  const { o } = run;
  return {
    ...reportHead(o),
    findings: [],
    probes: [],
    baseline: null,
    errors: legErrors([['(none)', 'no-origin', baseline.noOrigin]]),
    error: legError(o.trustedOrigin, 'get', baseline.get),
    requests: run.requests,
    durationMs: Math.round(performance.now() - run.started),
  };
}

/** The report when the deadline cut the run short: what was found so far proves nothing either way. */
function deadlineReport(run: Run, reason: AuditDeadlineError): AuditReport {
  const { o } = run;
  return {
    ...reportHead(o),
    findings: [],
    probes: [],
    baseline: null,
    errors: [],
    error: {
      origin: o.trustedOrigin,
      leg: 'deadline',
      code: 'TIMEOUT',
      message: reason.message,
      detail: `${reason.code}: ${reason.message}`,
    },
    requests: run.requests,
    durationMs: Math.round(performance.now() - run.started),
  };
}

function reportHead(o: ResolvedAuditOptions) {
  return {
    target: o.url.href,
    trustedOrigin: o.trustedOrigin,
    stateChanging: { method: o.method, contentType: 'application/json' },
    browser: o.browser,
  };
}

function auditReport(run: Run, baseline: Baseline, followUps: FollowUps): AuditReport {
  const { noOrigin, get, preflight } = baseline;
  const { anyPreflight, authorization, probed } = followUps;
  return {
    ...reportHead(run.o),
    findings: findingsOf(run, baseline, followUps),
    probes: probed.map(probeRecord),
    baseline: {
      noOrigin: noOrigin.summary,
      get: get.summary,
      preflight: preflight.summary,
      anyPreflight: anyPreflight.summary,
      authorization: authorization?.summary ?? null,
    },
    errors: legErrors(reportedLegs(run, baseline, followUps)),
    error: null,
    requests: run.requests,
    durationMs: Math.round(performance.now() - run.started),
  };
}

/** The crafted origins that got through, and what the answers to the trusted origin give away. */
function findingsOf(run: Run, baseline: Baseline, followUps: FollowUps): Finding[] {
  const { o } = run;
  const { probed, dangerous } = followUps;
  return sortFindings([
    ...followUps.familyFindings,
    ...(dangerous.finding === null ? [] : [dangerous.finding]),
    ...[
      taintedOriginNull(o.trustedOrigin, baseline.get),
      privateNetworkTarget(o.url, followUps.privateNetwork),
    ].filter((f): f is Finding => f !== null),
    ...responseFindings({
      trustedOrigin: o.trustedOrigin,
      url: o.url.href,
      stateChanging: run.stateChanging,
      noOrigin: baseline.noOrigin,
      get: baseline.get,
      preflight: baseline.preflight,
      anyPreflight: followUps.anyPreflight,
      madeUp: followUps.madeUp,
      authorization: followUps.authorization,
      redirectTarget: followUps.redirectTarget,
      probeGets: probed.map((p) => ({ origin: p.probe.origin, leg: p.get })),
      // A cache's clock, for an Expires or Last-Modified without Date; the answers are seconds old.
      receivedAt: Date.now(),
    }),
  ]);
}

function probeRecord(p: Probed): ProbeRecord {
  return {
    origin: p.probe.origin,
    id: p.probe.id,
    browsers: p.probe.browsers,
    note: p.probe.note,
    get: p.get.summary,
    preflight: p.preflight.summary,
  };
}

/** Every leg sent after the trusted origin's GET, named for the report's errors. */
function reportedLegs(
  run: Run,
  baseline: Baseline,
  followUps: FollowUps,
): (readonly [string, string, Leg])[] {
  const trusted = run.o.trustedOrigin;
  const { authorization, redirectTarget } = followUps;
  return [
    ['(none)', 'no-origin', baseline.noOrigin],
    [trusted, 'preflight', baseline.preflight],
    [trusted, 'any-preflight', followUps.anyPreflight],
    ...(authorization === null
      ? []
      : [[trusted, 'authorization-preflight', authorization] as const]),
    ...(redirectTarget === null ? [] : [[trusted, 'redirect-target', redirectTarget] as const]),
    ...followUps.dangerous.legs.map((l) => [l.origin, `preflight-${l.method}`, l.leg] as const),
    ...followUps.privateNetwork.map((l) => [l.origin, 'private-network-preflight', l.leg] as const),
    ...followUps.probed.flatMap((p) => [
      [p.probe.origin, 'get', p.get] as const,
      [p.probe.origin, 'preflight', p.preflight] as const,
    ]),
  ];
}

/** Sends one leg through the pool, keeping count for progress and the report. */
async function send(run: Run, leg: () => Promise<Leg>): Promise<Leg> {
  run.planned++;
  run.onProgress?.(run.done, run.planned);
  const result = await run.pool.run(leg);
  run.done++;
  run.requests += result.requests;
  run.onProgress?.(run.done, run.planned);
  return result;
}

function probeAll(run: Run, probes: readonly Probe[]): Promise<Probed[]> {
  return Promise.all(
    probes.map(async (probe) => {
      const [get, preflight] = await Promise.all([
        send(run, () => sendGet(run.ctx, probe.origin)),
        send(run, () => sendPreflight(run.ctx, probe.origin, run.o.method)),
      ]);
      return { probe, get, preflight };
    }),
  );
}

function sameOriginAs(origin: string, target: ReturnType<typeof originOfUrl>): boolean {
  const parsed = parseOrigin(origin);
  return parsed.ok && isSameOrigin(parsed.origin, target);
}

function listHas(value: string | null, item: string): boolean {
  if (value === null) return false;
  const parsed = parseTokenList(value);
  return parsed.ok && parsed.items.includes(item);
}

/**
 * When the trusted origin's GET stopped at a redirect without Access-Control-Allow-Origin, asks
 * the Location directly: if that answer allows the trusted origin, the redirect alone is at fault.
 */
async function redirectFollowUp(run: Run, get: Leg): Promise<Leg | null> {
  const s = get.summary;
  if (s.failure !== 'MissingAllowOriginHeader' || s.location === null) return null;
  let target: URL;
  try {
    target = new URL(s.location, lastRequestUrl(get) ?? run.o.url);
  } catch {
    return null;
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return null;
  return send(run, () => sendGet({ ...run.ctx, url: target }, run.o.trustedOrigin));
}

function lastRequestUrl(leg: Leg): string | null {
  const steps = leg.result?.steps ?? [];
  return steps[steps.length - 1]?.request.url ?? null;
}

/**
 * Origins other than the one sent that an answer names in Access-Control-Allow-Origin (a static
 * value), on another site than the trusted origin and the target: the endpoint trusts them
 * whatever the caller sends, so they are probed like the crafted ones.
 */
function namedForeignOrigins(run: Run, legs: readonly Leg[], known: readonly string[]): Probe[] {
  const skip = new Set(known);
  const target = trustedParts(serializeOrigin(originOfUrl(run.o.url)));
  const out: Probe[] = [];
  for (const leg of legs) {
    const head = leg.final ?? leg.preflight;
    const value = head === null ? null : getHeader(head.headers, ACAO);
    if (value === null || skip.has(value)) continue;
    skip.add(value);
    const parsed = parseOrigin(value);
    if (!parsed.ok || parsed.serialized !== value || parsed.origin.type !== 'tuple') continue;
    // The target's own site is first-party too, whatever the trusted origin is.
    if (!isCrossSite(value, run.t) || !isCrossSite(value, target)) continue;
    out.push({
      id: 'third-party-origin-trusted',
      origin: value,
      browsers: 'all',
      note: 'named in a static Access-Control-Allow-Origin',
    });
    // An endpoint that names a new origin in every answer must not multiply the requests.
    if (out.length === MAX_NAMED_ORIGINS) break;
  }
  return out;
}

function verdictOf(p: Probed): ProbeVerdict {
  const read = p.get.summary.passes;
  const sent = p.preflight.summary.passes;
  // An answer of `*` trusts nobody in particular: that is wildcard-origin, not this origin's family.
  const canRead = read.omit && !read.wildcard;
  const canSend = sent.omit && !sent.wildcard;
  return {
    probe: p.probe,
    read: canRead || read.include,
    readCredentials: read.include,
    send: canSend || sent.include,
    sendCredentials: sent.include,
    ...(p.get.answer === null ? {} : { answer: p.get.answer }),
    evidence: [
      ...(canRead || read.include ? p.get.evidence : []),
      ...(canSend || sent.include ? p.preflight.evidence : []),
    ],
  };
}

/** The state-changing methods asked about, and the finding when one was accepted. */
interface DangerousMethods {
  readonly finding: Finding | null;
  readonly legs: readonly { readonly origin: string; readonly method: string; readonly leg: Leg }[];
}

/**
 * The state-changing methods the most trusted untrusted origin (the first finding's, when it is on
 * another site) may send. Asked for without any header, so that the method alone decides: a bare
 * PUT with a text/plain body is all a forged request needs.
 */
async function dangerousMethods(
  run: Run,
  findings: readonly Finding[],
  probed: readonly Probed[],
): Promise<DangerousMethods> {
  const byOrigin = new Map(probed.map((p) => [p.probe.origin, p]));
  const first = sortFindings(findings).find((f) => isCrossSite(f.origin, run.t));
  const p = first === undefined ? undefined : byOrigin.get(first.origin);
  if (p === undefined) return { finding: null, legs: [] };
  const legs = await Promise.all(
    DANGEROUS_METHODS.map((m) => send(run, () => sendPreflight(run.ctx, p.probe.origin, m, []))),
  );
  const sent = legs.map((leg, i) => ({
    origin: p.probe.origin,
    method: DANGEROUS_METHODS[i] as string,
    leg,
  }));
  const accepted = legs.flatMap((leg, i) => {
    const passes = leg.summary.passes;
    // Through `*` the request goes without cookies to whoever asks: wildcard-origin says so.
    return (passes.omit || passes.include) && !passes.wildcard
      ? [{ method: DANGEROUS_METHODS[i] as string, include: passes.include, leg }]
      : [];
  });
  if (accepted.length === 0) return { finding: null, legs: sent };
  const credentials = accepted.some((a) => a.include);
  const methods = accepted.map((a) => a.method).join(', ');
  const finding = makeFinding('dangerous-methods-allowed', {
    origin: p.probe.origin,
    message: `Preflights from ${p.probe.origin} (${p.probe.note}) for ${methods} are accepted${credentials ? ' for credentialed requests' : ''}: a page there makes the browser send them${credentials ? " with the user's cookies" : ''}, whether or not it can read the answers`,
    credentials,
    impact: 'send',
    evidence: accepted.flatMap((a) => a.leg.evidence),
  });
  return { finding, legs: sent };
}

function legError(origin: string, leg: string, l: Leg): AuditError | null {
  if (l.error === null) return null;
  return { origin, leg, code: l.error.code, message: l.error.message, detail: l.error.detail };
}

function legErrors(legs: readonly (readonly [string, string, Leg])[]): AuditError[] {
  return legs.flatMap(([origin, leg, l]) => {
    const e = legError(origin, leg, l);
    return e === null ? [] : [e];
  });
}
