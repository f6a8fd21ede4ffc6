/**
 * The checker's API as the bench calls it: the one place to adjust when `check` changes.
 * Built as `dist/check/index.js`: `check({ url, origin, method, headers, credentials, dispatcher })`
 * resolving to a result whose `verdict` is `'allowed'` (an `allowed: true` field is accepted too).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CHECKER_MODULE = 'check/index.js';

export interface CheckCall {
  readonly url: string;
  readonly origin: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly credentials: boolean;
  /** An undici dispatcher, shared by all checks of a run. */
  readonly dispatcher: unknown;
}

/** One request the checker sent: method and header lines, in order. */
export interface SentRequest {
  readonly method: string;
  readonly headers: readonly (readonly [string, string])[];
}

/** Resolves to whether the browser would let the page read the response, and the whole result. */
export type Checker = (
  call: CheckCall,
) => Promise<{ allowed: boolean; verdict: string; result: Record<string, unknown> }>;

/** The requests a check sent, in order (empty when the result does not list them). */
export function sentRequests(result: Record<string, unknown>): SentRequest[] {
  const steps = Array.isArray(result.steps) ? (result.steps as { request?: SentRequest }[]) : [];
  return steps.flatMap((s) => (s.request ? [s.request] : []));
}

type CheckFn = (options: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** `check()`'s result as the bench reads it: the verdict, and whether it allows the read. */
export function verdictOf(result: Record<string, unknown>): { allowed: boolean; verdict: string } {
  const verdict = String(result.verdict ?? (result.allowed === true ? 'allowed' : 'unknown'));
  return { allowed: result.allowed === true || verdict === 'allowed', verdict };
}

/**
 * `check()` itself, called with the bench's arguments and nothing around it: the load clients
 * await it as a user would, with no promise or result object of the bench's own per check (the
 * undici baselines have none either). Null when the checker is not built yet.
 */
export async function loadCheckCall(
  dist: string,
): Promise<((call: CheckCall) => Promise<Record<string, unknown>>) | null> {
  const file = join(dist, CHECKER_MODULE);
  if (!existsSync(file)) return null;
  const mod = (await import(pathToFileURL(file).href)) as { check?: CheckFn };
  const check = mod.check;
  if (typeof check !== 'function') throw new Error(`dist/${CHECKER_MODULE} exports no check()`);
  return (c) =>
    check({
      url: c.url,
      origin: c.origin,
      method: c.method,
      headers: c.headers,
      credentials: c.credentials ? 'include' : 'omit',
      dispatcher: c.dispatcher,
    });
}

/** The checker, or null when it is not built yet. */
export async function loadChecker(dist: string): Promise<Checker | null> {
  const check = await loadCheckCall(dist);
  if (check === null) return null;
  return async (c) => {
    const result = await check(c);
    return { ...verdictOf(result), result };
  };
}
