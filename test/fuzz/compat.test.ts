/**
 * corsproof/compat against the real `cors` package on random options × random requests, through
 * the same response doubles as the scenario table (packages/corsproof/test/compat): every call on
 * the response (headers set, read, status, end), in order, and every `next` call must be the same.
 *
 * Options drawn: `origin` as `*`, a string, a list, a RegExp, a boolean, a function; methods,
 * allowed and exposed headers as strings or lists; credentials, maxAge, preflightContinue and
 * optionsSuccessStatus. Requests: browser-like, near-miss and malformed.
 *
 * Cases (one request through both): CORSPROOF_CASES / 10, at least 500 (100 000 under
 * `npm run test:long`); seed CORSPROOF_SEED.
 */
import realCors from 'cors';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import compatCors from '../../packages/corsproof/src/adapters/compat/index.js';
import {
  type MiddlewareFactory,
  type RequestSpec,
  runMock,
} from '../../packages/corsproof/test/compat/harness.js';
import { budgetMs, type Random, random, report, scaledCases, seed } from './knobs.js';

const ORIGINS = [
  'https://app.example.com',
  'https://other.example.org',
  'https://evil-example.com',
  'https://app.example.com.evil',
  'http://app.example.com',
  'null',
];
const METHOD_LISTS = [undefined, 'GET,PUT', ['GET', 'PATCH', 'delete'], 'POST , DELETE', ''];
const HEADER_LISTS = [undefined, 'x-a,x-b', ['X-A', 'Content-Type'], '', ['authorization']];

/** Options for `cors(...)`, built fresh for each implementation (a RegExp keeps state). */
function randomOptions(r: Random): (() => Record<string, unknown>) | undefined {
  if (r.bool(0.05)) return undefined;
  const originKind = r.int(7);
  const pickedOrigin = r.pick(ORIGINS);
  const list = r.subset(ORIGINS, 0.4);
  const methods = r.pick(METHOD_LISTS);
  const allowed = r.pick(HEADER_LISTS);
  const exposed = r.pick(HEADER_LISTS);
  const credentials = r.bool();
  const maxAge = r.pick([undefined, 0, 600, '600']);
  const preflightContinue = r.bool(0.2);
  const optionsSuccessStatus = r.pick([undefined, 200, 204]);
  const originFlag = r.bool();
  return () => ({
    ...(originKind === 1 ? { origin: '*' } : {}),
    ...(originKind === 2 ? { origin: pickedOrigin } : {}),
    ...(originKind === 3 ? { origin: list } : {}),
    ...(originKind === 4 ? { origin: /\.example\.com$/ } : {}),
    ...(originKind === 5 ? { origin: originFlag } : {}),
    ...(originKind === 6
      ? {
          origin: (o: string | undefined, cb: (e: Error | null, allow?: boolean) => void) =>
            cb(null, o !== undefined && list.includes(o)),
        }
      : {}),
    ...(methods === undefined ? {} : { methods }),
    ...(allowed === undefined ? {} : { allowedHeaders: allowed }),
    ...(exposed === undefined ? {} : { exposedHeaders: exposed }),
    credentials,
    ...(maxAge === undefined ? {} : { maxAge }),
    preflightContinue,
    ...(optionsSuccessStatus === undefined ? {} : { optionsSuccessStatus }),
  });
}

function randomRequest(r: Random): RequestSpec {
  const headers: Record<string, string> = {};
  if (r.bool(0.9)) headers.origin = r.pick([...ORIGINS, 'HTTPS://APP.EXAMPLE.COM', '']);
  const method = r.pick(['GET', 'POST', 'OPTIONS', 'OPTIONS', 'PUT', 'options']);
  if (method.toUpperCase() === 'OPTIONS' && r.bool(0.8)) {
    headers['access-control-request-method'] = r.pick(['PUT', 'DELETE', 'GET', 'patch']);
    if (r.bool(0.6)) {
      headers['access-control-request-headers'] = r.pick(['x-a', 'X-B, content-type', '']);
    }
  }
  return { method, headers };
}

// Unsafe settings make compat print warnings; those have their own tests.
beforeAll(() => {
  vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
});
afterAll(() => {
  vi.restoreAllMocks();
});

describe('corsproof/compat behaves like cors 2.8 on random options and requests', () => {
  const total = scaledCases(10, 500);
  it(
    `over ${total} random cases`,
    async () => {
      const r = random(seed() ^ 0xc0de);
      const counts = { cases: 0, optionSets: 0, differences: 0 };
      while (counts.cases < total) {
        const options = randomOptions(r);
        counts.optionSets++;
        const build = (factory: MiddlewareFactory) =>
          options === undefined ? factory() : factory(options());
        const real = build(realCors as unknown as MiddlewareFactory);
        const compat = build(compatCors as unknown as MiddlewareFactory);
        const requests = 1 + r.int(6);
        for (let i = 0; i < requests && counts.cases < total; i++) {
          counts.cases++;
          const request = randomRequest(r);
          const [a, b] = [await runMock(real, request), await runMock(compat, request)];
          const seen = (o: typeof a) => ({ calls: o.calls, next: o.next, thrown: o.thrown });
          if (JSON.stringify(seen(a)) !== JSON.stringify(seen(b))) {
            counts.differences++;
            expect(
              { compat: seen(b), request, options: options?.() },
              `seed ${seed()}, case ${counts.cases}`,
            ).toEqual({ compat: seen(a), request, options: options?.() });
          }
        }
      }
      expect(counts.differences).toBe(0);
      report('compat vs cors 2.8', counts);
    },
    budgetMs(total, 2),
  );
});
