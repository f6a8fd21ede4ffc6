/**
 * corsproof/compat against the real `cors` package (2.8.x): every scenario of `scenarios.ts` runs
 * through both, on test doubles (every response call compared, in order) and, for the scenarios
 * marked `express`, through a real Express 5 app (status, header lines in wire order, body).
 */
import realCors from 'cors';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import compatCors from '../../src/adapters/compat/index.js';
import {
  type Middleware,
  type MiddlewareFactory,
  type MockOutcome,
  runExpress,
  runMock,
} from './harness.js';
import { type Log, type Scenario, scenarios } from './scenarios.js';

const implementations = {
  cors: realCors as unknown as MiddlewareFactory,
  compat: compatCors as unknown as MiddlewareFactory,
};

/** A fresh middleware for one implementation, and the log its callbacks write to. */
function build(
  factory: MiddlewareFactory,
  scenario: Scenario,
): { middleware: Middleware; log: unknown[][] } {
  const log: unknown[][] = [];
  const record: Log = (...entry) => log.push(entry);
  const middleware = scenario.options === undefined ? factory() : factory(scenario.options(record));
  return { middleware, log };
}

async function runAllMock(factory: MiddlewareFactory, scenario: Scenario) {
  const { middleware, log } = build(factory, scenario);
  const outcomes: MockOutcome[] = [];
  for (const request of scenario.requests)
    outcomes.push(await runMock(middleware, request, scenario.preset));
  return { outcomes, log };
}

// The unsafe settings among the scenarios would print their warnings; those have their own tests.
beforeAll(() => {
  vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
});
afterAll(() => {
  vi.restoreAllMocks();
});

describe('corsproof/compat behaves like cors 2.8 on test doubles', () => {
  it('has at least 60 scenarios, a third of them also run through Express', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(60);
    expect(scenarios.filter((s) => s.express).length).toBeGreaterThanOrEqual(20);
    expect(new Set(scenarios.map((s) => s.name)).size).toBe(scenarios.length);
  });

  it.each(scenarios.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const expected = await runAllMock(implementations.cors, scenario);
    const actual = await runAllMock(implementations.compat, scenario);
    expect(actual).toEqual(expected);
    scenario.check?.(expected.outcomes);
  });

  it('notices a difference when there is one', async () => {
    const one = await runMock(implementations.compat({ origin: 'https://a.example' }), {
      method: 'GET',
      headers: {},
    });
    const other = await runMock(implementations.cors({ origin: 'https://b.example' }), {
      method: 'GET',
      headers: {},
    });
    expect(one).not.toEqual(other);
  });
});

describe('corsproof/compat behaves like cors 2.8 in an Express 5 app', () => {
  const served = scenarios.filter((s) => s.express);
  it.each(served.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const expected = await runExpress(
      build(implementations.cors, scenario).middleware,
      scenario.requests,
      scenario.preset,
    );
    const actual = await runExpress(
      build(implementations.compat, scenario).middleware,
      scenario.requests,
      scenario.preset,
    );
    expect(actual).toEqual(expected);
  });
});
