/**
 * Random policies × random requests, judged by an oracle written from the Fetch standard
 * (`fetch-oracle.ts`, which shares no code with corsproof): what a browser makes of each answer,
 * and whether the answer's Vary lets a cache serve it to the right requests only.
 *
 * Invariants, on every case:
 * - no origin the policy does not allow gets through a browser's CORS check (soundness), and every
 *   browser request the policy allows does (completeness, for requests a browser can send);
 * - never `Access-Control-Allow-Origin: *` with `Access-Control-Allow-Credentials`;
 * - `Vary` right: two requests that differ in one header and get different answers both name it;
 * - nothing thrown, whatever the request's strings.
 *
 * Cases: CORSPROOF_CASES (default 5 000; `npm run test:long` runs 1 000 000), seed CORSPROOF_SEED.
 */
import { type CorsRequest, compilePolicy, type Decision } from 'corsproof';
import { describe, it } from 'vitest';
import { corsCheck, getHeader, type Headers, preflightPasses, varyNames } from './fetch-oracle.js';
import {
  allows,
  type BrowserRequest,
  HEADER_NAMES,
  METHODS,
  type Model,
  ORIGINS,
  randomModel,
  randomRequest,
} from './generators.js';
import { budgetMs, caseCount, type Random, random, report, seed } from './knobs.js';

// --- The run. ---------------------------------------------------------------------------------

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly vary: string | null;
}

function answerOf(d: Decision): Answer {
  return { status: 'status' in d ? d.status : 0, headers: d.headers, vary: d.vary };
}

function decide(policy: ReturnType<typeof compilePolicy>, request: CorsRequest): Decision {
  const d = policy.decide(request);
  if (d instanceof Promise) throw new Error('a policy without a predicate answered later');
  return d;
}

function same(a: Answer, b: Answer): boolean {
  return a.status === b.status && JSON.stringify(a.headers) === JSON.stringify(b.headers);
}

const counts = {
  cases: 0,
  policies: 0,
  refusedConfigs: 0,
  browserRequests: 0,
  passedInBrowser: 0,
  varyPairs: 0,
};

function fail(what: string, context: unknown): never {
  throw new Error(
    `${what} (seed ${seed()}, case ${counts.cases}): ${JSON.stringify(context, null, 1)}`,
  );
}

function judge(model: Model, policy: ReturnType<typeof compilePolicy>, r: Random): void {
  const { request, browser } = randomRequest(r, model);
  const d = decide(policy, request);
  const answer = answerOf(d);
  const acao = getHeader(answer.headers, 'Access-Control-Allow-Origin');
  const acac = getHeader(answer.headers, 'Access-Control-Allow-Credentials');
  // Never `*` with credentials.
  if (acao === '*' && acac !== null) fail('* with Allow-Credentials', { request, d });
  // No origin the policy does not allow, whoever asks.
  if (acao !== null && acao !== '*') {
    if (acao !== request.origin || !allows(model, acao)) {
      fail('Allow-Origin for an origin the policy does not allow', { request, d });
    }
  }
  if (browser !== null) judgeInBrowser(model, browser, answer, { request, d });
  judgeVary(policy, request, answer, r);
}

function judgeInBrowser(
  model: Model,
  browser: NonNullable<BrowserRequest['browser']>,
  answer: Answer,
  context: unknown,
): void {
  counts.browserRequests++;
  const { origin, credentials, method, unsafeHeaderNames } = browser;
  const passes = browser.preflight
    ? preflightPasses(answer.status, answer.headers, {
        origin,
        credentials,
        method,
        unsafeHeaderNames: unsafeHeaderNames.filter((n) => n !== 'authorization'),
        authorization: unsafeHeaderNames.includes('authorization'),
      })
    : corsCheck(answer.headers, origin, credentials);
  if (passes) counts.passedInBrowser++;
  const credentialsOk = credentials !== 'include' || (model.credentials && model.origins !== '*');
  const originOk = origin !== 'null' || model.origins === '*';
  const allowed = originOk && allows(model, origin) && credentialsOk;
  const methodOk =
    !browser.preflight ||
    ['GET', 'HEAD', 'POST'].includes(method) ||
    model.methods === '*' ||
    model.methods.includes(method);
  // The policy's `*` allows any header that is not forbidden, Authorization included (the
  // policy answers with the names asked for, since a browser's `*` would not cover it).
  const headersOk = unsafeHeaderNames.every(
    (n) => model.requestHeaders === '*' || model.requestHeaders.some((h) => h.toLowerCase() === n),
  );
  // Soundness: what gets through is what the policy allows.
  if (passes && !(allowed && methodOk && headersOk)) {
    fail('a browser lets through what the policy does not allow', {
      model: model.options,
      context,
    });
  }
  // Completeness: what the policy allows gets through.
  if (!passes && allowed && methodOk && headersOk) {
    fail('a browser refuses what the policy allows', { model: model.options, context });
  }
}

/** One header changed at a time; when the answer changes, both answers' Vary must name it. */
function judgeVary(
  policy: ReturnType<typeof compilePolicy>,
  request: CorsRequest,
  answer: Answer,
  r: Random,
): void {
  const variants: [string, CorsRequest][] = [
    ['origin', { ...request, origin: r.bool(0.3) ? undefined : r.pick(ORIGINS) }],
  ];
  if (request.method === 'OPTIONS') {
    variants.push([
      'access-control-request-method',
      { ...request, requestMethod: r.bool(0.2) ? undefined : r.pick(METHODS) },
    ]);
    variants.push([
      'access-control-request-headers',
      {
        ...request,
        requestHeaders: r.bool(0.3) ? undefined : r.subset(HEADER_NAMES, 0.3).join(','),
      },
    ]);
  }
  for (const [name, variant] of variants) {
    const other = answerOf(decide(policy, variant));
    counts.varyPairs++;
    if (same(answer, other)) continue;
    if (!varyNames(answer.vary, name) || !varyNames(other.vary, name)) {
      fail(`two answers differ by ${name} but Vary does not say so`, {
        request,
        variant,
        answer,
        other,
      });
    }
  }
}

describe('random policies × requests against the Fetch standard oracle', () => {
  const total = caseCount();
  it(
    `holds every invariant over ${total} cases`,
    async () => {
      const r = random(seed());
      let yielded = 0;
      while (counts.cases < total) {
        // Let the test runner's own messages through now and then on a long run.
        if (counts.cases - yielded >= 5_000) {
          yielded = counts.cases;
          await new Promise((resolve) => setImmediate(resolve));
        }
        const model = randomModel(r);
        counts.policies++;
        let policy: ReturnType<typeof compilePolicy>;
        try {
          policy = compilePolicy(model.options);
        } catch (error) {
          // The only configuration refused here is `*` with credentials.
          if (!(model.origins === '*' && model.credentials)) {
            fail(`a valid policy was refused: ${String(error)}`, model.options);
          }
          counts.refusedConfigs++;
          continue;
        }
        if (model.origins === '*' && model.credentials)
          fail('`*` with credentials compiled', model);
        const requests = 1 + r.int(8);
        for (let i = 0; i < requests && counts.cases < total; i++) {
          counts.cases++;
          judge(model, policy, r);
        }
      }
      report('policy × request vs Fetch oracle', counts);
    },
    budgetMs(total, 0.3),
  );
});
