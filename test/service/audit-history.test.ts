/** `GET /api/audits`: the audit history, newest first, filtered and paged like the checks'. */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestService, type TestService } from './helpers.js';

let service: TestService | undefined;

afterEach(async () => {
  await service?.close();
  service = undefined;
});

async function seeded(): Promise<TestService> {
  const s = await createTestService({ limits: { rate: { capacity: 1000, refillPerSecond: 1 } } });
  // The fake runner's audit fails (a high finding) for /bad, and cannot reach /down.
  s.runner.onAudit = (input) => {
    if (input.url.endsWith('/down')) {
      return { findings: [], error: { code: 'CONNECTION_REFUSED', message: 'refused' } };
    }
    return { findings: [] };
  };
  const urls = [
    'https://api.example.com/a',
    'https://api.example.com:8443/b',
    'https://other.example.com/down',
    'https://api_x.example.com/c',
  ];
  for (const url of urls) {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/audits',
      payload: { url, origin: 'https://app.example.com' },
    });
    expect(res.statusCode, res.body).toBe(201);
    await s.clock.advance(60_000);
  }
  return s;
}

async function list(s: TestService, qs: string) {
  const res = await s.app.inject({ method: 'GET', url: `/api/audits?${qs}` });
  return { status: res.statusCode, body: res.json() };
}

describe('GET /api/audits', () => {
  it('lists audits newest first, with their outcome', async () => {
    service = await seeded();
    const { status, body } = await list(service, '');
    expect(status).toBe(200);
    expect(body.items.map((i: { url: string }) => i.url)).toEqual([
      'https://api_x.example.com/c',
      'https://other.example.com/down',
      'https://api.example.com:8443/b',
      'https://api.example.com/a',
    ]);
    expect(body.items[1]).toMatchObject({ outcome: 'error', origin: 'https://app.example.com' });
    expect(body.nextCursor).toBeNull();
  });

  it('filters by outcome, by host (any port, wildcards taken literally) and by time', async () => {
    service = await seeded();
    const errors = await list(service, 'outcome=error');
    expect(errors.body.items.map((i: { url: string }) => i.url)).toEqual([
      'https://other.example.com/down',
    ]);
    const host = await list(service, 'host=API.example.com');
    expect(host.body.items).toHaveLength(2);
    // `_` is a LIKE wildcard; here it must match only itself.
    expect((await list(service, 'host=api_x.example.com')).body.items).toHaveLength(1);
    expect((await list(service, 'host=apiXx.example.com')).body.items).toHaveLength(0);
    const since = await list(service, 'since=2025-01-01T00:02:00Z');
    expect(since.body.items).toHaveLength(2);
  });

  it('pages with the cursor it returns', async () => {
    service = await seeded();
    const first = await list(service, 'limit=3');
    expect(first.body.items).toHaveLength(3);
    const second = await list(service, `limit=3&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((i: { url: string }) => i.url)).toEqual([
      'https://api.example.com/a',
    ]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('answers 400 naming the field for a bad time, host or cursor', async () => {
    service = await seeded();
    for (const [qs, field] of [
      ['since=yesterday', 'since'],
      ['host=https://api.example.com/', 'host'],
      ['host=api.example.com:443', 'host'],
      ['cursor=nope', 'cursor'],
      ['outcome=clean', 'outcome'],
    ] as const) {
      const { status, body } = await list(service, qs);
      expect(status, qs).toBe(400);
      expect(body.field, qs).toBe(field);
    }
  });
});
