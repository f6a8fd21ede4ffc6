/**
 * The case table of a conformance run, derived from the policy file alone: per path (a sample of
 * every path pattern, and one no pattern matches), the origins of every policy in the file with
 * their look-alikes, credentials, each method and request header a policy allows and one it does
 * not, and Private Network Access where a policy answers it. Pure: what each case should get is
 * decided later, by the policy itself.
 */
import type { CorsPolicy, PolicyFile } from 'corsproof';
import { compilePathTable } from 'corsproof';
import { isForbiddenRequestHeaderName } from 'corsproof/spec';
import type { ConformCase } from './case.js';
import { ANY_ORIGIN_SAMPLE, type OriginSample, originSamples } from './origin-samples.js';

/** A path to run cases on, and the pattern it samples. */
export interface PathSample {
  readonly path: string;
  readonly pattern: string | null;
  readonly policy: CorsPolicy | null;
}

/** Methods tried for `methods: '*'`, and as the method a list does not allow (the first absent). */
const METHOD_CANDIDATES = ['PUT', 'DELETE', 'PATCH', 'PROPFIND'] as const;
/** Request headers tried for `requestHeaders: '*'` (Authorization is the one `*` may not cover). */
const ANY_HEADER_SAMPLES = ['x-corsproof-any', 'authorization'] as const;
/** A request header no list names. */
export const UNLISTED_HEADER = 'x-corsproof-unlisted';
/** A response header no policy exposes: readable only under `*`. */
export const UNEXPOSED_HEADER = 'x-corsproof-unexposed';
/** The name `exposeHeaders: '*'` is tried with. */
const ANY_EXPOSED_SAMPLE = 'x-corsproof-exposed';
const UNMATCHED_PATH = '/corsproof-conform-unmatched';

/** A value that makes the header CORS-unsafe, so the browser must ask for it in a preflight. */
function headerValue(name: string): string {
  if (name === 'content-type') return 'application/json';
  if (name === 'authorization') return 'Bearer corsproof-conform';
  return 'corsproof-conform';
}

/** Every distinct policy of the file (the default, named ones, inline path entries), in order. */
function policiesOf(file: PolicyFile): CorsPolicy[] {
  const all = [
    file.default,
    ...file.policies.values(),
    ...file.paths.map((r) => (r.choice.kind === 'inline' ? r.choice.policy : null)),
  ];
  return [...new Set(all.filter((p): p is CorsPolicy => p !== null))];
}

/** Allowed samples and look-alikes of one policy's origins. */
function samplesOfPolicy(policy: CorsPolicy): OriginSample[] {
  const origins = policy.config.origins;
  if (origins === '*') return [{ origin: ANY_ORIGIN_SAMPLE, note: 'any origin', sample: true }];
  if (typeof origins === 'function') return [];
  return origins.flatMap(originSamples);
}

function firstAllowed(samples: readonly OriginSample[]): string | null {
  return samples.find((s) => s.sample)?.origin ?? null;
}

/** Candidate paths for a pattern, most typical first. */
function candidatePaths(pattern: string): string[] {
  const filled = pattern.replace(/\/:[^/]+/g, '/1');
  if (!filled.endsWith('/*')) return [filled];
  const base = filled.slice(0, -2);
  return [`${base}/corsproof-conform`, `${base}/corsproof/conform/1`, base === '' ? '/' : base];
}

/**
 * One path per pattern of the path table (the first candidate the table really routes to that
 * pattern: an earlier pattern may take the obvious one), and one no pattern matches when there is
 * such a path. Without a path table, `target` alone.
 *
 * @example
 * samplePaths(parsePolicyFile({ paths: { '/api/*': {...} }, default: false }), '/')
 * // [{ path: '/api/corsproof-conform', pattern: '/api/*', ... },
 * //  { path: '/corsproof-conform-unmatched', pattern: null, ... }]
 */
export function samplePaths(file: PolicyFile, target: string): PathSample[] {
  if (file.paths.length === 0)
    return [{ path: target, pattern: null, policy: file.policyFor(target) }];
  const table = compilePathTable(file.paths.map((r) => [r.pattern, false] as const));
  const out: PathSample[] = [];
  for (const rule of file.paths) {
    const path = candidatePaths(rule.pattern).find((p) => table.match(p).pattern === rule.pattern);
    if (path !== undefined) out.push({ path, pattern: rule.pattern, policy: file.policyFor(path) });
  }
  if (table.match(UNMATCHED_PATH).via === 'fallback') {
    out.push({ path: UNMATCHED_PATH, pattern: null, policy: file.policyFor(UNMATCHED_PATH) });
  }
  return out;
}

/** Response header names to compare readability of: every name any policy exposes, and one none does. */
function exposeProbeOf(policies: readonly CorsPolicy[]): string[] {
  const names = new Set<string>();
  for (const policy of policies) {
    const expose = policy.config.exposeHeaders;
    if (expose === '*') names.add(ANY_EXPOSED_SAMPLE);
    else for (const name of expose) names.add(name.toLowerCase());
  }
  names.add(UNEXPOSED_HEADER);
  return [...names];
}

function methodsToTry(policy: CorsPolicy | null): { allowed: string[]; refused: string | null } {
  const methods = policy?.config.methods ?? [];
  if (methods === '*') return { allowed: ['PUT', 'DELETE', 'PROPFIND'], refused: null };
  const allowed = methods.filter((m) => m !== 'GET' && m !== 'HEAD' && m !== 'POST');
  const refused = METHOD_CANDIDATES.find((m) => !methods.includes(m)) ?? null;
  return { allowed, refused };
}

function headersToTry(policy: CorsPolicy | null): { allowed: string[]; refused: string | null } {
  const headers = policy?.config.requestHeaders ?? [];
  if (headers === '*') return { allowed: [...ANY_HEADER_SAMPLES], refused: null };
  return {
    allowed: headers.filter((h) => !isForbiddenRequestHeaderName(h)),
    refused: UNLISTED_HEADER,
  };
}

interface CaseBase {
  readonly path: string;
  readonly pattern: string | null;
  readonly exposeProbe: readonly string[];
}

function makeCase(
  base: CaseBase,
  fields: Omit<ConformCase, 'id' | 'path' | 'pattern' | 'exposeProbe'>,
): ConformCase {
  const headers = fields.headers.map(([n]) => n).join(',');
  const id = [
    fields.probe === 'private-network' ? 'PNA' : fields.method,
    base.path,
    fields.origin,
    fields.credentials === 'include' ? 'credentials' : '',
    headers === '' ? '' : `headers=${headers}`,
  ]
    .filter((part) => part !== '')
    .join(' ');
  return { id, path: base.path, pattern: base.pattern, exposeProbe: base.exposeProbe, ...fields };
}

function casesForPath(
  sample: PathSample,
  fileSamples: readonly OriginSample[],
  fileFirst: string,
  exposeProbe: readonly string[],
): ConformCase[] {
  const base: CaseBase = { path: sample.path, pattern: sample.pattern, exposeProbe };
  const policy = sample.policy;
  const own = policy === null ? [] : samplesOfPolicy(policy);
  const origin = firstAllowed(own) ?? fileFirst;
  const credentials = policy?.config.credentials === true ? 'include' : 'omit';
  const plain = { headers: [], preflightOnly: false, probe: 'fetch' } as const;
  const cases: ConformCase[] = fileSamples.map((s) =>
    makeCase(base, {
      ...plain,
      title: s.note,
      aspect: 'origin',
      origin: s.origin,
      method: 'GET',
      credentials: 'omit',
    }),
  );
  cases.push(
    makeCase(base, {
      ...plain,
      title: `credentials included, from ${origin}`,
      aspect: 'credentials',
      origin,
      method: 'GET',
      credentials: 'include',
    }),
  );
  const methods = methodsToTry(policy);
  const tryMethod = (method: string, allowed: boolean) =>
    makeCase(base, {
      ...plain,
      preflightOnly: true,
      title: `${method} (${allowed ? 'a method the policy lists' : 'a method the policy does not list'}), preflight only`,
      aspect: 'method',
      origin,
      method,
      credentials,
    });
  for (const method of methods.allowed) cases.push(tryMethod(method, true));
  if (methods.refused !== null) cases.push(tryMethod(methods.refused, false));
  const headers = headersToTry(policy);
  const tryHeader = (name: string, allowed: boolean) =>
    makeCase(base, {
      ...plain,
      headers: [[name, headerValue(name)]],
      title: `request header ${name} (${allowed ? 'listed' : 'not listed'})`,
      aspect: 'request-header',
      origin,
      method: 'GET',
      credentials,
    });
  for (const name of headers.allowed) cases.push(tryHeader(name, true));
  if (headers.refused !== null) cases.push(tryHeader(headers.refused, false));
  if (policy?.config.privateNetwork === true) {
    cases.push(
      makeCase(base, {
        ...plain,
        probe: 'private-network',
        preflightOnly: true,
        title: `Private Network Access preflight from ${origin}`,
        aspect: 'private-network',
        origin,
        method: 'GET',
        credentials,
      }),
    );
  }
  return cases;
}

function uniqueByOrigin(samples: readonly OriginSample[]): OriginSample[] {
  const seen = new Map<string, OriginSample>();
  for (const s of samples) {
    const known = seen.get(s.origin);
    // An origin that one entry allows and another's look-alike is, is first of all a sample.
    if (known === undefined || (!known.sample && s.sample)) seen.set(s.origin, s);
  }
  return [...seen.values()];
}

/**
 * Derives the cases of a conformance run from a policy file. `target` is the path (and query) of
 * the URL conform was given: the only path tried when the file has no path table.
 *
 * Every path gets the origins of every policy in the file (so a path with no CORS is tried with the
 * origins allowed elsewhere), plus `null`; the methods, request headers and Private Network Access
 * of its own policy; and a credentialed request.
 *
 * @example
 * deriveCases(parsePolicyFile({ origins: ['https://app.example.com'] }), '/').length // 9
 */
export function deriveCases(file: PolicyFile, target = '/'): ConformCase[] {
  const policies = policiesOf(file);
  const fileSamples = uniqueByOrigin([
    ...policies.flatMap(samplesOfPolicy),
    {
      origin: 'null',
      note: 'the opaque origin null (sandboxed frames, data: URLs)',
      sample: false,
    },
  ]);
  const fileFirst = firstAllowed(fileSamples) ?? ANY_ORIGIN_SAMPLE;
  const exposeProbe = exposeProbeOf(policies);
  const cases = samplePaths(file, target).flatMap((sample) =>
    casesForPath(sample, fileSamples, fileFirst, exposeProbe),
  );
  // Paths with the same policy and target never repeat, but keep ids unique whatever the file.
  return [...new Map(cases.map((c) => [c.id, c] as const)).values()];
}
