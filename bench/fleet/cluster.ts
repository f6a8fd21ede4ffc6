/**
 * The processes of one fleet-benchmark run, as the user would start them: `corsproof serve` (the
 * embedded mode, or `--no-worker` against PostgreSQL and Redis) and `corsproof worker` processes,
 * each started from the measured checkout's bin/ and tracked so none outlives the bench. Also
 * the loopback target server, and the clean-up of a run's PostgreSQL schema and Redis keys.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { BENCH_SRC } from '../lib/paths.js';
import { track } from '../lib/procs.js';

export const POSTGRES_URL =
  process.env.CORSPROOF_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.CORSPROOF_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

export interface Started {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything it printed on stdout so far. */
  readonly out: () => string;
}

/** Spawns `command args`, resolving once its stdout matches `ready` (bounded). */
export function startProcess(
  label: string,
  command: string,
  args: readonly string[],
  ready: RegExp,
  options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {},
): Promise<Started> {
  const child = track(
    spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bench: ${label} did not start in ${START_TIMEOUT_MS} ms: ${err.trim()}`));
    }, START_TIMEOUT_MS);
    child.stderr?.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString()).slice(-4000);
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (ready.test(out) && child.pid !== undefined) {
        clearTimeout(timer);
        resolve({ child, pid: child.pid, out: () => out });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(`bench: ${label} exited (${code ?? signal}) before it was ready: ${err.trim()}`),
      );
    });
  });
}

/** SIGTERM, then SIGKILL if it has not exited in time. */
export async function stopProcess(started: Started): Promise<void> {
  const { child } = started;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** Peak resident memory (VmHWM) of a live process, in MiB; NaN if it is gone. */
export function peakRssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kib === undefined ? Number.NaN : Number(kib) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** The loopback target: one port on each of `hosts`; resolves with their base URLs. */
export async function startTarget(
  hosts: readonly string[],
): Promise<{ started: Started; bases: string[] }> {
  const started = await startProcess(
    'target server',
    process.execPath,
    [join(BENCH_SRC, 'servers', 'cors-target.mjs'), ...hosts],
    /\{"targets".*\}\n/,
  );
  const line = /\{"targets".*\}/.exec(started.out())?.[0] ?? '{"targets":[]}';
  return { started, bases: (JSON.parse(line) as { targets: string[] }).targets };
}

/** Drops a run's schema (its name is the bench's own, checked). */
export async function dropSchema(schema: string): Promise<void> {
  if (!/^bench_fleet_[a-z0-9_]+$/.test(schema))
    throw new Error(`bench: not a bench schema: ${schema}`);
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Deletes every Redis key of a run's queue prefix. */
export async function dropPrefix(prefix: string): Promise<void> {
  if (!/^bench-fleet-[a-z0-9-]+$/.test(prefix))
    throw new Error(`bench: not a bench prefix: ${prefix}`);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => {});
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Resolves when PostgreSQL and Redis both answer; rejects naming the one that does not. */
export async function checkBackends(): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(
      `bench: fleet needs PostgreSQL at ${POSTGRES_URL} (CORSPROOF_BENCH_POSTGRES_URL): ${(error as Error).message}`,
    );
  } finally {
    await client.end().catch(() => {});
  }
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(
      `bench: fleet needs Redis at ${REDIS_URL} (CORSPROOF_BENCH_REDIS_URL): ${(error as Error).message}`,
    );
  } finally {
    redis.disconnect();
  }
}
