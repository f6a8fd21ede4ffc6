import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { check } from './check.js';
import { EMULATION_IDS } from './emulations/catalog.js';
import { CheckInputError } from './errors.js';
import type { CheckOptions } from './options.js';
import { resolveOptions } from './options.js';
import { forgetPlanned, keepPlanned, plannedFor } from './planned.js';
import { browserProfile } from './profiles.js';
import { recentLatin1 } from './received-lines.js';
import { planRequest } from './request-plan.js';
import type { CheckResult } from './result.js';
import { createCheckDispatcher } from './transport.js';

const PAGE = 'https://app.example';
let server: http.Server;
let url = '';
let dispatcher: Dispatcher;
let answered = 0;
/** What the server answers in Access-Control-Allow-Methods. */
let allowMethods = 'PUT';
/** What the server answers in Access-Control-Allow-Credentials. */
let allowCredentials = 'true';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    answered++;
    const headers = [
      ['Access-Control-Allow-Origin', req.headers.origin ?? ''],
      ['Access-Control-Allow-Credentials', allowCredentials],
      ['Access-Control-Allow-Methods', allowMethods],
      ['Access-Control-Allow-Headers', 'content-type, x-requested-with'],
      ['Access-Control-Max-Age', '600'],
      ['Access-Control-Expose-Headers', 'x-count'],
      // A value that changes from answer to answer, as dates and request ids do.
      ['X-Count', String(answered)],
    ].flat();
    req.resume();
    req.on('end', () => {
      res.writeHead(req.method === 'OPTIONS' ? 204 : 200, headers);
      res.end(req.method === 'OPTIONS' ? undefined : 'body');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/items`;
  dispatcher = createCheckDispatcher();
});

afterAll(async () => {
  await dispatcher.close();
  await new Promise((r) => server.close(r));
});

beforeEach(() => forgetPlanned());

const preflighted = (): CheckOptions => ({
  url,
  origin: PAGE,
  method: 'PUT',
  headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest' },
  credentials: 'include',
  body: '{}',
  cookie: 'session=1',
  dispatcher,
});

/** The result as JSON, without what differs from one exchange to the next (times, X-Count, Date). */
function stable(result: CheckResult): string {
  return JSON.stringify(result, (key, value: unknown) => {
    if (key === 'timeMs') return 0;
    if (Array.isArray(value) && (value[0] === 'X-Count' || value[0] === 'Date')) {
      return [value[0], '?'];
    }
    return value;
  });
}

describe('a check with the options of one before', () => {
  it('is planned for at its second check, not its first', async () => {
    await check(preflighted());
    expect(plannedFor(preflighted())).toBeUndefined();
    await check(preflighted());
    expect(plannedFor(preflighted())).toBeDefined();
  });

  it('gives the result a check planned afresh gives', async () => {
    const first = await check(preflighted());
    await check(preflighted());
    expect(plannedFor(preflighted())).toBeDefined();
    const second = await check(preflighted());
    forgetPlanned();
    const fresh = await check(preflighted());
    expect(first.verdict).toBe('allowed');
    expect(stable(second)).toBe(stable(first));
    expect(stable(second)).toBe(stable(fresh));
    expect(second).toEqual({ ...fresh, steps: second.steps });
    expect(Object.keys(second)).toEqual(Object.keys(fresh));
  });

  it('shares the plan and the first requests, frozen, and nothing that a check adds to', async () => {
    await check(preflighted());
    const first = await check(preflighted());
    const second = await check(preflighted());
    expect(second.plan).toBe(first.plan);
    expect(Object.isFrozen(second.plan)).toBe(true);
    expect(Object.isFrozen(second.plan.headers[0])).toBe(true);
    expect(second.steps[0]?.request).toBe(first.steps[0]?.request);
    expect(Object.isFrozen(second.steps[0]?.request.headers)).toBe(true);
    expect(second.steps).not.toBe(first.steps);
    expect(second.warnings).not.toBe(first.warnings);
    expect(second.curl).toEqual(first.curl);
  });

  it('judges each preflight anew: one that no longer allows the method blocks', async () => {
    expect((await check(preflighted())).verdict).toBe('allowed');
    expect((await check(preflighted())).verdict).toBe('allowed');
    allowMethods = 'PATCH';
    try {
      const refused = await check(preflighted());
      expect(refused.verdict).toBe('blocked');
      expect(refused.verdict === 'blocked' && refused.failures[0].code).toBe(
        'MethodDisallowedByPreflightResponse',
      );
    } finally {
      allowMethods = 'PUT';
    }
    expect((await check(preflighted())).verdict).toBe('allowed');
    expect((await check({ ...preflighted(), method: 'PATCH' })).verdict).toBe('blocked');
  });

  it('runs the CORS check on each response anew: one that no longer allows credentials blocks', async () => {
    const simple = (): CheckOptions => ({ url, origin: PAGE, credentials: 'include', dispatcher });
    expect((await check(simple())).verdict).toBe('allowed');
    expect((await check(simple())).verdict).toBe('allowed');
    allowCredentials = 'false';
    try {
      const refused = await check(simple());
      expect(refused.verdict === 'blocked' && refused.failures[0].code).toBe(
        'InvalidAllowCredentials',
      );
    } finally {
      allowCredentials = 'true';
    }
    expect((await check(simple())).verdict).toBe('allowed');
  });

  it('reads each response anew: a header value that changed is the new one', async () => {
    const first = await check(preflighted());
    const second = await check(preflighted());
    const count = (r: CheckResult) => {
      const last = r.steps.at(-1);
      return last?.outcome === 'response'
        ? last.response.headers.find(([n]) => n === 'X-Count')?.[1]
        : undefined;
    };
    expect(Number(count(second))).toBe(Number(count(first)) + 2);
  });

  it('is planned afresh when any request option differs', async () => {
    await check(preflighted());
    await check(preflighted());
    expect(plannedFor(preflighted())).toBeDefined();
    const variants: Partial<CheckOptions>[] = [
      { url: `${url}?page=2` },
      { origin: 'https://other.example' },
      { method: 'PATCH' },
      { headers: { 'Content-Type': 'application/json' } },
      { headers: { 'Content-Type': 'text/plain', 'X-Requested-With': 'XMLHttpRequest' } },
      { credentials: 'same-origin' },
      { body: '[]' },
      { cookie: 'session=2' },
      { browser: 'firefox' },
    ];
    for (const variant of variants) {
      expect(plannedFor({ ...preflighted(), ...variant })).toBeUndefined();
    }
    const firefox = await check({ ...preflighted(), browser: 'firefox' });
    expect(firefox.browser).toBe('firefox');
    const other = await check({ ...preflighted(), cookie: 'session=2' });
    const cookie = other.steps.at(-1)?.request.headers.find(([n]) => n === 'Cookie');
    expect(cookie).toEqual(['Cookie', 'session=2']);
  });

  it('takes headers given as pairs or as a record alike, and plans other iterables afresh', async () => {
    await check(preflighted());
    await check(preflighted());
    expect(
      plannedFor({
        ...preflighted(),
        headers: [
          ['Content-Type', 'application/json'],
          ['X-Requested-With', 'XMLHttpRequest'],
        ],
      }),
    ).toBeDefined();
    const headers = new Map([['Content-Type', 'application/json']]);
    await check({ ...preflighted(), headers });
    await check({ ...preflighted(), headers });
    expect(plannedFor({ ...preflighted(), headers })).toBeUndefined();
  });

  it('still refuses run settings that are out of range, with the same error', async () => {
    await check(preflighted());
    await check(preflighted());
    const refused = check({ ...preflighted(), timeoutMs: 0 });
    await expect(refused).rejects.toBeInstanceOf(CheckInputError);
    await expect(refused).rejects.toMatchObject({ option: 'timeoutMs' });
  });

  it('honours each run its own settings: preflight only, redirect limit, signal', async () => {
    await check(preflighted());
    await check(preflighted());
    const only = await check({ ...preflighted(), preflightOnly: true });
    expect(only.scope).toBe('preflight-only');
    expect(only.steps.map((s) => s.kind)).toEqual(['preflight']);
    const aborted = check({ ...preflighted(), signal: AbortSignal.abort(new Error('stop')) });
    await expect(aborted).rejects.toThrow('stop');
  });
});

describe('the plans kept', () => {
  /** Keeps the plan of options seen a second time (the first sighting keeps none). */
  const keep = (options: CheckOptions) => {
    const resolved = resolveOptions(options);
    const profile = browserProfile(resolved.browser);
    const plan = () => keepPlanned(options, resolved, profile, planRequest(resolved, profile));
    return plan() ?? plan();
  };

  it('are not kept for a URL seen once', () => {
    const options = { url: 'https://api.example/once', origin: PAGE };
    const resolved = resolveOptions(options);
    const profile = browserProfile(resolved.browser);
    expect(keepPlanned(options, resolved, profile, planRequest(resolved, profile))).toBeNull();
    expect(plannedFor(options)).toBeUndefined();
  });

  it('are at most 256, the URL kept longest ago forgotten first', () => {
    const options = (i: number): CheckOptions => ({
      url: `https://api.example/${i}`,
      origin: PAGE,
    });
    for (let i = 0; i < 300; i++) keep(options(i));
    expect(plannedFor(options(0))).toBeUndefined();
    expect(plannedFor(options(43))).toBeUndefined();
    expect(plannedFor(options(44))).toBeDefined();
    expect(plannedFor(options(299))).toBeDefined();
  });

  it('are at most 16 per URL, the oldest forgotten first', () => {
    const options = (i: number): CheckOptions => ({
      url: 'https://api.example/',
      origin: PAGE,
      headers: { 'x-n': String(i) },
    });
    for (let i = 0; i < 20; i++) keep(options(i));
    expect(plannedFor(options(3))).toBeUndefined();
    expect(plannedFor(options(4))).toBeDefined();
    expect(plannedFor(options(19))).toBeDefined();
  });

  it('are not kept for an emulation or for options that cannot be compared', () => {
    const url = 'https://api.example/';
    expect(keep({ url, emulate: EMULATION_IDS[0] })).toBeNull();
    expect(keep({ url, origin: PAGE, headers: new Map([['x-a', '1']]) })).toBeNull();
    expect(keep({ url, origin: PAGE, body: null })).not.toBeNull();
  });
});

describe('recentLatin1', () => {
  it('gives the exact latin1 text of every part, whatever shares its slot', () => {
    const texts = ['vary', 'Vary', 'vbry', 'x-count', '1', '2', 'caf\u00e9', '', 'a'.repeat(70)];
    for (let round = 0; round < 3; round++) {
      for (const text of texts) {
        expect(recentLatin1(Buffer.from(text, 'latin1'))).toBe(text);
      }
    }
    // Same length and the same bytes at every place hashed: one slot, two strings.
    for (const text of ['abxcd', 'zbxcd', 'abxcd', 'zbxcd']) {
      expect(recentLatin1(Buffer.from(text, 'latin1'))).toBe(text);
    }
  });
});
