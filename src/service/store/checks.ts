/**
 * Stored checks: one row per `POST /api/checks`, with the URL, origin, method and verdict in
 * columns for the history filters, and the redacted input and result as JSON.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { CheckResult } from '../../check/index.js';
import type { StoredVerdict } from '../routes/checks.schema.js';
import type { CheckInput, Notice } from '../routes/inputs.js';

/** A stored check. Input and result are redacted before they get here. */
export interface CheckRecord {
  readonly id: string;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  readonly input: CheckInput;
  readonly notices: readonly Notice[];
  readonly result: CheckResult;
}

/** One line of the history. */
export interface CheckSummary {
  readonly id: string;
  readonly createdAt: number;
  readonly url: string;
  readonly origin: string;
  readonly method: string;
  readonly verdict: StoredVerdict;
}

/** History filters; `before` is the id the previous page ended with. */
export interface CheckFilter {
  readonly url?: string;
  readonly origin?: string;
  readonly verdict?: StoredVerdict;
  readonly before?: string;
  readonly limit: number;
}

export interface CheckStore {
  insert(record: CheckRecord): Promise<void>;
  get(id: string): Promise<CheckRecord | undefined>;
  /** Newest first. Ids sort by creation time, so the id alone orders and pages the history. */
  list(filter: CheckFilter): Promise<CheckSummary[]>;
}

/** A check as both stores read it back (column names, JSON as text). */
export interface CheckRow {
  id: string;
  created_at: number;
  input: string;
  notices: string;
  result: string;
}

export interface CheckSummaryRow {
  id: string;
  created_at: number;
  url: string;
  origin: string;
  method: string;
  verdict: StoredVerdict;
}

export function toCheck(row: CheckRow): CheckRecord {
  return {
    id: row.id,
    createdAt: row.created_at,
    input: JSON.parse(row.input) as CheckInput,
    notices: JSON.parse(row.notices) as Notice[],
    result: JSON.parse(row.result) as CheckResult,
  };
}

export function toCheckSummary(row: CheckSummaryRow): CheckSummary {
  return {
    id: row.id,
    createdAt: row.created_at,
    url: row.url,
    origin: row.origin,
    method: row.method,
    verdict: row.verdict,
  };
}

type FilterParams = Record<string, string | number>;

export function createCheckStore(db: Database): CheckStore {
  const insert = db.prepare<[Record<string, string | number>]>(
    `INSERT INTO checks (id, created_at, url, origin, method, verdict, input, notices, result)
     VALUES (@id, @createdAt, @url, @origin, @method, @verdict, @input, @notices, @result)`,
  );
  const get = db.prepare<[string], CheckRow>(
    'SELECT id, created_at, input, notices, result FROM checks WHERE id = ?',
  );
  // One prepared statement per combination of filters (at most 16), built on first use.
  const lists = new Map<string, Statement<[FilterParams], CheckSummaryRow>>();

  function listStatement(filter: CheckFilter): Statement<[FilterParams], CheckSummaryRow> {
    const where: string[] = [];
    if (filter.url !== undefined) where.push('url = @url');
    if (filter.origin !== undefined) where.push('origin = @origin');
    if (filter.verdict !== undefined) where.push('verdict = @verdict');
    if (filter.before !== undefined) where.push('id < @before');
    const key = where.join(' AND ');
    let statement = lists.get(key);
    if (statement === undefined) {
      statement = db.prepare<[FilterParams], CheckSummaryRow>(
        `SELECT id, created_at, url, origin, method, verdict FROM checks
         ${where.length === 0 ? '' : `WHERE ${key}`}
         ORDER BY id DESC LIMIT @limit`,
      );
      lists.set(key, statement);
    }
    return statement;
  }

  return {
    async insert(record) {
      insert.run({
        id: record.id,
        createdAt: record.createdAt,
        url: record.input.url,
        origin: record.input.origin,
        method: record.input.method,
        verdict: record.result.verdict,
        input: JSON.stringify(record.input),
        notices: JSON.stringify(record.notices),
        result: JSON.stringify(record.result),
      });
    },
    async get(id) {
      const row = get.get(id);
      return row === undefined ? undefined : toCheck(row);
    },
    async list(filter) {
      const params: FilterParams = { limit: filter.limit };
      if (filter.url !== undefined) params.url = filter.url;
      if (filter.origin !== undefined) params.origin = filter.origin;
      if (filter.verdict !== undefined) params.verdict = filter.verdict;
      if (filter.before !== undefined) params.before = filter.before;
      return listStatement(filter).all(params).map(toCheckSummary);
    },
  };
}
