import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/service/store/index.js';
import {
  createFakeRunner,
  createTestService,
  delay,
  fakeCheckResult,
  openEventStream,
  type SseEvent,
  type TestService,
} from './helpers.js';

let service: TestService | undefined;

afterEach(async () => {
  await service?.close();
  service = undefined;
});

function targets(n: number): { url: string; origin: string }[] {
  return Array.from({ length: n }, (_, i) => ({
    url: `https://t${i}.example/api`,
    origin: 'https://app.example.com',
  }));
}

/** Target i passes, fails or errors by i % 3. */
function verdictOf(url: string): 'allowed' | 'blocked' | 'error' {
  const i = Number(/t(\d+)\./.exec(url)?.[1] ?? 0);
  return (['allowed', 'blocked', 'error'] as const)[i % 3] as 'allowed' | 'blocked' | 'error';
}

async function start(options: { slowMs?: number; batchConcurrency?: number } = {}) {
  const runner = createFakeRunner();
  runner.onCheck = async (input) => {
    if (options.slowMs !== undefined) await delay(options.slowMs);
    return fakeCheckResult(input, { verdict: verdictOf(input.url) });
  };
  service = await createTestService({
    runner,
    limits: { batchConcurrency: options.batchConcurrency ?? 4 },
  });
  return service;
}

async function createBatch(s: TestService, body: object) {
  const res = await s.app.inject({ method: 'POST', url: '/api/batches', payload: body });
  expect(res.statusCode, res.body).toBe(202);
  return res;
}

describe('POST /api/batches', () => {
  it('answers 202 with id, status and total, and runs every target once', async () => {
    const s = await start();
    const res = await createBatch(s, { kind: 'check', targets: targets(9) });
    const body = res.json();
    expect(body).toMatchObject({ total: 9 });
    expect(body.id).toMatch(/^bat_/);
    expect(['pending', 'running']).toContain(body.status);
    expect(res.headers.location).toBe(`/api/batches/${body.id}`);
    await s.batches.idle();
    expect(s.runner.checks.map((c) => c.url).sort()).toEqual(
      targets(9)
        .map((t) => t.url)
        .sort(),
    );
  });

  it('stores credentials of targets redacted, sealed only until the target is done', async () => {
    const s = await start({ slowMs: 50, batchConcurrency: 1 });
    const res = await createBatch(s, {
      kind: 'check',
      targets: [
        { ...targets(1)[0], headers: { Authorization: 'Bearer tok-123456' } },
        { ...targets(2)[1], headers: { Authorization: 'Bearer tok-abcdef' } },
      ],
    });
    const id = res.json().id as string;
    const rows = () =>
      s.store.db
        .prepare(
          'SELECT position, input, sealed_input, result FROM batch_targets WHERE batch_id = ? ORDER BY position',
        )
        .all(id) as {
        position: number;
        input: string;
        sealed_input: string | null;
        result: string | null;
      }[];
    // Queued: the clear value is only in the sealed column, and not readable there.
    for (const row of rows()) {
      expect(row.input).not.toContain('tok-');
      expect(row.sealed_input).toMatch(/^v1\./);
      expect(row.sealed_input).not.toContain('tok-');
    }
    await s.batches.idle();
    // The runner got the clear values; nothing in the database has them any more.
    expect(s.runner.checks.map((c) => c.headers[0]?.[1])).toEqual([
      'Bearer tok-123456',
      'Bearer tok-abcdef',
    ]);
    for (const row of rows()) {
      expect(row.sealed_input).toBeNull();
      expect(`${row.input}${row.result}`).not.toContain('tok-');
    }
  });

  it('runs batches round-robin, so a small batch is not stuck behind a big one', async () => {
    const s = await start({ batchConcurrency: 1 });
    // The big batch's first check waits until the small batch is queued behind it, so the order
    // after that is the scheduler's alone, however fast the checks run.
    let open = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let running = () => {};
    const firstRunning = new Promise<void>((resolve) => {
      running = resolve;
    });
    const answer = s.runner.onCheck;
    s.runner.onCheck = async (input, signal) => {
      running();
      await gate;
      return answer(input, signal);
    };
    const big = (await createBatch(s, { kind: 'check', targets: targets(30) })).json().id as string;
    await firstRunning;
    const small = (await createBatch(s, { kind: 'check', targets: targets(2) })).json()
      .id as string;
    open();
    await s.batches.idle();
    const finished = (id: string) =>
      (
        s.store.db.prepare('SELECT finished_at AS f FROM batches WHERE id = ?').get(id) as {
          f: number;
        }
      ).f;
    expect((await s.store.batches.get(small))?.status).toBe('done');
    expect(finished(small)).toBeLessThanOrEqual(finished(big));
  });

  it('never runs more targets at once than its concurrency, however slowly the store answers', async () => {
    const store = openSqliteStore(':memory:');
    // Every claim waits a turn of the event loop, as a networked database would, so claims of
    // several workers interleave.
    const slow = {
      ...store,
      batches: {
        ...store.batches,
        async claimNext(id: string) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          return store.batches.claimNext(id);
        },
      },
    };
    const runner = createFakeRunner();
    let current = 0;
    let most = 0;
    runner.onCheck = async (input) => {
      current += 1;
      most = Math.max(most, current);
      await new Promise<void>((resolve) => setImmediate(resolve));
      current -= 1;
      return fakeCheckResult(input);
    };
    const s = await createTestService({ store: slow, runner, limits: { batchConcurrency: 2 } });
    service = s;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await createBatch(s, { kind: 'check', targets: targets(4) })).json().id as string);
    }
    await s.batches.idle();
    expect(most).toBe(2);
    expect(runner.checks).toHaveLength(12);
    for (const id of ids) expect((await store.batches.get(id))?.status).toBe('done');
    expect(s.batches.activeBatches).toBe(0);
  });

  it('an audit batch counts medium findings as failed', async () => {
    const s = await start();
    s.runner.onAudit = (input) => ({
      findings: input.url.includes('t1.')
        ? [
            {
              id: 'origin-reflected-any',
              category: 'security',
              severity: 'medium',
              title: '',
              origin: 'https://x.example',
              message: '',
              why: '',
              fix: '',
              credentials: false,
              evidence: [],
            },
          ]
        : [],
    });
    const id = (await createBatch(s, { kind: 'audit', targets: targets(3) })).json().id as string;
    await s.batches.idle();
    expect((await s.store.batches.get(id))?.progress).toEqual({
      done: 3,
      total: 3,
      passed: 2,
      failed: 1,
      errors: 0,
    });
  });

  it('a target whose run throws ends as an error, and the batch goes on', async () => {
    const s = await start();
    s.runner.onCheck = (input) => {
      if (input.url.includes('t1.')) throw new Error('boom /internal/path');
      return fakeCheckResult(input);
    };
    const id = (await createBatch(s, { kind: 'check', targets: targets(3) })).json().id as string;
    await s.batches.idle();
    const res = await s.app.inject({ method: 'GET', url: `/api/batches/${id}?outcome=error` });
    const items = res.json().results.items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      position: 1,
      outcome: 'error',
      result: { verdict: 'error', error: { code: 'INTERNAL' } },
    });
    expect(JSON.stringify(items)).not.toContain('/internal/path');
  });
});

describe('GET /api/batches/:id', () => {
  it('answers status, progress and results in submission order, page by page', async () => {
    const s = await start();
    const id = (await createBatch(s, { kind: 'check', targets: targets(7) })).json().id as string;
    await s.batches.idle();
    const positions: number[] = [];
    let cursor: string | null = null;
    do {
      const qs: string = cursor === null ? 'limit=3' : `limit=3&cursor=${cursor}`;
      const res = await s.app.inject({ method: 'GET', url: `/api/batches/${id}?${qs}` });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({
        id,
        kind: 'check',
        status: 'done',
        progress: { done: 7, total: 7, passed: 3, failed: 2, errors: 2 },
      });
      expect(body.finishedAt).not.toBeNull();
      positions.push(...body.results.items.map((t: { position: number }) => t.position));
      cursor = body.results.nextCursor;
    } while (cursor !== null);
    expect(positions).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('filters results by outcome and state', async () => {
    const s = await start();
    const id = (await createBatch(s, { kind: 'check', targets: targets(7) })).json().id as string;
    await s.batches.idle();
    const get = async (qs: string) =>
      (await s.app.inject({ method: 'GET', url: `/api/batches/${id}?${qs}` })).json().results
        .items as {
        position: number;
        outcome: string;
        state: string;
        seq: number;
      }[];
    expect((await get('outcome=failed')).map((t) => t.position)).toEqual([1, 4]);
    expect((await get('outcome=passed')).map((t) => t.position)).toEqual([0, 3, 6]);
    expect(await get('state=pending')).toEqual([]);
    const done = await get('state=done&limit=100');
    expect(done.map((t) => t.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('answers 404 for an unknown batch, for its events too', async () => {
    const s = await start();
    for (const url of ['/api/batches/bat_nope', '/api/batches/bat_nope/events']) {
      const res = await s.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: 'not-found', field: 'id' });
    }
  });
});

describe('GET /api/batches/:id/events (Server-Sent Events over a socket)', () => {
  function results(events: SseEvent[]) {
    return events
      .filter((e) => e.event === 'result')
      .map((e) => ({
        id: Number(e.id),
        ...(JSON.parse(e.data) as { position: number; seq: number }),
      }));
  }

  it('streams progress, each result once as it lands, then done', async () => {
    const s = await start({ slowMs: 10 });
    const base = await s.app.listen({ port: 0, host: '127.0.0.1' });
    const id = (await createBatch(s, { kind: 'check', targets: targets(24) })).json().id as string;
    const stream = await openEventStream(`${base}/api/batches/${id}/events`);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers['cache-control']).toBe('no-cache, no-transform');
    await stream.ended;

    const { events } = stream;
    expect(events[0]?.event).toBe('progress');
    expect(events.at(-1)?.event).toBe('done');
    expect(JSON.parse(events.at(-1)?.data ?? '{}')).toEqual({
      done: 24,
      total: 24,
      passed: 8,
      failed: 8,
      errors: 8,
    });
    // A late connection may have missed the first few; every result it got is unique and in seq order.
    const got = results(events);
    const initialDone = JSON.parse(events[0]?.data ?? '{}').done as number;
    expect(got.map((r) => r.seq)).toEqual(
      Array.from({ length: 24 - initialDone }, (_, i) => initialDone + i + 1),
    );
    expect(got.every((r) => r.id === r.seq)).toBe(true);
    expect(new Set(got.map((r) => r.position)).size).toBe(got.length);
    // Progress only ever grows, and reaches the total.
    const progress = events
      .filter((e) => e.event === 'progress')
      .map((e) => JSON.parse(e.data).done as number);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(24);
  });

  it('with Last-Event-ID, a client resumes without gaps or repeats', async () => {
    const s = await start({ slowMs: 15, batchConcurrency: 2 });
    const base = await s.app.listen({ port: 0, host: '127.0.0.1' });
    const id = (await createBatch(s, { kind: 'check', targets: targets(20) })).json().id as string;

    // First connection: read a few results, then drop.
    const first = await openEventStream(`${base}/api/batches/${id}/events`, {
      'last-event-id': '0',
    });
    await first.until((e) => e.event === 'result' && Number(e.id) >= 4);
    first.close();
    const seen = results(first.events);
    const last = seen.at(-1)?.seq ?? 0;
    expect(seen.map((r) => r.seq)).toEqual(Array.from({ length: last }, (_, i) => i + 1));

    await delay(60);
    const second = await openEventStream(`${base}/api/batches/${id}/events`, {
      'last-event-id': String(last),
    });
    await second.ended;
    expect(second.events[0]?.event).toBe('progress');
    const rest = results(second.events);
    const all = [...seen, ...rest];
    expect(all.map((r) => r.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(all.map((r) => r.position)).size).toBe(20);
    expect(second.events.at(-1)?.event).toBe('done');
  });

  it('a client joining a finished batch gets its progress and done, and the stream ends', async () => {
    const s = await start();
    const id = (await createBatch(s, { kind: 'check', targets: targets(3) })).json().id as string;
    await s.batches.idle();
    // The stream ends by itself, so inject can read it whole.
    const res = await s.app.inject({ method: 'GET', url: `/api/batches/${id}/events` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(
      'event: progress\ndata: {"done":3,"total":3,"passed":1,"failed":1,"errors":1}',
    );
    expect(res.body).toContain('event: done\n');
    expect(res.body).not.toContain('event: result');
    const resumed = await s.app.inject({
      method: 'GET',
      url: `/api/batches/${id}/events`,
      headers: { 'last-event-id': '1' },
    });
    expect(resumed.body.match(/event: result/g)).toHaveLength(2);
    expect(resumed.body).toContain('id: 2\nevent: result');
    expect(resumed.body).toContain('id: 3\nevent: result');
  });

  it('a Last-Event-ID that is not a number is a 400 naming it', async () => {
    const s = await start();
    const id = (await createBatch(s, { kind: 'check', targets: targets(1) })).json().id as string;
    const res = await s.app.inject({
      method: 'GET',
      url: `/api/batches/${id}/events`,
      headers: { 'last-event-id': 'x' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'Last-Event-ID' });
  });
});

describe('recovery in process', () => {
  it('targets interrupted by a stop run again at the next start, each result stored once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'corsproof-batch-'));
    try {
      const file = path.join(dir, 'db.sqlite');
      // First life: targets 0-4 finish, the rest hang until the service stops.
      const firstRunner = createFakeRunner();
      let hanging = 0;
      let allSlotsHang = () => {};
      const stuck = new Promise<void>((resolve) => {
        allSlotsHang = resolve;
      });
      firstRunner.onCheck = (input, signal) => {
        const i = Number(/t(\d+)\./.exec(input.url)?.[1]);
        if (i < 5) return fakeCheckResult(input);
        // Slots take targets in order, so when all three hang, 0-4 are stored.
        hanging++;
        if (hanging === 3) allSlotsHang();
        return new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason)),
        );
      };
      const first = await createTestService({
        store: openSqliteStore(file),
        runner: firstRunner,
        limits: { batchConcurrency: 3 },
      });
      const id = (await createBatch(first, { kind: 'check', targets: targets(12) })).json()
        .id as string;
      await stuck;
      await first.close();
      const stopped = openSqliteStore(file);
      expect((await stopped.batches.get(id))?.progress.done).toBe(5);
      const states = stopped.db
        .prepare("SELECT COUNT(*) AS n FROM batch_targets WHERE state = 'running'")
        .get() as { n: number };
      expect(states.n).toBeGreaterThan(0);
      await stopped.close();

      // Second life: picks up where the first stopped.
      const second = await createTestService({ store: openSqliteStore(file) });
      await second.batches.idle();
      const batch = await second.store.batches.get(id);
      expect(batch?.status).toBe('done');
      expect(batch?.progress).toMatchObject({ done: 12, total: 12 });
      expect(second.runner.checks.map((c) => c.url).sort()).toEqual(
        targets(12)
          .slice(5)
          .map((t) => t.url)
          .sort(),
      );
      const rows = second.store.db
        .prepare('SELECT position, seq FROM batch_targets WHERE batch_id = ? ORDER BY seq')
        .all(id) as { position: number; seq: number }[];
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      expect(new Set(rows.map((r) => r.position)).size).toBe(12);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
