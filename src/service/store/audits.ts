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

export interface AuditStore {
  insert(record: AuditRecord): void;
  get(id: string): AuditRecord | undefined;
}

interface AuditRow {
  id: string;
  created_at: number;
  outcome: Outcome;
  input: string;
  notices: string;
  result: string;
}

export function createAuditStore(db: Database): AuditStore {
  const insert = db.prepare<[Record<string, string | number>]>(
    `INSERT INTO audits (id, created_at, url, origin, outcome, input, notices, result)
     VALUES (@id, @createdAt, @url, @origin, @outcome, @input, @notices, @result)`,
  );
  const get = db.prepare<[string], AuditRow>(
    'SELECT id, created_at, outcome, input, notices, result FROM audits WHERE id = ?',
  );
  return {
    insert(record) {
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
    get(id) {
      const row = get.get(id);
      if (row === undefined) return undefined;
      return {
        id: row.id,
        createdAt: row.created_at,
        outcome: row.outcome,
        input: JSON.parse(row.input) as AuditInput,
        notices: JSON.parse(row.notices) as Notice[],
        result: JSON.parse(row.result) as AuditReport,
      };
    },
  };
}
