/**
 * What every route of the API asks of its caller (see `auth/scopes.ts`). Typed over the route
 * table, so a route added to `API_ROUTES` without an entry here does not compile, and the role
 * tests (`test/service/access.test.ts`) run over this same table.
 */
import type { Access } from '../auth/scopes.js';
import type { RouteSpec } from '../http/route-spec.js';
import { API_ROUTES } from './api.js';

export const ROUTE_ACCESS: Readonly<Record<keyof typeof API_ROUTES, Access>> = {
  health: 'public',
  openapi: 'public',
  liveness: 'public',
  readiness: 'public',
  metrics: 'metrics',
  getSession: 'signed-in',
  createToken: 'admin',
  listTokens: 'admin',
  revokeToken: 'admin',
  listAuditLog: 'admin',
  createCheck: 'run',
  listChecks: 'read',
  getCheck: 'read',
  rerunCheck: 'run',
  createAudit: 'run',
  listAudits: 'read',
  getAudit: 'read',
  rerunAudit: 'run',
  createBatch: 'run',
  listBatches: 'read',
  rerunBatch: 'run',
  getBatch: 'read',
  exportBatch: 'read',
  batchEvents: 'read',
  createMonitor: 'monitors',
  listMonitors: 'read',
  getMonitor: 'read',
  deleteMonitor: 'monitors',
  updateMonitor: 'monitors',
  pauseMonitor: 'monitors',
  resumeMonitor: 'monitors',
  runMonitor: 'monitors',
  setWebhook: 'monitors',
  getWebhook: 'read',
  deleteWebhook: 'monitors',
};

/** The same, by `operationId` (what the auth hook finds on a request's route). */
export const ACCESS_BY_OPERATION: ReadonlyMap<string, Access> = new Map(
  (Object.entries(API_ROUTES) as [keyof typeof API_ROUTES, RouteSpec][]).map(([key, spec]) => [
    spec.operationId,
    ROUTE_ACCESS[key],
  ]),
);
