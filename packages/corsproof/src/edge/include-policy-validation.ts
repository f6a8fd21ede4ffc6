/**
 * `includePolicyValidation()` as the Node build has it: that build always validates options, so
 * there is nothing to include. The edge build has edge/include-policy-validation.edge.ts instead.
 */

/**
 * Makes the edge build of corsproof (the `workerd`, `worker` and `browser` export conditions)
 * validate CORS options at run time, so that `withCors({ origins: [...] }, handler)` works in a
 * Worker as it does on Node, with the same messages. Without it the edge build takes policies
 * validated at build time (`prevalidatePolicy()`) and refuses options with a
 * `PolicyValidationAbsentError`. The validator costs a Worker about 5.5 KB gzipped. Needed too for
 * what a prevalidated policy cannot hold: an origins predicate, `onDecision`, a `debug` logger.
 * Does nothing in the Node build.
 *
 * @example
 * import { includePolicyValidation } from 'corsproof';
 * import { withCors } from 'corsproof/fetch';
 *
 * includePolicyValidation();
 * export default {
 *   fetch: withCors({ origins: ['https://app.example.com'], credentials: true }, handler),
 * };
 */
export function includePolicyValidation(): void {}
