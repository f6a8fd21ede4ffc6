/**
 * The one interface behind which the service keeps its data. Routes and jobs depend on this, never
 * on a database: `sqlite.ts` (embedded) and `postgres/store.ts` (a fleet) implement it, and every
 * implementation must pass the same suite (`describeStoreContract` in `store-contract.ts`, given
 * a factory of empty stores).
 */
import type { AuditLogStore } from './audit-log.js';
import type { AuditStore } from './audits.js';
import type { BatchStore } from './batches.js';
import type { CheckStore } from './checks.js';
import type { MonitorStore } from './monitors.js';
import type { SecretBox } from './secret-box.js';
import type { TokenStore } from './tokens.js';
import type { WebhookStore } from './webhooks.js';

/** Everything the service keeps: one repository per resource, and the keys of its secrets. */
export interface Store {
  readonly checks: CheckStore;
  readonly audits: AuditStore;
  readonly batches: BatchStore;
  readonly monitors: MonitorStore;
  /** Webhooks of monitors and their deliveries. */
  readonly webhooks: WebhookStore;
  /** API tokens, hashed. */
  readonly tokens: TokenStore;
  /** Who created, changed or deleted what. */
  readonly auditLog: AuditLogStore;
  /** Seals the clear inputs of jobs that hold credentials. */
  readonly secrets: SecretBox;
  /** Key of the redactor's hash suffixes, stable across restarts of the same database. */
  readonly redactionKey: Uint8Array;
  /** Whether the database answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
