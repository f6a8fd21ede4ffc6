/**
 * The SSRF guard of `corsproof serve`: which targets the public check service may reach (by URL,
 * by resolved address, and per `--allow-private-targets` / `--demo` mode in `target-policy.ts`),
 * and the dispatchers that enforce it again at connect time, on every redirect hop.
 */
export {
  type AddressRange,
  type AddressVerdict,
  type AllowedAddress,
  classifyAddress,
  describeRefusedAddress,
  type RefusedAddress,
} from './address-policy.js';
export {
  createGuardedConnector,
  createGuardedDispatcher,
  createGuardedLookup,
  GUARDED_DISPATCHER_DEFAULTS,
  type GuardedDispatcherOptions,
} from './dispatcher.js';
export {
  type AllowedHostname,
  classifyHostname,
  type HostnameVerdict,
  type RefusedHostname,
} from './hostname-policy.js';
export {
  PRIVATE_TARGETS_HINT,
  type TargetRefusal,
  type TargetRefusalCode,
  TargetRefusedError,
} from './refusal.js';
export {
  type LookupAddress,
  type LookupFunction,
  type RefusedHost,
  type ResolvedHost,
  type ResolveOptions,
  type ResolveResult,
  resolveHostname,
  type ValidatedAddress,
} from './resolver.js';
export {
  type AcceptedTargetUrl,
  type RefusedTargetUrl,
  type TargetHost,
  type TargetUrlOptions,
  type TargetUrlResult,
  validateTargetUrl,
} from './target-url.js';
export {
  type AcceptedTarget,
  type RefusedTarget,
  type TargetResult,
  validateTarget,
} from './validate-target.js';
