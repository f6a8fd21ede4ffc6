/**
 * The fleet while its Redis is away: a private `redis-server` (no persistence) is stopped and
 * started again under an API instance and a worker. New batches are refused with 503 meanwhile,
 * nothing crashes, and once Redis is back (empty: its jobs were lost with it) the API instance
 * queues the unfinished batch again and the worker finishes it.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createFakeRunner,
  createTestService,
  delay,
  type TestService,
} from '../../../../test/service/helpers.js';
import { openSqliteStore } from '../../store/index.js';
import { systemClock } from '../clock.js';
import { openFleetRedis } from './redis.js';

function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    console.warn('skipping the Redis outage test: no redis-server on the PATH');
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a Redis without persistence on `port`; resolves once it accepts connections. */
function redisServer(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start in 5 s')), 5_000);
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}: ${out}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Polls `condition` every 25 ms until it holds; fails after `ms`. */
async function eventually(what: string, condition: () => Promise<boolean>, ms = 10_000) {
  const until = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`${what}: not within ${ms} ms`);
    await delay(25);
  }
}

const canRun = hasRedisServer();
const servers: ChildProcess[] = [];
afterAll(async () => {
  for (const server of servers) await stop(server);
});

describe.skipIf(!canRun)('a fleet whose Redis goes away and comes back', () => {
  it('refuses new batches with 503 meanwhile, then runs every batch once', async () => {
    const port = await freePort();
    servers.push(await redisServer(port));
    const url = `redis://127.0.0.1:${port}`;
    const store = openSqliteStore(':memory:');
    const apiRedis = openFleetRedis({ url, prefix: 'outage' });
    const workerRedis = openFleetRedis({ url, prefix: 'outage' });
    const members: TestService[] = [];
    const runner = createFakeRunner();
    try {
      const api = await createTestService({
        store,
        clock: systemClock,
        fleet: { redis: apiRedis, work: false, hostRate: null },
      });
      members.push(api);
      const batch = {
        kind: 'check',
        targets: ['a', 'b', 'c'].map((h) => ({
          url: `https://${h}.example/`,
          origin: 'https://app.example.com',
        })),
      };
      // Queued with no worker yet: its jobs wait in Redis, and are lost with it.
      const first = await api.app.inject({ method: 'POST', url: '/api/batches', payload: batch });
      expect(first.statusCode, first.body).toBe(202);
      const { id } = first.json() as { id: string };

      await stop(servers[0] as ChildProcess);
      const refused = await api.app.inject({ method: 'POST', url: '/api/batches', payload: batch });
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['retry-after']).toBe('10');
      expect(refused.json().message).toContain(`Redis at 127.0.0.1:${port}`);
      // A worker started while Redis is away waits for it instead of failing.
      const worker = await createTestService({
        store,
        runner,
        clock: systemClock,
        fleet: { redis: workerRedis, reconcile: false, hostRate: null },
      });
      members.push(worker);

      servers.push(await redisServer(port));
      // Back, and empty: the API instance queues the unfinished batch again; the worker runs it.
      await eventually(
        'the batch finished',
        async () => (await store.batches.get(id))?.status === 'done',
      );
      expect(runner.checks.map((c) => c.url).sort()).toEqual([
        'https://a.example/',
        'https://b.example/',
        'https://c.example/',
      ]);
      const again = await api.app.inject({ method: 'POST', url: '/api/batches', payload: batch });
      expect(again.statusCode, again.body).toBe(202);
      const second = (again.json() as { id: string }).id;
      await eventually(
        'the new batch finished',
        async () => (await store.batches.get(second))?.status === 'done',
      );
      expect(runner.checks).toHaveLength(6);
    } finally {
      for (const member of members) await member.app.close();
      await apiRedis.close();
      await workerRedis.close();
      await store.close();
    }
  }, 30_000);
});
