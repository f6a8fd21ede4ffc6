/**
 * The service's storage: the `Store` interface every route and job depends on, the types of what
 * it holds, page cursors, its two implementations (`openSqliteStore`, embedded, the default;
 * `openPostgresStore`, shared by a fleet), and `StoreUnavailableError`, the failure to answer with
 * 503.
 */
export type { AuditLogEntry, AuditLogFilter, AuditLogStore } from './audit-log.js';
export type { AuditFilter, AuditRecord, AuditStore, AuditSummary } from './audits.js';
export type {
  BatchFilter,
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
export {
  openPostgresStore,
  type PostgresStore,
  type PostgresStoreOptions,
} from './postgres/store.js';
export type { SecretBox } from './secret-box.js';
export { openSqliteStore, type SqliteStore } from './sqlite.js';
export type { Store } from './store.js';
export type { TokenRecord, TokenScope, TokenStore } from './tokens.js';
export { STORE_RETRY_AFTER_SECONDS, StoreUnavailableError } from './unavailable.js';
export type {
  DeliveryStatus,
  WebhookAttempt,
  WebhookConfig,
  WebhookDelivery,
  WebhookFormat,
  WebhookStore,
} from './webhooks.js';
