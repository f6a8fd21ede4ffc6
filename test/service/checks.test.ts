import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CheckInputError } from '../../src/check/index.js';
import { checkBody, createTestService, fakeCheckResult, type TestService } from './helpers.js';

// One service for the file (building one compiles every schema); each test starts from an empty
// history and a runner that allows everything.
let service: TestService;

beforeAll(async () => {
  service = await createTestService({ limits: { rate: { capacity: 1000, refillPerSecond: 100 } } });
});

beforeEach(() => {
  service.store.db.exec('DELETE FROM checks');
  service.runner.checks.length = 0;
  service.runner.onCheck = (input) => fakeCheckResult(input);
});

afterAll(async () => {
  await service.close();
});

async function post(body: unknown) {
  return service.app.inject({ method: 'POST', url: '/api/checks', payload: body as object });
}

describe('POST /api/checks', () => {
  it('runs the check and answers 201 with id, createdAt, input and result', async () => {
    const res = await post(checkBody({ method: 'GET', headers: { 'X-Trace': 'a' } }));
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.id).toMatch(/^chk_[0-9A-Z]{26}$/);
    expect(body.createdAt).toBe(new Date(service.clock.now()).toISOString());
    expect(body.input).toMatchObject({
      url: 'https://api.example.com/items',
      origin: 'https://app.example.com',
      method: 'GET',
      headers: [['X-Trace', 'a']],
    });
    expect(body.result.verdict).toBe('allowed');
    expect(res.headers.location).toBe(`/api/checks/${body.id}`);
    expect(service.runner.checks).toHaveLength(1);
  });

  it('canonicalizes the URL and the origin before running and storing', async () => {
    const res = await post({
      url: 'HTTPS://API.Example.com:443/a#frag',
      origin: 'HTTPS://App.Example.COM:443',
    });
    expect(res.statusCode).toBe(201);
    expect(service.runner.checks[0]).toMatchObject({
      url: 'https://api.example.com/a#frag',
      origin: 'https://app.example.com',
    });
  });

  it('maps credentials true to "include" and false to "omit"', async () => {
    await post(checkBody({ credentials: true }));
    await post(checkBody({ credentials: false }));
    await post(checkBody({ credentials: 'same-origin' }));
    expect(service.runner.checks.map((c) => c.credentials)).toEqual([
      'include',
      'omit',
      'same-origin',
    ]);
  });

  it('galxe mode needs no origin and checks from the Galxe dashboard', async () => {
    const res = await post({ url: 'https://api.example.com/x', galxe: true });
    expect(res.statusCode).toBe(201);
    expect(service.runner.checks[0]?.origin).toBe('https://dashboard.galxe.com');
  });

  it('takes emulate "galxe" as the deprecated galxe: true, and stores which ran', async () => {
    const res = await post({ url: 'https://api.example.com/x', emulate: 'galxe' });
    expect(res.statusCode).toBe(201);
    expect(res.json().input.emulate).toBe('galxe');
    expect(service.runner.checks[0]?.origin).toBe('https://dashboard.galxe.com');
  });

  it('refuses an emulation it does not know, naming the ones it does', async () => {
    const res = await post({ url: 'https://api.example.com/x', emulate: 'zealy' });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toContain('galxe');
  });

  it('never stores or returns credentials in clear', async () => {
    const secret = 'Bearer s3cr3t-token-value';
    const res = await post(
      checkBody({
        headers: [
          ['Authorization', secret],
          ['Cookie', 'sid=abcdef'],
        ],
      }),
    );
    expect(res.statusCode).toBe(201);
    // The runner got the real values...
    expect(service.runner.checks[0]?.headers).toEqual([
      ['Authorization', secret],
      ['Cookie', 'sid=abcdef'],
    ]);
    // ...the answer and the stored record do not, not even inside the curl commands.
    expect(res.body).not.toContain('s3cr3t-token-value');
    expect(res.body).not.toContain('abcdef');
    const stored = service.app.inject({ method: 'GET', url: `/api/checks/${res.json().id}` });
    const text = (await stored).body;
    expect(text).not.toContain('s3cr3t-token-value');
    expect(text).toContain('Bearer ****#');
    const row = service.store.db.prepare('SELECT input, result FROM checks').get() as Record<
      string,
      string
    >;
    expect(JSON.stringify(row)).not.toContain('s3cr3t-token-value');
  });
});

describe('methods that change data', () => {
  const cases: { name: string; body: Record<string, unknown>; forced: boolean }[] = [
    { name: 'PUT without opt-in is preflight-only', body: { method: 'PUT' }, forced: true },
    { name: 'DELETE without opt-in is preflight-only', body: { method: 'DELETE' }, forced: true },
    { name: 'PATCH without opt-in is preflight-only', body: { method: 'PATCH' }, forced: true },
    { name: 'an unknown method is preflight-only', body: { method: 'PURGE' }, forced: true },
    {
      name: 'POST with a JSON body is preflight-only',
      body: { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } },
      forced: true,
    },
    {
      name: 'POST with a form body is sent',
      body: {
        method: 'POST',
        body: 'a=1',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      },
      forced: false,
    },
    {
      name: 'POST with a text body and no Content-Type is sent',
      body: { method: 'POST', body: 'x' },
      forced: false,
    },
    { name: 'GET is sent', body: { method: 'GET' }, forced: false },
    {
      name: 'PUT with allowUnsafeMethods is sent',
      body: { method: 'PUT', allowUnsafeMethods: true },
      forced: false,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const res = await post(checkBody(c.body));
      expect(res.statusCode).toBe(201);
      expect(service.runner.checks[0]?.preflightOnly).toBe(c.forced);
      const notices = res.json().notices as { code: string; message: string }[];
      if (c.forced) {
        expect(notices[0]?.code).toBe('PREFLIGHT_ONLY_UNSAFE_METHOD');
        expect(notices[0]?.message).toContain('allowUnsafeMethods');
      } else {
        expect(notices).toEqual([]);
      }
    });
  }

  it('an explicit preflightOnly gets no notice', async () => {
    const res = await post(checkBody({ method: 'PUT', preflightOnly: true }));
    expect(res.json().notices).toEqual([]);
    expect(service.runner.checks[0]?.preflightOnly).toBe(true);
  });
});

describe('GET /api/checks/:id', () => {
  it('answers the stored check', async () => {
    const created = (await post(checkBody())).json();
    const res = await service.app.inject({ method: 'GET', url: `/api/checks/${created.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(created);
  });

  it('answers 404 for an unknown id', async () => {
    const res = await service.app.inject({ method: 'GET', url: '/api/checks/chk_nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'not-found', field: 'id' });
  });
});

describe('GET /api/checks (history)', () => {
  async function seed() {
    const verdicts = ['allowed', 'blocked', 'error', 'allowed', 'blocked'] as const;
    let i = 0;
    service.runner.onCheck = (input) =>
      fakeCheckResult(input, { verdict: verdicts[i++ % verdicts.length] });
    const urls = ['https://a.example/x', 'https://b.example/y'];
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) {
      const res = await post({
        url: urls[n % 2],
        origin: n < 3 ? 'https://app.example.com' : 'https://other.example.com',
      });
      ids.push(res.json().id);
      await service.clock.advance(1000);
    }
    return ids;
  }

  it('pages newest first with a cursor, each check once', async () => {
    const ids = await seed();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const qs: string = cursor === null ? 'limit=2' : `limit=2&cursor=${cursor}`;
      const res = await service.app.inject({ method: 'GET', url: `/api/checks?${qs}` });
      expect(res.statusCode).toBe(200);
      const page = res.json() as { items: { id: string }[]; nextCursor: string | null };
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
  });

  it('filters by url, origin and verdict', async () => {
    await seed();
    const get = async (qs: string) =>
      (await service.app.inject({ method: 'GET', url: `/api/checks?${qs}` })).json().items as {
        url: string;
        origin: string;
        verdict: string;
        method: string;
        createdAt: string;
      }[];
    const byUrl = await get('url=https://a.example/x');
    expect(byUrl).toHaveLength(3);
    expect(byUrl.every((c) => c.url === 'https://a.example/x')).toBe(true);
    // Filters are canonicalized like stored values.
    expect(await get('url=HTTPS://A.EXAMPLE/x')).toHaveLength(3);
    expect(await get(`origin=${encodeURIComponent('https://other.example.com')}`)).toHaveLength(2);
    const blocked = await get('verdict=blocked');
    expect(blocked.map((c) => c.verdict)).toEqual(['blocked', 'blocked']);
    expect(await get('verdict=error&url=https://a.example/x')).toHaveLength(1);
    expect(blocked[0]).toMatchObject({ method: 'GET' });
    expect(blocked[0]?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('an empty history is one empty page', async () => {
    const res = await service.app.inject({ method: 'GET', url: '/api/checks' });
    expect(res.json()).toEqual({ items: [], nextCursor: null });
  });
});

describe('checker refusals and limits', () => {
  it('a CheckInputError from the checker is a 400 naming its option', async () => {
    service.runner.onCheck = () => {
      throw new CheckInputError('BODY_NOT_ALLOWED', 'body', 'a GET request cannot have a body');
    };
    // A POST with a body passes the route's own checks, so the refusal comes from the checker.
    const res = await post(checkBody({ method: 'POST', body: 'x' }));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'bad-request',
      field: 'body',
      message: 'corsproof: a GET request cannot have a body',
    });
  });

  it('a bug in the runner is a 500 without details', async () => {
    service.runner.onCheck = () => {
      throw new Error('internal detail /etc/secret');
    };
    const res = await post(checkBody());
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('/etc/secret');
  });
});
