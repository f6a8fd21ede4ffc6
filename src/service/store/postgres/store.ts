/**
 * The `Store` on PostgreSQL, for a fleet: several `corsproof serve` and worker processes on one
 * database. Every table lives in one schema (one database can hold several services, and each test
 * its own); the repositories are in this folder, one per resource, beside the SQLite ones' contracts.
 */
import type { PoolConfig } from 'pg';
import { createSecretBox, deriveKey } from '../secret-box.js';
import type { Store } from '../store.js';
import { createPgAuditLogStore } from './audit-log.js';
import { createPgAuditStore } from './audits.js';
import { createPgBatchStore } from './batches.js';
import { createPgCheckStore } from './checks.js';
import { openPgDatabase } from './database.js';
import { loadPostgresMasterKey, parseSecretKey } from './master-key.js';
import { migratePostgres, SCHEMA_NAME } from './migrate.js';
import { createPgMonitorStore } from './monitors.js';
import { createPgTokenStore } from './tokens.js';
import { createPgWebhookStore } from './webhooks.js';

export interface PostgresStoreOptions {
  /**
   * The schema of every table, created when missing: lower-case letters, digits and `_`, at most
   * 63, not starting with a digit. Default `public`.
   */
  readonly schema?: string;
  /** Connections this process may open at most. Default 10. */
  readonly poolSize?: number;
  /**
   * Milliseconds a statement waits for a connection (to open one, or for one of the pool to be
   * free) before it fails with `StoreUnavailableError`. Default 5000.
   */
  readonly connectTimeoutMs?: number;
  /**
   * How long one statement may wait for its answer before it fails with `StoreUnavailableError`
   * (a server that keeps the connection open but stopped answering: a hung host, a half-open
   * link). Default 30000, far above any statement of the store.
   */
  readonly queryTimeoutMs?: number;
  /**
   * The master key that seals credentials, shared by every instance: 32 bytes, or their base64
   * (what `CORSPROOF_SECRET_KEY` holds). Without it the key is kept in the database; see
   * `master-key.ts` for the trade-off.
   */
  readonly secretKey?: Uint8Array | string;
}

/** The PostgreSQL store: the `Store` interface and the schema it keeps its tables in. */
export interface PostgresStore extends Store {
  readonly schema: string;
}

const INT8_OID = 20;

/** BIGINT columns hold milliseconds and counts: numbers, refused if beyond 2^53 rather than rounded. */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new Error(
      `corsproof: the database returned ${text}, beyond the integers JavaScript keeps exact`,
    );
  }
  return value;
}

/**
 * Opens the store on the PostgreSQL server at `url` (`postgres://user[:password]@host[:port]/db`),
 * creating the schema and applying migrations. Rejects with `StoreUnavailableError` when the
 * server cannot be reached, and with an `Error` naming the fix when the schema is newer than this
 * corsproof or the secret key does not match the database's.
 *
 * @example
 * ```ts
 * const store = await openPostgresStore('postgres://corsproof@db:5432/corsproof', {
 *   schema: 'corsproof',
 *   secretKey: process.env.CORSPROOF_SECRET_KEY,
 * });
 * try { await store.checks.get('chk_...'); } finally { await store.close(); }
 * ```
 */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<PostgresStore> {
  const schema = options.schema ?? 'public';
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(
      `corsproof: ${JSON.stringify(schema)} is not a schema name corsproof uses; use lower-case letters, digits and _ (at most 63, not starting with a digit)`,
    );
  }
  const given =
    typeof options.secretKey === 'string' ? parseSecretKey(options.secretKey) : options.secretKey;
  // Loaded on first use: the embedded default (SQLite) never loads the driver.
  const { default: pg } = await import('pg');
  const types = new pg.TypeOverrides();
  // Per pool, not pg.types.setTypeParser: other users of `pg` in the process keep their parsing.
  types.setTypeParser(INT8_OID, parseInt8);
  const config: PoolConfig = {
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    // Client side: the statement's answer, not its run time on the server (a lost server never
    // reports its own statement_timeout). The pool then drops the connection.
    query_timeout: options.queryTimeoutMs ?? 30_000,
    application_name: 'corsproof',
    // TCP keep-alive finds a peer that vanished without closing (a failed-over host, a cut link).
    keepAlive: true,
    // Every connection resolves unqualified names in this schema alone.
    options: `-c search_path=${schema}`,
    types,
  };
  const db = openPgDatabase(pg.Pool, config);
  let master: Buffer;
  try {
    await migratePostgres(db, schema);
    master = await loadPostgresMasterKey(db, given);
  } catch (error) {
    await db.end();
    throw error;
  }
  let closed: Promise<void> | undefined;
  return {
    schema,
    checks: createPgCheckStore(db),
    audits: createPgAuditStore(db),
    batches: createPgBatchStore(db),
    monitors: createPgMonitorStore(db),
    webhooks: createPgWebhookStore(db),
    tokens: createPgTokenStore(db),
    auditLog: createPgAuditLogStore(db),
    secrets: createSecretBox(master),
    redactionKey: deriveKey(master, 'redact v1'),
    ping: () => db.ping(),
    close() {
      closed ??= db.end();
      return closed;
    },
  };
}
