/**
 * A fleet of real processes on one machine: an API-only `corsproof serve --no-worker` and
 * `corsproof worker` processes sharing a database (an SQLite file in WAL mode, or a PostgreSQL
 * schema) and a Redis key prefix, checking a loopback target server. Results committed by a worker reach an SSE stream on the API instance,
 * and a worker killed with SIGKILL mid-job loses nothing: its jobs run again in another worker
 * and every target's result is stored exactly once.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCliAsync, ROOT } from '../cli/build-cli.js';
import { dropSchema, POSTGRES_URL, postgresOrSkip, uniqueSchema } from '../support/postgres.js';
import { exited, type Started, startUntil } from '../support/processes.js';
import { dropPrefix, fleetPrefix, REDIS_URL, redisOrSkip } from '../support/redis.js';
import { openEventStream } from './helpers.js';

const redisUp = (await redisOrSkip()) !== undefined;
const postgresUp = redisUp && (await postgresOrSkip()) !== undefined;

/** Each answer of the target server comes this late, so jobs overlap. */
const ANSWER_DELAY_MS = 20;

let dir: string;
let target: http.Server;
let targetBase: string;
const hits = new Map<string, number>();
/** Paths whose answers are held back (until released), and the answers held. */
let holdFrom = Number.POSITIVE_INFINITY;
let held: (() => void)[] = [];
let heldWaiter: { count: number; resolve: () => void } | undefined;
const children = new Set<ChildProcess>();
const prefixes: string[] = [];

/** Starts `corsproof <args>` and resolves once its stdout matches `ready` (bounded). */
function cli(args: readonly string[], ready: RegExp, ms = 15_000): Promise<Started> {
  return startUntil(process.execPath, ['bin/corsproof.js', ...args], ready, {
    cwd: ROOT,
    track: children,
    ms,
  });
}

/** Where a fleet under test keeps its data, and how the test reads it behind the fleet's back. */
interface FleetDatabase {
  readonly args: readonly string[];
  /** The batch's status and done count. */
  batch(id: string): Promise<{ status: string; done: number } | undefined>;
  /** Targets, stored results and distinct seqs of the batch. */
  stored(id: string): Promise<{ targets: number; results: number; seqs: number }>;
}

const STORED =
  'SELECT COUNT(*) AS targets, COUNT(result) AS results, COUNT(DISTINCT seq) AS seqs FROM batch_targets WHERE batch_id = ';

function sqliteDatabase(file: string): FleetDatabase {
  const read = <T>(sql: string, id: string): T => {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare(sql).get(id) as T;
    } finally {
      db.close();
    }
  };
  return {
    args: ['--db', file],
    async batch(id) {
      return read('SELECT status, done FROM batches WHERE id = ?', id);
    },
    async stored(id) {
      return read(`${STORED}?`, id);
    },
  };
}

const schemas: string[] = [];
function postgresDatabase(label: string): FleetDatabase {
  const schema = uniqueSchema(label);
  schemas.push(schema);
  const read = async <T>(sql: string, id: string): Promise<T | undefined> => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      await client.query(`SET search_path TO "${schema}"`);
      const row = (await client.query(sql, [id])).rows[0] as Record<string, unknown> | undefined;
      if (row === undefined) return undefined;
      // COUNT and BIGINT come back as strings from pg.
      return Object.fromEntries(
        Object.entries(row).map(([k, v]) => [
          k,
          typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v,
        ]),
      ) as T;
    } finally {
      await client.end();
    }
  };
  return {
    args: ['--db', POSTGRES_URL, '--db-schema', schema],
    batch: (id) => read('SELECT status, done FROM batches WHERE id = $1', id),
    async stored(id) {
      return (await read(`${STORED}$1`, id)) ?? { targets: 0, results: 0, seqs: 0 };
    },
  };
}

/** The fleet's shared settings: its database, and a Redis prefix of its own. */
function fleetArgs(database: FleetDatabase): string[] {
  const prefix = fleetPrefix('fleet');
  prefixes.push(prefix);
  return [
    ...database.args,
    '--queue',
    REDIS_URL,
    '--queue-prefix',
    prefix,
    '--allow-private-targets',
  ];
}

function apiInstance(shared: readonly string[]) {
  return cli(
    ['serve', '--port', '0', '--auth', 'off', '--no-worker', ...shared],
    /listening on (http:\/\/\S+)/,
  ).then((started) => ({
    ...started,
    base: /listening on (http:\/\/\S+)/.exec(started.out())?.[1] as string,
  }));
}

function worker(shared: readonly string[]) {
  return cli(
    ['worker', '--concurrency', '4', '--job-lease', '2', '--per-host-rate', '1000/s', ...shared],
    /corsproof worker running/,
  );
}

async function createBatch(base: string, count: number): Promise<string> {
  const res = await fetch(`${base}/api/batches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      kind: 'check',
      targets: Array.from({ length: count }, (_, i) => ({
        url: `${targetBase}/t/${i}`,
        origin: 'https://app.example.com',
      })),
    }),
  });
  expect(res.status, await res.clone().text()).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

/** Polls the database until the batch is done (bounded). */
async function finished(database: FleetDatabase, id: string, ms: number) {
  const until = Date.now() + ms;
  for (;;) {
    const row = await database.batch(id);
    if (row?.status === 'done') return row;
    if (Date.now() > until) throw new Error(`batch not done in ${ms} ms: ${JSON.stringify(row)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  if (!redisUp) return;
  dir = mkdtempSync(path.join(tmpdir(), 'corsproof-fleet-'));
  target = http.createServer((req, res) => {
    const url = req.url ?? '';
    hits.set(url, (hits.get(url) ?? 0) + 1);
    const answer = () => {
      res.setHeader('access-control-allow-origin', '*');
      res.end('ok');
    };
    const index = Number(/^\/t\/(\d+)/.exec(url)?.[1] ?? 0);
    if (index >= holdFrom) {
      held.push(answer);
      if (heldWaiter !== undefined && held.length >= heldWaiter.count) heldWaiter.resolve();
    } else {
      setTimeout(answer, ANSWER_DELAY_MS);
    }
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetBase = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  await buildCliAsync('fleet');
}, 120_000);

afterEach(async () => {
  for (const child of children) {
    child.kill('SIGKILL');
    await exited(child);
  }
  hits.clear();
  holdFrom = Number.POSITIVE_INFINITY;
  for (const answer of held) answer();
  held = [];
});

afterAll(async () => {
  if (!redisUp) return;
  await new Promise<void>((resolve) => target.close(() => resolve()));
  for (const prefix of prefixes) await dropPrefix(prefix);
  for (const schema of schemas) await dropSchema(schema);
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!redisUp)('a fleet of processes (serve --no-worker, worker)', () => {
  it("streams to an API instance's SSE client every result a worker process commits", async () => {
    const database = sqliteDatabase(path.join(dir, 'stream.db'));
    const shared = fleetArgs(database);
    const api = await apiInstance(shared);
    const ready = (await (await fetch(`${api.base}/readyz`)).json()) as { checks: object };
    expect(ready.checks).toEqual({ store: true, workers: true, queue: true });
    await worker(shared);

    // No target answers until the stream is open, so it sees every result arrive.
    holdFrom = 0;
    const id = await createBatch(api.base, 20);
    const stream = await openEventStream(`${api.base}/api/batches/${id}/events`);
    try {
      await stream.until((e) => e.event === 'progress', 5_000);
      holdFrom = Number.POSITIVE_INFINITY;
      for (const answer of held.splice(0)) answer();
      await stream.until((e) => e.event === 'done', 20_000);
    } finally {
      stream.close();
    }
    const ids = stream.events.filter((e) => e.event === 'result').map((e) => Number(e.id));
    // Every result once, whichever event came first: seq 1..20 with none missing or repeated.
    expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await database.stored(id)).toEqual({ targets: 20, results: 20, seqs: 20 });
  }, 40_000);

  it('runs again, in another worker, the jobs of a worker killed with SIGKILL, storing each result once (on PostgreSQL where it answers)', async () => {
    const database = postgresUp
      ? postgresDatabase('fleet_kill')
      : sqliteDatabase(path.join(dir, 'kill.db'));
    const shared = fleetArgs(database);
    const api = await apiInstance(shared);
    const first = await worker(shared);
    // Targets 0..3 answer; from 4 on they hang until the kill: the worker dies with 4 in flight.
    holdFrom = 4;
    const inFlight = new Promise<void>((resolve) => {
      heldWaiter = { count: 4, resolve };
    });
    const id = await createBatch(api.base, 12);
    await inFlight;
    first.child.kill('SIGKILL');
    await exited(first.child);
    holdFrom = Number.POSITIVE_INFINITY;
    for (const answer of held) answer();
    held = [];
    expect((await database.stored(id)).results).toBe(4);

    // Another worker takes the dead one's jobs once their 2 s locks lapse, and the rest.
    const second = await worker(shared);
    expect(await finished(database, id, 30_000)).toEqual({ status: 'done', done: 12 });
    expect(await database.stored(id)).toEqual({ targets: 12, results: 12, seqs: 12 });
    for (let i = 0; i < 12; i++) {
      // Targets 4..7 were in flight at the kill: reached twice; the others once.
      expect(hits.get(`/t/${i}`), `/t/${i}`).toBe(i >= 4 && i < 8 ? 2 : 1);
    }

    // A graceful stop: SIGTERM, exit 0.
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
  }, 60_000);
});
