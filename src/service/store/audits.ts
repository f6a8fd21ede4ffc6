/** Stored audits: one row per `POST /api/audits`, redacted input and report as JSON. */
import type { Database } from 'better-sqlite3';
import type { AuditReport } from '../jobs/runner.js';
import type { AuditInput, Notice } from '../routes/inputs.js';
import type { Outcome } from '../routes/shared.schema.js';

/** A stored audit. Input and report are redacted before they get here. */
export interface AuditRecord {
  readonly id: string;
  readonly createdAt: number;
  readonly input: AuditInput;
  readonly notices: readonly Notice[];
  readonly outcome: Outcome;
  readonly result: AuditReport;
}

/** One line of the audit history. */
export interface AuditSummary {
  readonly id: string;
  readonly createdAt: number;
  readonly url: string;
  readonly origin: string;
  readonly outcome: Outcome;
}

/** Audit history filters; `before` is the id the previous page ended with. */
export interface AuditFilter {
  readonly outcome?: Outcome;
  /** The target's host (name or address, lower case), any scheme and port. */
  readonly host?: string;
  /** Milliseconds since the epoch: only audits made then or later. */
  readonly since?: number;
  readonly before?: string;
  readonly limit: number;
}

export interface AuditStore {
  insert(record: AuditRecord): Promise<void>;
  get(id: string): Promise<AuditRecord | undefined>;
  /** Newest first; ids sort by creation time, so the id alone orders and pages the history. */
  list(filter: AuditFilter): Promise<AuditSummary[]>;
}

/** An audit's line of the history as both stores read it back. */
export interface AuditSummaryRow {
  id: string;
  created_at: number;
  url: string;
  origin: string;
  outcome: Outcome;
}

export function toAuditSummary(row: AuditSummaryRow): AuditSummary {
  return {
    id: row.id,
    createdAt: row.created_at,
    url: row.url,
    origin: row.origin,
    outcome: row.outcome,
  };
}

/** `host` as a LIKE pattern's literal part: `%`, `_` and the escape itself escaped. */
function likeLiteral(host: string): string {
  return host.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export interface AuditRow {
  id: string;
  created_at: number;
  outcome: Outcome;
  input: string;
  notices: string;
  result: string;
}

export function toAudit(row: AuditRow): AuditRecord {
  return {
    id: row.id,
    createdAt: row.created_at,
    outcome: row.outcome,
    input: JSON.parse(row.input) as AuditInput,
    notices: JSON.parse(row.notices) as Notice[],
    result: JSON.parse(row.result) as AuditReport,
  };
}

export function createAuditStore(db: Database): AuditStore {
  const insert = db.prepare<[Record<string, string | number>]>(
    `INSERT INTO audits (id, created_at, url, origin, outcome, input, notices, result)
     VALUES (@id, @createdAt, @url, @origin, @outcome, @input, @notices, @result)`,
  );
  const get = db.prepare<[string], AuditRow>(
    'SELECT id, created_at, outcome, input, notices, result FROM audits WHERE id = ?',
  );
  // Stored URLs are serialized by the URL parser: `scheme://host[:port]/path`, host in lower case.
  const list = db.prepare<[Record<string, string | number | null>], AuditSummaryRow>(
    `SELECT id, created_at, url, origin, outcome FROM audits
     WHERE (@outcome IS NULL OR outcome = @outcome)
       AND (@host IS NULL OR url LIKE '%://' || @host || '/%' ESCAPE '\\'
                          OR url LIKE '%://' || @host || ':%' ESCAPE '\\')
       AND (@since IS NULL OR created_at >= @since)
       AND (@before IS NULL OR id < @before)
     ORDER BY id DESC LIMIT @limit`,
  );
  return {
    async list(filter) {
      return list
        .all({
          outcome: filter.outcome ?? null,
          host: filter.host === undefined ? null : likeLiteral(filter.host),
          since: filter.since ?? null,
          before: filter.before ?? null,
          limit: filter.limit,
        })
        .map(toAuditSummary);
    },
    async insert(record) {
      insert.run({
        id: record.id,
        createdAt: record.createdAt,
        url: record.input.url,
        origin: record.input.origin,
        outcome: record.outcome,
        input: JSON.stringify(record.input),
        notices: JSON.stringify(record.notices),
        result: JSON.stringify(record.result),
      });
    },
    async get(id) {
      const row = get.get(id);
      return row === undefined ? undefined : toAudit(row);
    },
  };
}
