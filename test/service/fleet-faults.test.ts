/**
 * Faults of a fleet of real processes on PostgreSQL and Redis (loopback only, each case its own
 * schema and key prefix):
 *
 * - an API instance killed with SIGKILL under a client that follows a batch's event stream
 *   through HAProxy (`deploy/haproxy.cfg`, its addresses rewritten to loopback): the client
 *   reconnects with `Last-Event-ID` and ends with every result once;
 * - PostgreSQL, then Redis, away for 10 s (a fault proxy in front of the shared server resets
 *   every connection): new batches get 503 with `Retry-After`, the worker waits and resumes, and
 *   the running batch ends with every result stored once;
 * - two instances sharing a monitor: one check per interval, over 20 intervals.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_RETRY_AFTER_SECONDS } from '../../src/service/jobs/queue-unavailable.js';
import { openPostgresStore, STORE_RETRY_AFTER_SECONDS } from '../../src/service/store/index.js';
import { buildCliAsync, ROOT } from '../cli/build-cli.js';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.js';
import { dropSchema, POSTGRES_URL, postgresOrSkip, uniqueSchema } from '../support/postgres.js';
import { alive, exited, type Started, startUntil } from '../support/processes.js';
import { dropPrefix, fleetPrefix, REDIS_URL, redisOrSkip } from '../support/redis.js';
import { isCi } from '../support/unreachable.js';
import { type EventStream, openEventStream } from './helpers.js';

const redisUp = (await redisOrSkip()) !== undefined;
const postgresUp = redisUp && (await postgresOrSkip()) !== undefined;

/** Whether `haproxy` runs here; like the servers, its absence skips locally and fails under CI. */
function hasHaproxy(): boolean {
  try {
    execFileSync('haproxy', ['-v'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    const what = `haproxy is not on the PATH (${(error as Error).message})`;
    if (isCi()) throw new Error(`${what}; CI machines must have it`);
    console.warn(`${what}: skipping the test of an API instance killed behind the balancer`);
    return false;
  }
}
const haproxyUp = postgresUp && hasHaproxy();

/** How long PostgreSQL and Redis stay away. */
const OUTAGE_MS = 10_000;
/** Each answer of the target server comes this late, so jobs overlap. */
const ANSWER_DELAY_MS = 20;

let dir: string;
let target: http.Server;
let targetBase: string;
/** When each path of the target was requested (ms since the epoch). */
const hits = new Map<string, number[]>();
/** Batch targets from this index on are held back until released. */
let holdFrom = Number.POSITIVE_INFINITY;
let held: { index: number; answer: () => void }[] = [];
let heldWaiter: { count: number; resolve: () => void } | undefined;
const children = new Set<ChildProcess>();
const proxies: FaultProxy[] = [];
const prefixes: string[] = [];
const schemas: string[] = [];

/** Answers every held target below `index` (all of them by default). */
function release(index = Number.POSITIVE_INFINITY): void {
  const now = held.filter((h) => h.index < index);
  held = held.filter((h) => h.index >= index);
  for (const h of now) h.answer();
}

/** Resolves once `count` targets are held. */
function heldCount(count: number): Promise<void> {
  if (held.length >= count) return Promise.resolve();
  return new Promise((resolve) => {
    heldWaiter = { count, resolve };
  });
}

/** Rejects after `ms` with `what` unless `promise` settles first. */
function within<T>(what: string, promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Polls `condition` every 50 ms until it holds; fails after `ms`. */
async function eventually(what: string, condition: () => Promise<boolean>, ms: number) {
  const until = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `url` with its host and port replaced by the fault proxy's. */
function through(url: string, proxy: FaultProxy): string {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(proxy.port);
  return parsed.toString();
}

async function proxyTo(url: string, defaultPort: number): Promise<FaultProxy> {
  const { hostname, port } = new URL(url);
  const proxy = await startFaultProxy(hostname || '127.0.0.1', Number(port || defaultPort));
  proxies.push(proxy);
  return proxy;
}

/** A fleet's shared flags: a new PostgreSQL schema and Redis prefix, at the URLs given. */
function fleet(label: string, db = POSTGRES_URL, queue = REDIS_URL) {
  const schema = uniqueSchema(label);
  schemas.push(schema);
  const prefix = fleetPrefix(label);
  prefixes.push(prefix);
  return {
    schema,
    args: [
      '--db',
      db,
      '--db-schema',
      schema,
      '--queue',
      queue,
      '--queue-prefix',
      prefix,
      '--allow-private-targets',
    ],
  };
}

/** Reads the fleet's schema directly (never through a fault proxy). */
async function query<T>(schema: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`SET search_path TO "${schema}"`);
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Targets, stored results, distinct seqs and error results of a batch. */
async function stored(schema: string, id: string) {
  const [row] = await query<Record<string, string>>(
    schema,
    `SELECT COUNT(*) AS targets, COUNT(result) AS results, COUNT(DISTINCT seq) AS seqs,
            COUNT(*) FILTER (WHERE outcome = 'error') AS errors
     FROM batch_targets WHERE batch_id = $1`,
    [id],
  );
  return Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, Number(v)]));
}

async function batchDone(schema: string, id: string, ms: number): Promise<void> {
  await eventually(
    `batch ${id} done`,
    async () => {
      const [row] = await query<{ status: string }>(
        schema,
        'SELECT status FROM batches WHERE id = $1',
        [id],
      );
      return row?.status === 'done';
    },
    ms,
  );
}

const LISTENING = /listening on (http:\/\/\S+)/;

/** Starts `corsproof <args>` and resolves once its stdout matches `ready` (bounded). */
function cli(args: readonly string[], ready: RegExp): Promise<Started> {
  return startUntil(process.execPath, ['bin/corsproof.js', ...args], ready, {
    cwd: ROOT,
    track: children,
  });
}

async function apiInstance(shared: readonly string[], worker = false) {
  const started = await cli(
    [
      'serve',
      '--port',
      '0',
      '--auth',
      'off',
      ...(worker ? ['--per-host-rate', '1000/s'] : ['--no-worker']),
      ...shared,
    ],
    LISTENING,
  );
  const base = LISTENING.exec(started.out())?.[1] as string;
  return { ...started, base, port: Number(new URL(base).port) };
}

function worker(shared: readonly string[]) {
  return cli(
    ['worker', '--concurrency', '4', '--job-lease', '2', '--per-host-rate', '1000/s', ...shared],
    /corsproof worker running/,
  );
}

function batchBody(count: number) {
  return JSON.stringify({
    kind: 'check',
    targets: Array.from({ length: count }, (_, i) => ({
      url: `${targetBase}/t/${i}`,
      origin: 'https://app.example.com',
    })),
  });
}

function postBatch(base: string, count: number): Promise<Response> {
  return fetch(`${base}/api/batches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: batchBody(count),
  });
}

async function createBatch(base: string, count: number): Promise<string> {
  const res = await postBatch(base, count);
  expect(res.status, await res.clone().text()).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * `deploy/haproxy.cfg` for this machine: the instances at 127.0.0.1:<port> instead of Docker
 * names (so no resolvers), the frontend on a free loopback port, and a response header naming
 * the server that answered, so the test knows which instance to kill.
 */
function haproxyConfig(bind: number, servers: readonly number[]): string {
  const deployed = readFileSync(path.join(ROOT, 'deploy/haproxy.cfg'), 'utf8');
  const lines: string[] = [];
  let inResolvers = false;
  for (const line of deployed.split('\n')) {
    if (/^resolvers\s/.test(line)) {
      inResolvers = true;
      continue;
    }
    if (inResolvers) {
      if (/^\S/.test(line)) inResolvers = false;
      else continue;
    }
    if (/^\s*default-server\s+init-addr/.test(line)) continue;
    if (/^\s*bind\s/.test(line)) {
      lines.push(`  bind 127.0.0.1:${bind}`, '  http-response set-header x-served-by %s');
      continue;
    }
    const server = /^(\s*server\s+api-(\d+)\s+)\S+(.*?)(\s+resolvers\s+\S+)?$/.exec(line);
    if (server) {
      const port = servers[Number(server[2]) - 1];
      if (port === undefined) throw new Error(`no instance for ${line.trim()}`);
      lines.push(`${server[1]}127.0.0.1:${port}${server[3]}`);
      continue;
    }
    lines.push(line);
  }
  return lines.join('\n');
}

async function startHaproxy(servers: readonly number[]): Promise<{ base: string }> {
  const port = await freePort();
  const file = path.join(dir, `haproxy-${port}.cfg`);
  writeFileSync(file, haproxyConfig(port, servers));
  // -db: stay in the foreground. Ready once the frontend accepts connections.
  const child = spawn('haproxy', ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  // Its log goes to stdout: drained, so a full pipe never blocks it.
  child.stdout?.resume();
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  await eventually(
    `haproxy listening on ${port} (${err})`,
    () =>
      new Promise<boolean>((resolve) => {
        if (!alive(child)) throw new Error(`haproxy exited: ${err}`);
        const socket = net.connect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      }),
    5_000,
  );
  return { base: `http://127.0.0.1:${port}` };
}

/**
 * The course both outage tests share: an API instance and a worker on `args`, a batch of 12 whose
 * targets 0..3 are stored and 4..7 in flight when `proxy` cuts PostgreSQL or Redis; `whileAway`
 * checks what clients are told, then after OUTAGE_MS the results stored so far, both processes
 * alive, and once restored the batch finished with every result once, and new batches taken.
 */
async function throughOutage(
  schema: string,
  args: readonly string[],
  proxy: FaultProxy,
  expected: {
    whileAway(api: { base: string }): Promise<void>;
    /** Results stored by the end of the outage. */
    storedDuring: { readonly exactly: number } | { readonly atMost: number };
  },
): Promise<void> {
  const api = await apiInstance(args);
  const running = await worker(args);
  const total = 12;
  holdFrom = 4;
  const id = await createBatch(api.base, total);
  await within('4 targets in flight', heldCount(4), 15_000);
  proxy.cut();
  const cutAt = Date.now();
  holdFrom = Number.POSITIVE_INFINITY;
  release();

  await expected.whileAway(api);

  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - (Date.now() - cutAt)));
  const { results } = await stored(schema, id);
  const during = expected.storedDuring;
  if ('exactly' in during) expect(results).toBe(during.exactly);
  else expect(results).toBeLessThanOrEqual(during.atMost);
  expect(alive(running.child)).toBe(true);
  expect(alive(api.child)).toBe(true);
  proxy.restore();

  // Jobs that failed meanwhile are retried with a backoff (1, 2, 4, 8 s...): bounded by 30 s.
  await batchDone(schema, id, 30_000);
  expect(await stored(schema, id)).toEqual({
    targets: total,
    results: total,
    seqs: total,
    errors: 0,
  });
  expect(await createBatch(api.base, 1)).toMatch(/./);
}

function resultIds(stream: EventStream): number[] {
  return stream.events.filter((e) => e.event === 'result').map((e) => Number(e.id));
}

beforeAll(async () => {
  if (!postgresUp) return;
  dir = mkdtempSync(path.join(tmpdir(), 'corsproof-fleet-faults-'));
  target = http.createServer((req, res) => {
    const url = req.url ?? '';
    hits.set(url, [...(hits.get(url) ?? []), Date.now()]);
    const answer = () => {
      res.setHeader('access-control-allow-origin', '*');
      res.end('ok');
    };
    const index = /^\/t\/(\d+)/.exec(url)?.[1];
    if (index !== undefined && Number(index) >= holdFrom) {
      held.push({ index: Number(index), answer });
      if (heldWaiter !== undefined && held.length >= heldWaiter.count) {
        heldWaiter.resolve();
        heldWaiter = undefined;
      }
    } else {
      setTimeout(answer, ANSWER_DELAY_MS);
    }
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetBase = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  await buildCliAsync('fleet-faults');
}, 120_000);

afterEach(async () => {
  for (const child of children) {
    child.kill('SIGKILL');
    await exited(child);
  }
  for (const proxy of proxies.splice(0)) await proxy.close();
  hits.clear();
  holdFrom = Number.POSITIVE_INFINITY;
  release();
  heldWaiter = undefined;
});

afterAll(async () => {
  if (!postgresUp) return;
  await new Promise<void>((resolve) => target.close(() => resolve()));
  for (const prefix of prefixes) await dropPrefix(prefix);
  for (const schema of schemas) await dropSchema(schema);
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!postgresUp)('faults of a fleet on PostgreSQL and Redis', () => {
  it.skipIf(!haproxyUp)(
    'gives a client whose API instance is killed (SIGKILL) every result once, after it reconnects through HAProxy with Last-Event-ID',
    async () => {
      const { schema, args } = fleet('faults_sse');
      const [a, b] = await Promise.all([apiInstance(args), apiInstance(args)]);
      if (a === undefined || b === undefined) throw new Error('two instances expected');
      await worker(args);
      const balancer = await startHaproxy([a.port, b.port]);
      const byName = new Map([
        ['api-1', a],
        ['api-2', b],
      ]);

      const total = 24;
      holdFrom = 8;
      const id = await createBatch(balancer.base, total);
      const first = await openEventStream(`${balancer.base}/api/batches/${id}/events`);
      expect(first.status).toBe(200);
      const servedBy = String(first.headers['x-served-by']);
      const doomed = byName.get(servedBy);
      if (doomed === undefined) throw new Error(`served by ${servedBy}`);
      const survivor = doomed === a ? b : a;

      // Targets 0..7 answer: the client sees results 1..8 on the instance about to die.
      await first.until((e) => e.event === 'result' && e.id === '8', 15_000);
      // Round robin: after this request the balancer's next pick is the instance about to die, so
      // the reconnect below is first sent to a dead instance.
      const probe = await fetch(`${balancer.base}/healthz`);
      expect(byName.get(String(probe.headers.get('x-served-by')))).toBe(survivor);
      // Targets 8..15 answer while the instance dies; 16..23 wait for the client to come back.
      holdFrom = 16;
      release(16);
      doomed.child.kill('SIGKILL');
      await within('the stream ends with its instance', first.ended, 5_000);
      // Gone for good: the kernel closes a killed process's sockets one by one, and a connection
      // reaching its listener in between would be accepted and closed unanswered (an L7 retry of
      // deploy/haproxy.cfg, `retry-on empty-response`; this test is about the refused connection).
      await within('the killed instance exits', exited(doomed.child), 5_000);
      const seen = resultIds(first);
      const last = seen.at(-1);
      expect(last).toBeGreaterThanOrEqual(8);

      // The reconnect EventSource would make: the same URL, through the balancer, with the last id
      // seen. HAProxy sends it to the survivor: its health check marks the dead instance down, and
      // until it does, `option redispatch` moves the refused connection to the other server.
      const second = await openEventStream(`${balancer.base}/api/batches/${id}/events`, {
        'last-event-id': String(last),
      });
      try {
        expect(second.status, JSON.stringify(second.headers)).toBe(200);
        expect(second.headers['x-served-by']).not.toBe(servedBy);
        expect(byName.get(String(second.headers['x-served-by']))).toBe(survivor);
        await second.until((e) => e.event === 'progress' || e.event === 'result', 10_000);
        holdFrom = Number.POSITIVE_INFINITY;
        release();
        await second.until((e) => e.event === 'done', 20_000);
      } finally {
        second.close();
      }
      const ids = [...seen, ...resultIds(second)];
      expect([...ids].sort((x, y) => x - y)).toEqual(
        Array.from({ length: total }, (_, i) => i + 1),
      );
      expect(await stored(schema, id)).toEqual({
        targets: total,
        results: total,
        seqs: total,
        errors: 0,
      });
    },
    60_000,
  );

  it('refuses new batches with 503 while PostgreSQL is away for 10 s, and finishes the running batch with every result once', async () => {
    const proxy = await proxyTo(POSTGRES_URL, 5432);
    const { schema, args } = fleet('faults_pg', through(POSTGRES_URL, proxy));
    await throughOutage(schema, args, proxy, {
      async whileAway(api) {
        const refused = await postBatch(api.base, 2);
        expect(refused.status).toBe(503);
        expect(refused.headers.get('retry-after')).toBe(String(STORE_RETRY_AFTER_SECONDS));
        const body = (await refused.json()) as { error: string; message: string };
        expect(body.error).toBe('busy');
        expect(body.message).toContain(`the database at 127.0.0.1:${proxy.port}`);
        const ready = await fetch(`${api.base}/readyz`);
        expect(ready.status).toBe(503);
        expect(await ready.json()).toMatchObject({
          status: 'unavailable',
          checks: { store: false },
          message: expect.stringContaining('the database does not answer'),
        });
      },
      // The worker waited for the database instead of failing the batch or ending: nothing was
      // stored meanwhile but the 4 results stored before the cut.
      storedDuring: { exactly: 4 },
    });
  }, 60_000);

  it('refuses new batches with 503 while Redis is away for 10 s, and finishes the running batch with every result once', async () => {
    const proxy = await proxyTo(REDIS_URL, 6379);
    const { schema, args } = fleet('faults_redis', POSTGRES_URL, through(REDIS_URL, proxy));
    await throughOutage(schema, args, proxy, {
      async whileAway(api) {
        const refused = await postBatch(api.base, 2);
        expect(refused.status).toBe(503);
        expect(refused.headers.get('retry-after')).toBe(String(QUEUE_RETRY_AFTER_SECONDS));
        const body = (await refused.json()) as { error: string; message: string };
        expect(body.message).toContain(`Redis at 127.0.0.1:${proxy.port}`);
        const ready = await fetch(`${api.base}/readyz`);
        expect(ready.status).toBe(503);
        expect(((await ready.json()) as { checks: object }).checks).toMatchObject({ queue: false });
      },
      // No job started while Redis was away: besides the 4 stored before the cut, at most the 4
      // in flight at the cut were stored (the database was there).
      storedDuring: { atMost: 8 },
    });
  }, 60_000);

  it('checks a monitor shared by two instances once per interval, over 20 intervals', async () => {
    const { schema, args } = fleet('faults_monitor');
    // The API refuses intervals under 30 s; the store, which the scheduler reads, takes any.
    // A 1 s monitor written there keeps 20 intervals to 20 s.
    const intervalMs = 1_000;
    const store = await openPostgresStore(POSTGRES_URL, { schema });
    try {
      await store.monitors.create({
        id: 'mon_faults',
        createdAt: Date.now(),
        input: {
          url: `${targetBase}/m`,
          origin: 'https://app.example.com',
          method: 'GET',
          headers: [],
        } as unknown as Parameters<typeof store.monitors.create>[0]['input'],
        sealedInput: null,
        notices: [],
        intervalSeconds: intervalMs / 1000,
        // Overdue by far more than an interval: the first run re-anchors the schedule at its end.
        nextRunAt: Date.now() - 60_000,
      });
    } finally {
      await store.close();
    }
    // Two instances that both run monitors (no --no-worker), on one schema.
    const [one] = await Promise.all([apiInstance(args, true), apiInstance(args, true)]);
    if (one === undefined) throw new Error('two instances expected');

    const times = () => hits.get('/m') ?? [];
    await eventually('21 checks', async () => times().length >= 21, 20 * intervalMs + 10_000);
    const pause = await fetch(`${one.base}/api/monitors/mon_faults/pause`, { method: 'POST' });
    expect(pause.status, await pause.text()).toBe(200);
    // A run claimed before the pause finishes and is stored: wait for it, then compare.
    await eventually(
      'no run in flight',
      async () =>
        (
          await query<{ running_since: unknown }>(
            schema,
            'SELECT running_since FROM monitors WHERE id = $1',
            ['mon_faults'],
          )
        )[0]?.running_since === null,
      5_000,
    );

    // Why these bounds: the monitor was overdue by a minute, so the first run (hit 0) schedules
    // the next one an interval after it finished, and every later slot is at least one interval
    // after the previous (nextRunAfter: one interval after the slot, or after now when a late run
    // finished past it); no run starts before its slot. So hit k comes at least k intervals after hit 0,
    // whatever the machine's load: a second run in one slot would bring every later hit one
    // interval early. Lateness only delays hits, which the upper bounds allow for generously,
    // since a busy machine can hold a timer for most of a second.
    const first21 = times().slice(0, 21);
    const start = first21[0] as number;
    first21.forEach((t, k) => {
      // 50 ms: the target's clock reading against the scheduler's, on one machine.
      expect(t - start, `hit ${k}`).toBeGreaterThanOrEqual(k * intervalMs - 50);
    });
    const gaps = first21.slice(1).map((t, i) => t - (first21[i] as number));
    for (const gap of gaps) expect(gap).toBeLessThan(intervalMs * 3);
    const span = (first21[20] as number) - start;
    expect(span).toBeLessThan(20 * intervalMs + 5_000);
    // Every check the target saw is one run in the store, and no run is missing.
    const [runs] = await query<{ count: string }>(
      schema,
      'SELECT COUNT(*) AS count FROM monitor_runs WHERE monitor_id = $1',
      ['mon_faults'],
    );
    expect(Number(runs?.count)).toBe(times().length);
  }, 60_000);
});
