/**
 * The `Store` on one SQLite database (see `database.ts` and `migrations.ts`): one repository per
 * resource, plus the key file that seals the credentials background jobs must keep.
 */
import { createAuditLogStore } from './audit-log.js';
import { createAuditStore } from './audits.js';
import { createBatchStore } from './batches.js';
import { createCheckStore } from './checks.js';
import { type Database, openDatabase } from './database.js';
import { createMonitorStore } from './monitors.js';
import { createSecretBox, deriveKey, loadMasterKey } from './secret-box.js';
import type { Store } from './store.js';
import { createTokenStore } from './tokens.js';
import { createWebhookStore } from './webhooks.js';

/** The SQLite store: the `Store` interface, plus the database for tools and tests that need SQL. */
export interface SqliteStore extends Store {
  readonly db: Database;
}

/**
 * Opens the SQLite store at `path` (a file, created with its key file `<path>.key` when missing,
 * or `:memory:`), applying migrations.
 *
 * @example
 * ```ts
 * const store = openSqliteStore('./corsproof.db');
 * try { await store.checks.get('chk_...'); } finally { await store.close(); }
 * ```
 */
export function openSqliteStore(path: string): SqliteStore {
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
    webhooks: createWebhookStore(db),
    tokens: createTokenStore(db),
    auditLog: createAuditLogStore(db),
    secrets: createSecretBox(master),
    redactionKey: deriveKey(master, 'redact v1'),
    async ping() {
      try {
        return ping.get()?.ok === 1;
      } catch {
        return false;
      }
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
