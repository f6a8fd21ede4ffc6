/**
 * The whole guard decision for one submitted URL, without connecting: URL rules, then resolution
 * and address rules. The service calls it to refuse early with a clear reason; the guarded
 * dispatcher enforces the same rules again at connect time, which is the check that counts.
 */

import type { TargetRefusal } from './refusal.js';
import { type ResolveOptions, resolveHostname, type ValidatedAddress } from './resolver.js';
import { validateTargetUrl } from './target-url.js';

/** A target that passed every rule of the guard. */
export interface AcceptedTarget {
  readonly ok: true;
  readonly url: URL;
  /** The effective port. */
  readonly port: number;
  /** The validated addresses: the IP literal itself, or every address the name resolved to. */
  readonly addresses: readonly ValidatedAddress[];
}

/** A refused target. */
export interface RefusedTarget extends TargetRefusal {
  readonly ok: false;
}

export type TargetResult = AcceptedTarget | RefusedTarget;

/**
 * Validate a submitted URL end to end: `validateTargetUrl`, then `resolveHostname` for its host.
 * DNS failures reject (they are network errors to report as such, not refusals).
 *
 * @example
 * ```ts
 * const target = await validateTarget('http://rebind.example/', { lookup });
 * if (!target.ok) return reply(400, { code: target.code, reason: target.reason });
 * ```
 */
export async function validateTarget(
  input: string,
  options: ResolveOptions = {},
): Promise<TargetResult> {
  const checked = validateTargetUrl(input, options);
  if (!checked.ok) return checked;
  const { url, port, host } = checked;
  const resolved = await resolveHostname(
    host.kind === 'ip' ? host.address : host.hostname,
    options,
  );
  if (!resolved.ok) return resolved;
  return { ok: true, url, port, addresses: resolved.addresses };
}
