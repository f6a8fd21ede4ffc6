/**
 * The auditor's API as the bench calls it: the one place to adjust when `audit` changes.
 * Expected as `dist/audit/index.js`: `audit({ url, origin, dispatcher? })` resolving to a report
 * once every probe of that endpoint is done.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const AUDITOR_MODULE = 'audit/index.js';

export interface AuditCall {
  readonly url: string;
  readonly origin: string;
  readonly dispatcher: unknown;
}

/** Audits one endpoint; resolves to the number of findings (or 0 when it does not say). */
export type Auditor = (call: AuditCall) => Promise<number>;

type AuditFn = (options: Record<string, unknown>) => Promise<unknown>;

/** The auditor, or null when it is not built yet. */
export async function loadAuditor(dist: string): Promise<Auditor | null> {
  const file = join(dist, AUDITOR_MODULE);
  if (!existsSync(file)) return null;
  const mod = (await import(pathToFileURL(file).href)) as { audit?: AuditFn };
  const audit = mod.audit;
  if (typeof audit !== 'function') throw new Error(`dist/${AUDITOR_MODULE} exports no audit()`);
  return async (c) => {
    const report = (await audit({ url: c.url, origin: c.origin, dispatcher: c.dispatcher })) as {
      findings?: unknown;
    } | null;
    return Array.isArray(report?.findings) ? report.findings.length : 0;
  };
}
