/**
 * The service's storage: one SQLite database (see `database.ts` and `migrations.ts`) behind one
 * repository per resource, plus the key that seals credentials background jobs must keep.
 */
import { type AuditStore, createAuditStore } from './audits.js';
import { type BatchStore, createBatchStore } from './batches.js';
import { type CheckStore, createCheckStore } from './checks.js';
import { type Database, openDatabase } from './database.js';
import { createMonitorStore, type MonitorStore } from './monitors.js';
import { createSecretBox, deriveKey, loadMasterKey, type SecretBox } from './secret-box.js';

export type { AuditRecord, AuditStore } from './audits.js';
export type {
  BatchKind,
  BatchRecord,
  BatchStatus,
  BatchStore,
  ClaimedTarget,
  Completed,
  NewTarget,
  Progress,
  TargetRecord,
  TargetState,
} from './batches.js';
export type { CheckRecord, CheckStore, CheckSummary } from './checks.js';
export { decodeCursor, decodePositionCursor, encodeCursor } from './cursor.js';
export type {
  DueMonitor,
  MonitorRecord,
  MonitorRun,
  MonitorStore,
  Transition,
} from './monitors.js';
export type { SecretBox } from './secret-box.js';

/** Everything the service keeps. */
export interface Store {
  readonly db: Database;
  readonly checks: CheckStore;
  readonly audits: AuditStore;
  readonly batches: BatchStore;
  readonly monitors: MonitorStore;
  /** Seals the clear inputs of jobs that hold credentials. */
  readonly secrets: SecretBox;
  /** Key of the redactor's hash suffixes, stable across restarts of the same database. */
  readonly redactionKey: Buffer;
  /** Whether the database answers. */
  ping(): boolean;
  close(): void;
}

/**
 * Opens the store at `path` (a file, created with its key file `<path>.key` when missing, or
 * `:memory:`), applying migrations.
 *
 * @example
 * ```ts
 * const store = openStore('./corsproof.db');
 * try { store.checks.get('chk_...'); } finally { store.close(); }
 * ```
 */
export function openStore(path: string): Store {
  const db = openDatabase(path);
  let master: Buffer;
  try {
    master = loadMasterKey(path);
  } catch (error) {
    db.close();
    throw error;
  }
  const ping = db.prepare<[], { ok: number }>('SELECT 1 AS ok');
  return {
    db,
    checks: createCheckStore(db),
    audits: createAuditStore(db),
    batches: createBatchStore(db),
    monitors: createMonitorStore(db),
    secrets: createSecretBox(master),
    redactionKey: deriveKey(master, 'redact v1'),
    ping() {
      try {
        return ping.get()?.ok === 1;
      } catch {
        return false;
      }
    },
    close() {
      if (db.open) db.close();
    },
  };
}
