/**
 * `prevalidatePolicy`: CORS options validated now, by the full validator, and written as JSON for
 * a runtime that should not carry the validator (the edge build of corsproof; see
 * validated-policy.ts).
 */
import { CorsConfigError } from './errors.js';
import type { CorsOptions } from './options.js';
import { validateOptions } from './validate.js';
import { recordOf, type ValidatedPolicy } from './validated-policy.js';

/**
 * Validates CORS options as `compilePolicy` does and returns them as a prevalidated policy: plain
 * JSON, to write to a file at build time and pass to `withCors`/`cors` wherever options go. The
 * edge build of corsproof (Workers) loads it without carrying the validator; the Node build
 * validates it again. Throws a `CorsConfigError` listing every problem, as `compilePolicy` does,
 * and for what JSON cannot hold: an origins predicate, `onDecision`, a `debug` logger object
 * (`debug: true` is kept).
 *
 * @example
 * // build-cors.mjs, run before `wrangler deploy`
 * import { writeFileSync } from 'node:fs';
 * import { prevalidatePolicy } from 'corsproof';
 * const policy = prevalidatePolicy({ origins: ['https://app.example.com'], credentials: true });
 * writeFileSync('src/cors-policy.json', JSON.stringify(policy));
 *
 * // src/worker.js
 * import policy from './cors-policy.json';
 * import { withCors } from 'corsproof/fetch';
 * export default { fetch: withCors(policy, handler) };
 */
export function prevalidatePolicy(options: CorsOptions): ValidatedPolicy {
  const result = validateOptions(options);
  if (!result.ok) throw new CorsConfigError(result.issues);
  const { config } = result;
  const unwritable: [keyof CorsOptions, string][] = [];
  if (typeof config.origins === 'function') unwritable.push(['origins', 'an origins predicate']);
  if (config.logger !== null && options.debug !== true)
    unwritable.push(['debug', 'a debug logger']);
  if (config.decisionLog !== null) unwritable.push(['onDecision', 'an onDecision listener']);
  const issues = unwritable.map(([key, what]) => ({
    code: 'INVALID_TYPE' as const,
    path: key,
    value: options[key],
    reason: `a prevalidated policy is JSON, which cannot hold ${what}`,
    fix: `validate these options at run time instead (in a Worker, call includePolicyValidation() from 'corsproof'), or remove ${key}`,
  }));
  if (issues.length > 0) throw new CorsConfigError(issues);
  return recordOf(config, options);
}
