/**
 * The audit log: who (a token's name) created, changed or deleted what. One row per accepted
 * request that changes something; reads are not logged.
 */
import type { Database } from 'better-sqlite3';

/** One entry of the audit log. */
export interface AuditLogEntry {
  readonly id: string;
  readonly at: number;
  /** The token's name, or `anonymous` when the service runs with authentication off. */
  readonly actor: string;
  readonly tokenId: string | null;
  /** The API operation, e.g. `createMonitor`, `revokeToken`. */
  readonly action: string;
  /** The resource's collection, e.g. `monitors`. */
  readonly resource: string;
  /** The id of the thing created, changed or deleted, when there is one. */
  readonly resourceId: string | null;
  /** The HTTP status the request was answered with. */
  readonly status: number;
}

/** Filters of the audit log; `before` is the id the previous page ended with. */
export interface AuditLogFilter {
  readonly actor?: string;
  readonly before?: string;
  readonly limit: number;
}

export interface AuditLogStore {
  insert(entry: AuditLogEntry): Promise<void>;
  /** Newest first. */
  list(filter: AuditLogFilter): Promise<AuditLogEntry[]>;
}

/** An entry as both stores read it back. */
export interface EntryRow {
  id: string;
  at: number;
  actor: string;
  token_id: string | null;
  action: string;
  resource: string;
  resource_id: string | null;
  status: number;
}

export function toEntry(row: EntryRow): AuditLogEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    tokenId: row.token_id,
    action: row.action,
    resource: row.resource,
    resourceId: row.resource_id,
    status: row.status,
  };
}

export function createAuditLogStore(db: Database): AuditLogStore {
  const insert = db.prepare<[Record<string, string | number | null>]>(
    `INSERT INTO audit_log (id, at, actor, token_id, action, resource, resource_id, status)
     VALUES (@id, @at, @actor, @tokenId, @action, @resource, @resourceId, @status)`,
  );
  const list = db.prepare<[Record<string, string | number | null>], EntryRow>(
    `SELECT id, at, actor, token_id, action, resource, resource_id, status FROM audit_log
     WHERE (@actor IS NULL OR actor = @actor) AND (@before IS NULL OR id < @before)
     ORDER BY id DESC LIMIT @limit`,
  );
  return {
    async insert(entry) {
      insert.run({ ...entry });
    },
    async list(filter) {
      return list
        .all({ actor: filter.actor ?? null, before: filter.before ?? null, limit: filter.limit })
        .map(toEntry);
    },
  };
}
