import { afterEach, describe, expect, it, vi } from 'vitest';
import { compilePolicy } from './compile.js';
import { pathOf } from './decision-log.js';
import { CorsConfigError } from './errors.js';
import type { DecisionEvent } from './options.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';

function recorder() {
  const events: DecisionEvent[] = [];
  return { events, listener: (event: DecisionEvent) => events.push(event) };
}

afterEach(() => vi.restoreAllMocks());

describe('onDecision', () => {
  it('reports an allowed request with its origin, method and path', () => {
    const { events, listener } = recorder();
    const policy = compilePolicy({ origins: [APP], onDecision: listener });
    policy.decide({ method: 'GET', origin: APP, url: '/orders/7?page=2' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      kind: 'actual-allowed',
      verdict: 'allowed',
      origin: APP,
      method: 'GET',
      path: '/orders/7',
      code: null,
    });
    expect(events[0]?.summary).toMatch(/^CORS request allowed/);
  });

  it('reports a refused preflight with its stable code and explain()’s words', () => {
    const { events, listener } = recorder();
    const policy = compilePolicy({ origins: [APP], methods: ['PUT'], onDecision: listener });
    policy.decide({
      method: 'OPTIONS',
      origin: APP,
      requestMethod: 'DELETE',
      url: 'https://api.example/items',
    });
    expect(events[0]).toMatchObject({
      kind: 'preflight-refused',
      verdict: 'refused',
      requestMethod: 'DELETE',
      path: '/items',
      code: 'method-not-allowed',
    });
    expect(events[0]?.summary).toContain('the method "DELETE" is not in methods');
  });

  it('leaves requests without an Origin out unless sampling asks for them', () => {
    const quiet = recorder();
    compilePolicy({ origins: [APP], onDecision: quiet.listener }).decide({ method: 'GET' });
    expect(quiet.events).toEqual([]);
    const all = recorder();
    compilePolicy({
      origins: [APP],
      onDecision: { listener: all.listener, sample: { notCors: 1 } },
    }).decide({ method: 'GET' });
    expect(all.events.map((e) => e.verdict)).toEqual(['not-cors']);
  });

  it('samples each verdict at its own rate', () => {
    const { events, listener } = recorder();
    const policy = compilePolicy({
      origins: [APP],
      onDecision: { listener, sample: { allowed: 0, refused: 1 } },
    });
    for (let i = 0; i < 20; i++) policy.decide({ method: 'GET', origin: APP });
    policy.decide({ method: 'GET', origin: EVIL });
    expect(events.map((e) => e.code)).toEqual(['origin-not-allowed']);
  });

  it('reports a fraction of decisions for a fractional rate', () => {
    const { events, listener } = recorder();
    const random = vi.spyOn(Math, 'random');
    random.mockReturnValueOnce(0.05).mockReturnValueOnce(0.5);
    const policy = compilePolicy({ origins: [APP], onDecision: { listener, sample: 0.1 } });
    policy.decide({ method: 'GET', origin: APP });
    policy.decide({ method: 'GET', origin: APP });
    expect(events).toHaveLength(1);
  });

  it('keeps the decision when the listener throws, and logs the listener’s error', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const policy = compilePolicy({
      origins: [APP],
      onDecision: () => {
        throw new Error('logger down');
      },
    });
    expect(policy.decide({ method: 'GET', origin: APP })).toMatchObject({ kind: 'actual-allowed' });
    expect(error).toHaveBeenCalledOnce();
  });

  it('reports a predicate that throws as predicate-failed, then rethrows its error', async () => {
    const { events, listener } = recorder();
    const boom = new Error('tenant lookup failed');
    const sync = compilePolicy({
      origins: () => {
        throw boom;
      },
      onDecision: listener,
    });
    expect(() => sync.decide({ method: 'GET', origin: APP })).toThrow(boom);
    const async = compilePolicy({ origins: () => Promise.reject(boom), onDecision: listener });
    await expect(async.decide({ method: 'GET', origin: APP })).rejects.toBe(boom);
    expect(events.map((e) => [e.kind, e.code, e.error])).toEqual([
      ['predicate-failed', 'predicate-failed', boom],
      ['predicate-failed', 'predicate-failed', boom],
    ]);
  });

  it('refuses an onDecision that is not a listener, and rates outside 0 to 1', () => {
    for (const onDecision of ['log', { sample: 1 }, { listener: () => {}, sample: 2 }]) {
      const attempt = () => compilePolicy({ origins: [APP], onDecision } as never);
      expect(attempt).toThrow(CorsConfigError);
      expect(attempt).toThrow(/onDecision/);
    }
  });
});

describe('pathOf', () => {
  it.each([
    ['/a/b?c=1', '/a/b'],
    ['/a#x', '/a'],
    ['https://api.example/v1/items?x', '/v1/items'],
    ['https://api.example', '/'],
    ['*', undefined],
    [undefined, undefined],
  ])('reads the path of %s as %s', (url, path) => {
    expect(pathOf(url)).toBe(path);
  });
});
