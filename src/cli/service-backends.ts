/**
 * Where `corsproof serve` and `corsproof worker` keep their data and queue their work: the options
 * both commands take (`--db`, `--queue` and the fleet's settings) and what opens them.
 *
 * - `--db ./file.db` (default `./corsproof.db`): SQLite, embedded. Several processes on one
 *   machine may share the file.
 * - `--db postgres://...`: PostgreSQL, shared by a fleet on several machines, its tables in
 *   `--db-schema`, its credentials sealed with `CORSPROOF_SECRET_KEY` (read from the environment
 *   only: a flag would show in the process list).
 * - `--queue redis://...`: batch targets wait in Redis (BullMQ) and run in any process of the
 *   fleet; without it, in the process that received the batch.
 */
import { type Command, Option } from 'commander';
import type { FleetOptions } from '../service/jobs/fleet/fleet.js';
import { type HostRate, parseHostRate } from '../service/jobs/fleet/host-limit.js';
import { type FleetRedis, openFleetRedis, redisWhere } from '../service/jobs/fleet/redis.js';
import { openPostgresStore, openSqliteStore, type Store } from '../service/store/index.js';

/** The options as commander gives them. */
export interface BackendFlags {
  db: string;
  dbSchema: string;
  queue?: string;
  queuePrefix: string;
  perHostRate: string;
  jobLease: string;
}

/** Adds `--db`, `--queue`, `--queue-prefix`, `--per-host-rate` and `--job-lease` to `command`. */
export function addBackendOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--db <path-or-url>',
        'SQLite database file (created if missing, with <file>.key beside it), or a postgres:// URL shared by a fleet',
      )
        .env('CORSPROOF_DB')
        .default('./corsproof.db'),
    )
    .addOption(
      new Option(
        '--db-schema <name>',
        'with a postgres:// --db: the schema of the tables (created if missing); the key that seals credentials is CORSPROOF_SECRET_KEY, else kept in the database',
      )
        .env('CORSPROOF_DB_SCHEMA')
        .default('public'),
    )
    .addOption(
      new Option(
        '--queue <url>',
        'Redis (redis://host:port) where batch targets wait for any worker of the fleet; default: in this process',
      ).env('CORSPROOF_QUEUE'),
    )
    .addOption(
      new Option(
        '--queue-prefix <name>',
        'start of every Redis key of this fleet (several fleets may share one Redis)',
      )
        .env('CORSPROOF_QUEUE_PREFIX')
        .default('corsproof'),
    )
    .addOption(
      new Option(
        '--per-host-rate <rate>',
        'with --queue: checks and audits started against one host by the whole fleet, as 10/s, 100/min or 5/10s',
      )
        .env('CORSPROOF_PER_HOST_RATE')
        .default('10/s'),
    )
    .addOption(
      new Option(
        '--job-lease <seconds>',
        'with --queue: how long a batch target stays with a worker that stopped answering before another worker runs it',
      )
        .env('CORSPROOF_JOB_LEASE')
        .default('30'),
    );
}

/** The store and, with `--queue`, the fleet's settings, opened. */
export interface Backends {
  readonly store: Store;
  /** Undefined without `--queue`. */
  readonly fleet: FleetOptions | undefined;
  /** What to print: the database and the queue, without passwords. */
  readonly database: string;
  readonly queue: string;
  /** Closes the store and Redis (after the service closed). */
  close(): Promise<void>;
}

function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/** `scheme://host:port/db` of a database URL, without its user and password. */
function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(an unparsable URL)';
  }
}

/**
 * Opens the store `db` names: a `postgres://` URL (tables in `schema`, the key from
 * `CORSPROOF_SECRET_KEY` when set), else an SQLite file.
 */
export async function openStore(db: string, schema: string): Promise<Store> {
  if (!isPostgresUrl(db)) return openSqliteStore(db);
  const secretKey = process.env.CORSPROOF_SECRET_KEY;
  return openPostgresStore(db, {
    schema,
    ...(secretKey === undefined || secretKey === '' ? {} : { secretKey }),
  });
}

/**
 * Checks the flags, then opens the store and Redis. Returns a message for the user (exit 2) when a
 * flag is wrong; throws when opening fails (a database that cannot be reached says so).
 */
export async function openBackends(
  flags: BackendFlags,
  settings: { readonly work: boolean; readonly reconcile: boolean },
  log?: { error(details: object, message: string): void },
): Promise<Backends | string> {
  let hostRate: HostRate | undefined;
  let where: string | undefined;
  let leaseSeconds: number | undefined;
  if (flags.queue !== undefined) {
    try {
      where = redisWhere(flags.queue);
    } catch (error) {
      return `--queue: ${(error as Error).message}`;
    }
    const rate = parseHostRate(flags.perHostRate);
    if (typeof rate === 'string') return rate;
    hostRate = rate;
    leaseSeconds = Number(flags.jobLease);
    if (!Number.isInteger(leaseSeconds) || leaseSeconds < 1 || leaseSeconds > 3_600) {
      return `--job-lease must be a whole number of seconds from 1 to 3600, not ${JSON.stringify(flags.jobLease)}`;
    }
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(flags.queuePrefix)) {
      return `--queue-prefix must be 1 to 64 letters, digits, "_", "." or "-", not ${JSON.stringify(flags.queuePrefix)}`;
    }
  }
  const store = await openStore(flags.db, flags.dbSchema);
  let redis: FleetRedis | undefined;
  if (flags.queue !== undefined && hostRate !== undefined && leaseSeconds !== undefined) {
    redis = openFleetRedis({ url: flags.queue, prefix: flags.queuePrefix }, log);
  }
  return {
    store,
    fleet:
      redis === undefined
        ? undefined
        : {
            redis,
            work: settings.work,
            reconcile: settings.reconcile,
            hostRate: hostRate ?? null,
            stallTimeoutMs: (leaseSeconds ?? 30) * 1000,
          },
    database: isPostgresUrl(flags.db)
      ? `${safeUrl(flags.db)} (schema ${flags.dbSchema})`
      : flags.db,
    queue:
      where === undefined ? 'in this process' : `Redis at ${where} (prefix ${flags.queuePrefix})`,
    async close() {
      await redis?.close();
      await store.close();
    },
  };
}
