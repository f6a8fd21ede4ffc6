/**
 * Which targets the service may reach, decided from the URL (the guarded dispatcher enforces the
 * same rule again at connect time, on every hop). Three modes:
 * - `public` (the default): only globally routable unicast addresses;
 * - `private` (`--allow-private-targets`): anything the guard's URL rules accept;
 * - `loopback` (`--demo`): public targets plus this machine's loopback hosts (127.0.0.0/8, [::1],
 *   `localhost` and `*.localhost`: spec/secure-context.ts), so the demo API can be checked without
 *   opening the private network.
 */
import { isLoopbackHost } from 'corsproof/spec';
import { type TargetRefusalCode, validateTargetUrl } from './index.js';

export type PrivateTargets = 'public' | 'private' | 'loopback';

export type TargetVerdict =
  | { readonly ok: true; readonly url: URL }
  | { readonly ok: false; readonly code: TargetRefusalCode; readonly reason: string };

/**
 * Validates a target URL under `mode`: the guard's rules (scheme, no credentials, bad ports,
 * address ranges), with loopback let through in `loopback` mode.
 *
 * @example
 * ```ts
 * checkTarget('http://127.0.0.1:8081/public', 'loopback'); // { ok: true, url }
 * checkTarget('http://10.0.0.1/', 'loopback').ok; // false
 * ```
 */
export function checkTarget(input: string, mode: PrivateTargets): TargetVerdict {
  const strict = validateTargetUrl(input, { allowPrivateTargets: mode === 'private' });
  if (strict.ok) return { ok: true, url: strict.url };
  const localRefusal =
    strict.code === 'NON_PUBLIC_ADDRESS' || strict.code === 'NON_PUBLIC_HOSTNAME';
  if (mode === 'loopback' && localRefusal) {
    const relaxed = validateTargetUrl(input, { allowPrivateTargets: true });
    if (relaxed.ok && isLoopbackHost(relaxed.url.hostname)) return { ok: true, url: relaxed.url };
  }
  return { ok: false, code: strict.code, reason: strict.reason };
}
