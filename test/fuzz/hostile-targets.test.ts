/**
 * Hostile targets survived: random checks and audits, eight at a time, against a server that
 * resets, loops, drips, sends huge headers or an endless body (`test/hostile/targets.ts`). Each
 * must end in its own outcome (never another's, never a throw), with short deadlines so that the
 * dripping ones end quickly, and every slow answer's connection closed by the client.
 *
 * Cases: CORSPROOF_CASES / 2 000, at least 40 (500 under `npm run test:long`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/index.js';
import { type CheckResult, check } from '../../src/check/index.js';
import { type HostileServer, startHostileServer } from '../hostile/targets.js';
import { budgetMs, random, report, scaledCases, seed } from './knobs.js';

const PAGE = 'https://app.example';
/**
 * The dripping paths end at a short deadline; the others must end on their own, so they get
 * limits far beyond the test's (a loop under a short deadline on a busy machine would be cut).
 */
const limitsFor = (path: string, deadlineMs: number) =>
  path.startsWith('/drip')
    ? { timeoutMs: 600_000, deadlineMs }
    : { timeoutMs: 600_000, deadlineMs: 3_600_000 };

/** What a check of each path must end in. */
const CHECK_OUTCOMES: Record<string, (r: CheckResult) => string | null> = {
  '/reset': (r) => (r.verdict === 'error' ? r.error.code : r.verdict),
  '/rst': (r) => (r.verdict === 'error' ? r.error.code : r.verdict),
  '/reset-mid-body': (r) => (r.verdict === 'error' ? r.error.code : r.verdict),
  '/loop/0': (r) => (r.verdict === 'blocked' ? r.failures[0].code : r.verdict),
  '/drip': (r) => (r.verdict === 'error' ? (r.error.detail.split(':')[0] ?? null) : r.verdict),
  '/drip-body': (r) => (r.verdict === 'error' ? (r.error.detail.split(':')[0] ?? null) : r.verdict),
  '/huge-headers': (r) => (r.verdict === 'error' ? r.error.code : r.verdict),
  '/endless-body': (r) => r.verdict,
};
const CHECK_EXPECTED: Record<string, string> = {
  '/reset': 'CONNECTION_RESET',
  '/rst': 'CONNECTION_RESET',
  '/reset-mid-body': 'CONNECTION_RESET',
  '/loop/0': 'TooManyRedirects',
  '/drip': 'CORSPROOF_DEADLINE',
  '/drip-body': 'CORSPROOF_DEADLINE',
  '/huge-headers': 'HEADERS_TOO_LARGE',
  '/endless-body': 'allowed',
};
/** What an audit of each path must report as its `error` (null: a report with no error). */
const AUDIT_EXPECTED: Record<string, string | null> = {
  '/reset': 'get CONNECTION_RESET',
  '/rst': 'get CONNECTION_RESET',
  '/reset-mid-body': 'get CONNECTION_RESET',
  '/drip': 'deadline TIMEOUT',
  '/huge-headers': 'get HEADERS_TOO_LARGE',
  '/endless-body': null,
};

let server: HostileServer;
beforeAll(async () => {
  server = await startHostileServer();
});
afterAll(() => server.close());

describe('hostile targets', () => {
  const total = scaledCases(2_000, 40);
  it(
    `are survived: ${total} random checks and audits, each with its own outcome`,
    async () => {
      const r = random(seed() ^ 0x7a6);
      const plan = Array.from({ length: total }, () =>
        r.bool(0.75)
          ? { kind: 'check' as const, path: r.pick(Object.keys(CHECK_EXPECTED)) }
          : { kind: 'audit' as const, path: r.pick(Object.keys(AUDIT_EXPECTED)) },
      );
      const survived = new Map<string, number>();
      let next = 0;
      const worker = async () => {
        while (next < plan.length) {
          const { kind, path } = plan[next++] as (typeof plan)[number];
          const url = `${server.base}${path}`;
          if (kind === 'check') {
            const result = await check({ url, origin: PAGE, ...limitsFor(path, 300) });
            expect(CHECK_OUTCOMES[path]?.(result), `check ${path}`).toBe(CHECK_EXPECTED[path]);
          } else {
            const report = await audit({ url, origin: PAGE, ...limitsFor(path, 1_000) });
            const error = report.error === null ? null : `${report.error.leg} ${report.error.code}`;
            expect(error, `audit ${path}`).toBe(AUDIT_EXPECTED[path]);
          }
          survived.set(`${kind} ${path}`, (survived.get(`${kind} ${path}`) ?? 0) + 1);
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      const count = [...survived.values()].reduce((a, b) => a + b, 0);
      expect(count).toBe(total);
      report('hostile targets', {
        survived: count,
        kinds: survived.size,
        slowConnectionsClosed: server.cancelled(),
      });
    },
    budgetMs(total, 1_500),
  );
});
