/**
 * The whole API: every route (in the order the document lists them) and the schemas published by
 * name. Each resource's schemas and routes live in its own `*.schema.ts`.
 */
import type { JsonSchema } from '../http/route-spec.js';
import { AUDIT_LOG_PAGE, AUDIT_LOG_ROUTES } from './audit-log.schema.js';
import { AUDIT_INPUT, AUDIT_RECORD, AUDIT_ROUTES } from './audits.schema.js';
import {
  BATCH_ACCEPTED,
  BATCH_INPUT,
  BATCH_PAGE,
  BATCH_PROGRESS,
  BATCH_ROUTES,
  BATCH_STATUS,
} from './batches.schema.js';
import { CHECK_INPUT, CHECK_PAGE, CHECK_RECORD, CHECK_ROUTES } from './checks.schema.js';
import { HEALTH, META_ROUTES } from './meta.schema.js';
import { MONITOR_ACTION_ROUTES, MONITOR_CHANGE } from './monitor-actions.schema.js';
import {
  MONITOR_DETAIL,
  MONITOR_INPUT,
  MONITOR_PAGE,
  MONITOR_RECORD,
  MONITOR_ROUTES,
} from './monitors.schema.js';
import { RERUN_ROUTES } from './reruns.schema.js';
import { ERROR_BODY } from './shared.schema.js';
import {
  SESSION,
  TOKEN_CREATED,
  TOKEN_INPUT,
  TOKEN_LIST,
  TOKEN_RECORD,
  TOKEN_ROUTES,
} from './tokens.schema.js';
import { WEBHOOK_INPUT, WEBHOOK_ROUTES, WEBHOOK_SET, WEBHOOK_STATUS } from './webhooks.schema.js';

/** Every route of the API. The route modules register these; `http/openapi.ts` documents them. */
export const API_ROUTES = {
  ...META_ROUTES,
  ...CHECK_ROUTES,
  rerunCheck: RERUN_ROUTES.rerunCheck,
  ...AUDIT_ROUTES,
  rerunAudit: RERUN_ROUTES.rerunAudit,
  ...BATCH_ROUTES,
  rerunBatch: RERUN_ROUTES.rerunBatch,
  ...MONITOR_ROUTES,
  // Replaces listMonitors (with filters) in its place, and adds the actions after it.
  ...MONITOR_ACTION_ROUTES,
  ...WEBHOOK_ROUTES,
  ...TOKEN_ROUTES,
  ...AUDIT_LOG_ROUTES,
} as const;

/** Schemas published by name under `components.schemas`; routes using them get a `$ref`. */
export const NAMED_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  CheckInput: CHECK_INPUT,
  AuditInput: AUDIT_INPUT,
  BatchInput: BATCH_INPUT,
  MonitorInput: MONITOR_INPUT,
  Error: ERROR_BODY,
  CheckRecord: CHECK_RECORD,
  CheckPage: CHECK_PAGE,
  AuditRecord: AUDIT_RECORD,
  BatchAccepted: BATCH_ACCEPTED,
  BatchStatus: BATCH_STATUS,
  BatchProgress: BATCH_PROGRESS,
  BatchPage: BATCH_PAGE,
  Monitor: MONITOR_RECORD,
  MonitorChange: MONITOR_CHANGE,
  WebhookInput: WEBHOOK_INPUT,
  WebhookSet: WEBHOOK_SET,
  WebhookStatus: WEBHOOK_STATUS,
  MonitorDetail: MONITOR_DETAIL,
  MonitorPage: MONITOR_PAGE,
  Health: HEALTH,
  Session: SESSION,
  TokenInput: TOKEN_INPUT,
  Token: TOKEN_RECORD,
  TokenCreated: TOKEN_CREATED,
  TokenList: TOKEN_LIST,
  AuditLogPage: AUDIT_LOG_PAGE,
};
