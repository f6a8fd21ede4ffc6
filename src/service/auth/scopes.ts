/**
 * Token scopes and what each grants. A token has one scope; scopes nest so a team hands out the
 * least that does the job:
 *
 * - `read`: every GET of checks, audits, batches and monitors.
 * - `run`: `read`, plus running checks, audits and batches (and running them again).
 * - `monitors`: `read`, plus creating, editing, pausing and deleting monitors.
 * - `metrics`: only `GET /metrics` (for a Prometheus scraper, which should read nothing else).
 * - `admin`: everything, including tokens and the audit log.
 */
import type { TokenScope } from '../store/index.js';

export type { TokenScope } from '../store/index.js';

/** Every scope, least to most. */
export const SCOPES = [
  'read',
  'run',
  'monitors',
  'metrics',
  'admin',
] as const satisfies readonly TokenScope[];

/** What a route asks of its caller: nothing, any valid token, or a token granting a scope. */
export type Access = 'public' | 'signed-in' | TokenScope;

const GRANTS: Readonly<Record<TokenScope, readonly TokenScope[]>> = {
  read: ['read'],
  run: ['run', 'read'],
  monitors: ['monitors', 'read'],
  metrics: ['metrics'],
  admin: ['admin', 'run', 'monitors', 'metrics', 'read'],
};

/** Whether a token of scope `held` may call a route that needs `needed`. */
export function grants(held: TokenScope, needed: TokenScope): boolean {
  return GRANTS[held].includes(needed);
}

/** Whether `value` names a scope. */
export function isScope(value: string): value is TokenScope {
  return (SCOPES as readonly string[]).includes(value);
}
