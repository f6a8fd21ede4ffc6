/**
 * Errors in path tables and policy registries. Like `CorsConfigError`, every problem is collected
 * and thrown together at start-up, so one restart shows them all; nothing here fails per request.
 */
import { type CorsConfigCode, type CorsConfigIssue, issuesMessage } from '../errors.js';

/** Stable codes for problems in path tables and policy registries. */
export type CorsRoutesCode =
  /** The path table is not an object or an array of `[pattern, policy]` pairs. */
  | 'PATHS_NOT_TABLE'
  /** A path pattern is not one corsproof understands. */
  | 'PATH_PATTERN_INVALID'
  /** The same pattern appears twice. */
  | 'PATH_PATTERN_DUPLICATE'
  /** An earlier entry matches every path this one does: first match wins, so it never applies. */
  | 'PATH_PATTERN_UNREACHABLE'
  /** Two patterns differ only in letter case, which a case-insensitive router treats as one. */
  | 'PATH_PATTERN_CASE_CONFLICT'
  /** `policies` is not an object of named policies. */
  | 'POLICIES_NOT_OBJECT'
  /** A policy name is empty or not a string. */
  | 'POLICY_NAME_INVALID'
  /** A policy is neither options, a compiled policy, `false` nor a registered name. */
  | 'POLICY_INVALID'
  /** A name that no policy was registered under. */
  | 'POLICY_UNKNOWN'
  /** No policy was given and no default policy is defined. */
  | 'POLICY_DEFAULT_MISSING';

/** One problem: a `CorsConfigIssue` whose code may also be a routes code. */
export interface CorsRoutesIssue extends Omit<CorsConfigIssue, 'code'> {
  readonly code: CorsRoutesCode | CorsConfigCode;
}

/**
 * Thrown at start-up by `definePolicies`, `compilePathTable` and the adapters' route-level choices,
 * with every problem found. Problems inside a policy's options keep their `CorsConfigCode`, with
 * the path prefixed by where the policy is (`policies.partners.origins[0]`).
 */
export class CorsRoutesError extends Error {
  override readonly name = 'CorsRoutesError';
  readonly issues: readonly CorsRoutesIssue[];

  constructor(issues: readonly CorsRoutesIssue[]) {
    super(issuesMessage('the CORS routes have', issues));
    this.issues = Object.freeze([...issues]);
  }
}

/** Collects issues; `throwIfAny` throws them together. */
export class RoutesIssueList {
  readonly issues: CorsRoutesIssue[] = [];

  add(
    code: CorsRoutesCode | CorsConfigCode,
    path: string,
    value: unknown,
    reason: string,
    fix: string,
  ): void {
    this.issues.push({ code, path, value, reason, fix });
  }

  /** Adds issues found elsewhere, their paths prefixed with `at`. */
  addAll(at: string, issues: readonly CorsRoutesIssue[]): void {
    for (const issue of issues) {
      const path = issue.path === '' ? at : at === '' ? issue.path : `${at}.${issue.path}`;
      this.issues.push({ ...issue, path });
    }
  }

  throwIfAny(): void {
    if (this.issues.length > 0) throw new CorsRoutesError(this.issues);
  }
}
