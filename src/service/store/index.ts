/**
 * The service's storage: the `Store` interface every route and job depends on, the types of what
 * it holds, page cursors, and `openSqliteStore`, the implementation the CLI opens.
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
export type { SecretBox } from './secret-box.js';
export { openSqliteStore, type SqliteStore } from './sqlite.js';
export type { Store } from './store.js';
export type { TokenRecord, TokenScope, TokenStore } from './tokens.js';
export type {
  DeliveryStatus,
  WebhookAttempt,
  WebhookConfig,
  WebhookDelivery,
  WebhookFormat,
  WebhookStore,
} from './webhooks.js';
