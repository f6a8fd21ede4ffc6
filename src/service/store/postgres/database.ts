/**
 * The connection pool of the PostgreSQL store, and the two ways repositories use it: one statement
 * on any connection, or several in one transaction on one connection. Every failure to reach the
 * server becomes a `StoreUnavailableError`; every other error (a constraint, a bug in a statement)
 * is passed on as the driver raised it.
 */
import type { Pool, PoolClient, PoolConfig, QueryResultRow } from 'pg';
import { StoreUnavailableError } from '../unavailable.js';

/** What a repository runs statements with: the pool, or the connection of a transaction. */
export interface Sql {
  /** The rows of one statement (`$1`, `$2`... are `values`). */
  rows<R extends QueryResultRow>(text: string, values?: readonly unknown[]): Promise<R[]>;
  /** Runs one statement; the number of rows it wrote. */
  run(text: string, values?: readonly unknown[]): Promise<number>;
}

export interface PgDatabase extends Sql {
  /** The server, as named in errors: host, port and database, never the password. */
  readonly where: string;
  /** Runs `work` in one transaction on one connection: committed when it resolves, else rolled back. */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  /** Whether the server answers a query; never throws. */
  ping(): Promise<boolean>;
  end(): Promise<void>;
}

// Errors of the socket: the server is down, restarting, or the network between is.
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// SQLSTATEs of a server that is there but cannot serve now
// (https://www.postgresql.org/docs/current/errcodes-appendix.html): class 08 is "connection
// exception"; 57P01-57P03 are shutdown, crash and start-up; 53300 is too_many_connections.
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);

// node-postgres reports its own timeouts and lost connections by message only.
const DRIVER_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|connection timeout|Client has encountered a connection error|Connection ended|Query read timeout/i;

/** Whether `error` says the server cannot be reached (as opposed to refusing a statement). */
export function isConnectionFailure(error: unknown): boolean {
  if (error instanceof AggregateError) return error.errors.some(isConnectionFailure);
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (SOCKET_CODES.has(code) || SERVER_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) {
      return true;
    }
  }
  return DRIVER_MESSAGES.test(error.message);
}

/** `url` without credentials, for messages. */
export function describeServer(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'the PostgreSQL server';
  }
}

function unavailableOr(where: string, error: unknown): unknown {
  return isConnectionFailure(error) ? new StoreUnavailableError(where, error) : error;
}

function sqlOn(client: Pick<Pool, 'query'>, where: string): Sql {
  return {
    async rows<R extends QueryResultRow>(text: string, values: readonly unknown[] = []) {
      try {
        return (await client.query<R>(text, values as unknown[])).rows;
      } catch (error) {
        throw unavailableOr(where, error);
      }
    },
    async run(text, values = []) {
      try {
        return (await client.query(text, values as unknown[])).rowCount ?? 0;
      } catch (error) {
        throw unavailableOr(where, error);
      }
    },
  };
}

const ignore = () => {};

/**
 * Opens a pool on `config` (whose `connectionString` names the server). Nothing is connected
 * until the first statement.
 */
export function openPgDatabase(PoolClass: typeof Pool, config: PoolConfig): PgDatabase {
  const where = describeServer(config.connectionString ?? '');
  const pool = new PoolClass(config);
  // An idle connection the server drops emits 'error' on the pool; without a listener Node would
  // end the process. The pool discards that connection and the next statement opens another.
  pool.on('error', ignore);
  const sql = sqlOn(pool, where);

  async function connect(): Promise<PoolClient> {
    try {
      return await pool.connect();
    } catch (error) {
      throw unavailableOr(where, error);
    }
  }

  return {
    ...sql,
    where,
    async transaction(work) {
      const client = await connect();
      // A connection lost while checked out emits 'error' with no listener of the pool's.
      client.on('error', ignore);
      const tx = sqlOn(client, where);
      let broken: unknown;
      try {
        await tx.run('BEGIN');
        const result = await work(tx);
        await tx.run('COMMIT');
        return result;
      } catch (error) {
        if (error instanceof StoreUnavailableError) broken = error;
        else await tx.run('ROLLBACK').catch((rollback: unknown) => (broken = rollback));
        throw error;
      } finally {
        client.removeListener('error', ignore);
        // A connection that failed is destroyed, not handed to the next caller.
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
    async ping() {
      try {
        await sql.rows('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    end() {
      return pool.end();
    },
  };
}
