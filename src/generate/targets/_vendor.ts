/**
 * What the targets that cannot run here (ASP.NET Core, Spring, S3) share: the policies of a file
 * with where each is written, and the warnings every one of them needs about the same gaps.
 */
import type { CorsPolicy, ParsedOriginSpec, PolicyFile } from 'corsproof';
import type { PlannedPolicy } from '../_plan.js';
import { GenerateError, type GenerateWarning, type TargetName } from '../target.js';

/** The policy a plan entry was made from, read back from where it is written in the file. */
export function policyAt(file: PolicyFile, planned: PlannedPolicy): CorsPolicy {
  const where = planned.where;
  const found =
    where === 'default'
      ? file.default
      : where.startsWith('policies.')
        ? (file.policies.get(where.slice('policies.'.length)) ?? null)
        : (() => {
            const pattern = JSON.parse(where.slice('paths['.length, -1)) as string;
            const rule = file.paths.find((r) => r.pattern === pattern);
            return rule?.choice.kind === 'inline' ? rule.choice.policy : null;
          })();
  if (found === null) throw new Error(`corsproof: no policy at ${where}`);
  return found;
}

/** The origins of a policy that lists them (predicates are refused by the plan already). */
export function originSpecs(policy: CorsPolicy): readonly ParsedOriginSpec[] | '*' {
  const origins = policy.config.origins;
  return origins === '*' ? '*' : (origins as readonly ParsedOriginSpec[]);
}

/** A pattern as written in the policy file (`https://*.example.com`, `http://localhost:*`). */
export function written(spec: ParsedOriginSpec): string {
  return spec.kind === 'exact' ? spec.serialized : spec.canonical;
}

/** One warning, built where the policy sits. */
export function warning(code: string, path: string, message: string): GenerateWarning {
  return { code, path, message };
}

/** The preflight status a server always answers with, as a warning when the policy differs. */
export function fixedPreflightStatus(
  policy: CorsPolicy,
  where: string,
  server: string,
  status: number,
): GenerateWarning[] {
  if (policy.config.preflightStatus === status) return [];
  return [
    warning(
      'preflight-status',
      `${where}.preflightStatus`,
      `${server} answers accepted preflights with ${status} instead of ${policy.config.preflightStatus}; browsers accept any 2xx.`,
    ),
  ];
}

/** Refuses a file whose paths get different policies, for servers configured once for all. */
export function onePolicyOnly(target: TargetName, file: PolicyFile, fix: string): CorsPolicy {
  if (file.paths.length > 0) {
    throw new GenerateError(
      target,
      'paths-not-expressible',
      'paths',
      `${target} has one CORS configuration for everything it serves, so paths cannot get different policies`,
      fix,
    );
  }
  if (file.default === null) {
    throw new GenerateError(
      target,
      'no-policy',
      'default',
      'the file gives no CORS anywhere, which is no configuration at all',
      'remove the CORS configuration instead of generating one',
    );
  }
  return file.default;
}
