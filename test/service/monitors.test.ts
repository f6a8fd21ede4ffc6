import { afterEach, describe, expect, it } from 'vitest';
import { ServiceBusyError } from '../../src/service/limits/concurrency-limit.js';
import { openSqliteStore } from '../../src/service/store/index.js';
import {
  checkBody,
  createFakeClock,
  createTestService,
  type FakeCheck,
  fakeCheckResult,
  type TestService,
} from './helpers.js';

let service: TestService | undefined;

afterEach(async () => {
  await service?.close();
  service = undefined;
});

const PASSING: FakeCheck = {
  verdict: 'allowed',
  preflight: [
    ['Access-Control-Allow-Origin', 'https://app.example.com'],
    ['Access-Control-Allow-Methods', 'PUT'],
    ['Vary', 'Origin'],
  ],
  response: [
    ['Access-Control-Allow-Origin', 'https://app.example.com'],
    ['Content-Type', 'application/json'],
  ],
};

const FAILING: FakeCheck = {
  verdict: 'blocked',
  preflight: [
    ['Access-Control-Allow-Origin', 'https://app.example.com'],
    ['Vary', 'Origin'],
  ],
  preflightStatus: 403,
  response: [['Content-Type', 'application/json']],
};

/** What the fake runner answers next; tests switch it between runs. */
let behaviour: FakeCheck = PASSING;

function behave(fake: FakeCheck): void {
  behaviour = fake;
}

async function setup(): Promise<TestService> {
  behaviour = PASSING;
  service = await createTestService();
  service.runner.onCheck = (input) => fakeCheckResult(input, behaviour);
  return service;
}

async function createMonitor(s: TestService, extra: Record<string, unknown> = {}) {
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/monitors',
    payload: checkBody({ intervalSeconds: 30, ...extra }),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; status: string; nextRunAt: string; intervalSeconds: number };
}

async function detail(s: TestService, id: string) {
  const res = await s.app.inject({ method: 'GET', url: `/api/monitors/${id}` });
  expect(res.statusCode).toBe(200);
  return res.json() as {
    monitor: { status: string; lastRunAt: string | null; nextRunAt: string };
    transitions: {
      at: string;
      from: string | null;
      to: string;
      changes: unknown[];
      result: { verdict: string };
    }[];
    runs: { at: string; outcome: string; verdict: string }[];
  };
}

describe('monitors', () => {
  it('creating one answers 201 and runs it at once, recording a baseline', async () => {
    const s = await setup();
    const created = await createMonitor(s);
    expect(created).toMatchObject({
      status: 'pending',
      intervalSeconds: 30,
      nextRunAt: '2025-01-01T00:00:00.000Z',
    });
    await s.clock.advance(0);
    const d = await detail(s, created.id);
    expect(d.monitor.status).toBe('passed');
    expect(d.runs).toHaveLength(1);
    expect(d.transitions).toHaveLength(1);
    expect(d.transitions[0]).toMatchObject({ from: null, to: 'passed' });
    expect(d.monitor.nextRunAt).toBe('2025-01-01T00:00:30.000Z');
  });

  it('re-checks on schedule and records pass -> fail -> pass with the header diff', async () => {
    const s = await setup();
    const { id } = await createMonitor(s);
    await s.clock.advance(0);

    // Nothing is due before the interval.
    await s.clock.advance(29_000);
    expect(s.runner.checks).toHaveLength(1);
    await s.clock.advance(1_000);
    expect(s.runner.checks).toHaveLength(2);
    expect((await detail(s, id)).transitions).toHaveLength(1);

    behave(FAILING);
    await s.clock.advance(30_000);
    let d = await detail(s, id);
    expect(d.monitor.status).toBe('failed');
    expect(d.transitions[0]).toMatchObject({
      from: 'passed',
      to: 'failed',
      at: '2025-01-01T00:01:00.000Z',
    });
    expect(d.transitions[0]?.result.verdict).toBe('blocked');
    expect(d.transitions[0]?.changes).toEqual([
      { exchange: 'preflight', name: ':status', before: '204', after: '403' },
      { exchange: 'preflight', name: 'access-control-allow-methods', before: 'PUT', after: null },
      {
        exchange: 'response',
        name: 'access-control-allow-origin',
        before: 'https://app.example.com',
        after: null,
      },
    ]);

    // Still failing: a run, no transition.
    await s.clock.advance(30_000);
    expect((await detail(s, id)).transitions).toHaveLength(2);

    behave(PASSING);
    await s.clock.advance(30_000);
    d = await detail(s, id);
    expect(d.monitor.status).toBe('passed');
    expect(d.transitions.map((t) => `${t.from}->${t.to}`)).toEqual([
      'failed->passed',
      'passed->failed',
      'null->passed',
    ]);
    expect(d.transitions[0]?.changes).toEqual([
      { exchange: 'preflight', name: ':status', before: '403', after: '204' },
      { exchange: 'preflight', name: 'access-control-allow-methods', before: null, after: 'PUT' },
      {
        exchange: 'response',
        name: 'access-control-allow-origin',
        before: null,
        after: 'https://app.example.com',
      },
    ]);
    expect(d.runs.map((r) => r.outcome)).toEqual([
      'passed',
      'failed',
      'failed',
      'passed',
      'passed',
    ]);
  });

  it('a run that errors is a transition too', async () => {
    const s = await setup();
    const { id } = await createMonitor(s);
    await s.clock.advance(0);
    behave({ verdict: 'error' });
    await s.clock.advance(30_000);
    const d = await detail(s, id);
    expect(d.transitions[0]).toMatchObject({ from: 'passed', to: 'error' });
  });

  it('a busy service postpones the run instead of recording a failure', async () => {
    const s = await setup();
    const { id } = await createMonitor(s);
    s.runner.onCheck = () => {
      throw new ServiceBusyError(1, 0);
    };
    await s.clock.advance(0);
    let d = await detail(s, id);
    expect(d.runs).toHaveLength(0);
    expect(d.monitor.status).toBe('pending');
    behave(PASSING);
    s.runner.onCheck = (input) => fakeCheckResult(input, PASSING);
    await s.clock.advance(5_000);
    d = await detail(s, id);
    expect(d.runs).toHaveLength(1);
  });

  it('keeps credentials redacted in its record and gives the runner the clear value', async () => {
    const s = await setup();
    const { id } = await createMonitor(s, { headers: { Authorization: 'Bearer mon-secret-1' } });
    await s.clock.advance(0);
    expect(s.runner.checks[0]?.headers).toEqual([['Authorization', 'Bearer mon-secret-1']]);
    const res = await s.app.inject({ method: 'GET', url: `/api/monitors/${id}` });
    expect(res.body).not.toContain('mon-secret-1');
    const row = s.store.db.prepare('SELECT input, sealed_input FROM monitors').get() as {
      input: string;
      sealed_input: string;
    };
    expect(row.input).not.toContain('mon-secret-1');
    expect(row.sealed_input).not.toContain('mon-secret-1');
  });

  it('lists monitors newest first with a cursor', async () => {
    const s = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await createMonitor(s)).id);
      await s.clock.advance(1);
    }
    const first = (await s.app.inject({ method: 'GET', url: '/api/monitors?limit=2' })).json();
    expect(first.items.map((m: { id: string }) => m.id)).toEqual([ids[2], ids[1]]);
    const second = (
      await s.app.inject({ method: 'GET', url: `/api/monitors?limit=2&cursor=${first.nextCursor}` })
    ).json();
    expect(second).toMatchObject({ nextCursor: null });
    expect(second.items.map((m: { id: string }) => m.id)).toEqual([ids[0]]);
  });

  it('deleting stops it and forgets its history; unknown ids are 404', async () => {
    const s = await setup();
    const { id } = await createMonitor(s);
    await s.clock.advance(0);
    const del = await s.app.inject({ method: 'DELETE', url: `/api/monitors/${id}` });
    expect(del.statusCode).toBe(204);
    await s.clock.advance(120_000);
    expect(s.runner.checks).toHaveLength(1);
    for (const method of ['GET', 'DELETE'] as const) {
      const res = await s.app.inject({ method, url: `/api/monitors/${id}` });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: 'not-found' });
    }
    const left = s.store.db.prepare('SELECT COUNT(*) AS n FROM monitor_runs').get() as {
      n: number;
    };
    expect(left.n).toBe(0);
  });

  it('refuses a monitor past the maximum with 409', async () => {
    service = await createTestService({ limits: { maxMonitors: 1 } });
    await createMonitor(service);
    const res = await service.app.inject({
      method: 'POST',
      url: '/api/monitors',
      payload: checkBody({ intervalSeconds: 30 }),
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: 'limit-reached' });
  });

  it('runs no more monitors at once than its concurrency, even when runDue is called twice', async () => {
    service = await createTestService({ startJobs: false, limits: { monitorConcurrency: 1 } });
    const s = service;
    let current = 0;
    let most = 0;
    s.runner.onCheck = async (input) => {
      current += 1;
      most = Math.max(most, current);
      await new Promise<void>((resolve) => setImmediate(resolve));
      current -= 1;
      return fakeCheckResult(input, PASSING);
    };
    for (let i = 0; i < 3; i++) await createMonitor(s);
    const ran = await Promise.all([s.monitors.runDue(), s.monitors.runDue()]);
    expect(most).toBe(1);
    expect(ran[0] + ran[1]).toBe(3);
    expect(s.runner.checks).toHaveLength(3);
  });

  it('after a restart, a run cut short is due again and runs at start-up', async () => {
    const store = openSqliteStore(':memory:');
    const clock = createFakeClock();
    const first = await createTestService({ store, clock, startJobs: false });
    const { id } = await createMonitor(first);
    // A crash in the middle of a run leaves the mark behind.
    await store.monitors.claimDue(clock.now(), 10);
    expect(await store.monitors.nextDueAt()).toBeUndefined();
    await first.app.close();

    service = await createTestService({ store, clock });
    await clock.advance(0);
    expect(service.runner.checks).toHaveLength(1);
    expect((await detail(service, id)).monitor.status).toBe('passed');
  });
});
