/** Lists of batches and monitors with filters and cursors, and "run again" of stored work. */
import { afterEach, describe, expect, it } from 'vitest';
import { checkBody, createTestService, settle, type TestService } from './helpers.js';

let service: TestService | undefined;

afterEach(async () => {
  await service?.close();
  service = undefined;
});

async function start(): Promise<TestService> {
  service = await createTestService();
  return service;
}

function post(s: TestService, url: string, payload?: object) {
  return s.app.inject({ method: 'POST', url, ...(payload === undefined ? {} : { payload }) });
}

async function get(s: TestService, url: string) {
  const res = await s.app.inject({ method: 'GET', url });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** Lets the batch queue finish what it holds (the fake runner answers at once). */
async function drain(s: TestService): Promise<void> {
  for (let i = 0; i < 20 && (await s.store.batches.unfinished()).length > 0; i++) await settle();
}

describe('GET /api/batches', () => {
  it('lists batches newest first, filtered by kind and status, page by page', async () => {
    const s = await start();
    const ids: string[] = [];
    for (const kind of ['check', 'audit', 'check'] as const) {
      const res = await post(s, '/api/batches', { kind, targets: [checkBody()] });
      expect(res.statusCode, res.body).toBe(202);
      ids.push(res.json().id);
      await s.clock.advance(1);
    }
    await drain(s);
    const all = await get(s, '/api/batches');
    expect(all.items.map((b: { id: string }) => b.id)).toEqual([...ids].reverse());
    expect(all.items[0]).toMatchObject({ kind: 'check', status: 'done', progress: { total: 1 } });

    const checks = await get(s, '/api/batches?kind=check');
    expect(checks.items.map((b: { id: string }) => b.id)).toEqual([ids[2], ids[0]]);
    expect((await get(s, '/api/batches?status=running')).items).toEqual([]);

    const first = await get(s, '/api/batches?limit=2');
    expect(first.items).toHaveLength(2);
    const second = await get(s, `/api/batches?limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((b: { id: string }) => b.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
  });

  it('answers 400 naming the field for a bad time or cursor', async () => {
    const s = await start();
    const since = await s.app.inject({ method: 'GET', url: '/api/batches?since=yesterday' });
    expect(since.statusCode).toBe(400);
    expect(since.json().field).toBe('since');
    const cursor = await s.app.inject({ method: 'GET', url: '/api/batches?cursor=%21' });
    expect(cursor.statusCode).toBe(400);
  });
});

describe('GET /api/monitors filters', () => {
  it('filters by last outcome, paused and host', async () => {
    const s = await start();
    const a = await post(s, '/api/monitors', { ...checkBody(), intervalSeconds: 60 });
    const b = await post(s, '/api/monitors', {
      ...checkBody({ url: 'https://other.example.net:8443/x' }),
      intervalSeconds: 60,
    });
    const [idA, idB] = [a.json().id, b.json().id];
    await s.clock.advance(0);
    await post(s, `/api/monitors/${idB}/pause`);

    const ids = async (query: string) =>
      (await get(s, `/api/monitors${query}`)).items.map((m: { id: string }) => m.id);
    expect(await ids('?status=passed')).toEqual([idA]);
    expect(await ids('?status=paused')).toEqual([idB]);
    expect(await ids('?host=other.example.net')).toEqual([idB]);
    expect(await ids('?host=example.net')).toEqual([]);
    expect(await ids('')).toEqual([idB, idA]);
  });
});

describe('run again', () => {
  it('re-runs a check as a new check with the same input', async () => {
    const s = await start();
    const first = await post(s, '/api/checks', checkBody({ method: 'GET' }));
    const again = await post(s, `/api/checks/${first.json().id}/rerun`);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().id).not.toBe(first.json().id);
    expect(again.json().input).toEqual(first.json().input);
    expect(again.headers.location).toBe(`/api/checks/${again.json().id}`);
    expect(s.runner.checks).toHaveLength(2);
  });

  it('re-runs an audit and a batch', async () => {
    const s = await start();
    const audit = await post(s, '/api/audits', checkBody());
    const audit2 = await post(s, `/api/audits/${audit.json().id}/rerun`);
    expect(audit2.statusCode, audit2.body).toBe(201);
    expect(s.runner.audits).toHaveLength(2);

    const batch = await post(s, '/api/batches', {
      kind: 'check',
      targets: [checkBody(), checkBody({ url: 'https://api.example.com/other' })],
    });
    await drain(s);
    const batch2 = await post(s, `/api/batches/${batch.json().id}/rerun`);
    expect(batch2.statusCode, batch2.body).toBe(202);
    expect(batch2.json()).toMatchObject({ total: 2 });
    await drain(s);
    const done = await get(s, `/api/batches/${batch2.json().id}`);
    expect(done.results.items.map((t: { input: { url: string } }) => t.input.url)).toEqual([
      'https://api.example.com/items',
      'https://api.example.com/other',
    ]);
  });

  it('refuses to re-run what carried credentials, and 404s an unknown id', async () => {
    const s = await start();
    const first = await post(s, '/api/checks', checkBody({ headers: { Authorization: 'x' } }));
    expect(first.statusCode, first.body).toBe(201);
    const again = await post(s, `/api/checks/${first.json().id}/rerun`);
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('Authorization');
    expect((await post(s, '/api/audits/aud_nope/rerun')).statusCode).toBe(404);
    expect((await post(s, '/api/batches/bat_nope/rerun')).statusCode).toBe(404);
  });
});

describe('monitor actions', () => {
  it('pauses (no runs while paused), resumes (due at once) and runs now', async () => {
    const s = await start();
    const made = await post(s, '/api/monitors', { ...checkBody(), intervalSeconds: 60 });
    const id = made.json().id as string;
    await s.clock.advance(0);
    expect(s.runner.checks).toHaveLength(1);

    const paused = await post(s, `/api/monitors/${id}/pause`);
    expect(paused.json()).toMatchObject({ paused: true });
    await s.clock.advance(600_000);
    expect(s.runner.checks).toHaveLength(1);
    expect((await post(s, `/api/monitors/${id}/run`)).statusCode).toBe(409);

    const resumed = await post(s, `/api/monitors/${id}/resume`);
    expect(resumed.json()).toMatchObject({ paused: false });
    await s.clock.advance(0);
    expect(s.runner.checks).toHaveLength(2);

    const run = await post(s, `/api/monitors/${id}/run`);
    expect(run.statusCode).toBe(202);
    await s.clock.advance(0);
    expect(s.runner.checks).toHaveLength(3);
  });

  it('edits what a monitor checks and how often, validating like a new one', async () => {
    const s = await start();
    const made = await post(s, '/api/monitors', { ...checkBody(), intervalSeconds: 60 });
    const id = made.json().id as string;
    await s.clock.advance(0);
    const edited = await s.app.inject({
      method: 'PATCH',
      url: `/api/monitors/${id}`,
      payload: {
        intervalSeconds: 120,
        check: checkBody({ url: 'https://api.example.com/v2' }),
      },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({
      intervalSeconds: 120,
      input: { url: 'https://api.example.com/v2' },
    });
    await s.clock.advance(0);
    expect(s.runner.checks.at(-1)?.url).toBe('https://api.example.com/v2');

    const bad = await s.app.inject({
      method: 'PATCH',
      url: `/api/monitors/${id}`,
      payload: { check: checkBody({ url: 'http://127.0.0.1/' }) },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('check.url');
    const empty = await s.app.inject({ method: 'PATCH', url: `/api/monitors/${id}`, payload: {} });
    expect(empty.statusCode).toBe(400);
  });
});
