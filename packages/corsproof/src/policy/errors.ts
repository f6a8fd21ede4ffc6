/**
 * Configuration errors. `compilePolicy` collects every problem it finds and throws them together,
 * so a developer fixes a configuration in one pass rather than one error per restart.
 */

/** Stable codes, one per kind of problem; safe to match on in tests and tooling. */
export type CorsConfigCode =
  | 'OPTIONS_NOT_OBJECT'
  | 'UNKNOWN_OPTION'
  | 'INVALID_TYPE'
  | 'ORIGINS_MISSING'
  | 'ORIGINS_EMPTY'
  | 'ORIGIN_INVALID'
  | 'ORIGIN_NULL'
  | 'ORIGIN_NOT_ASCII'
  | 'ORIGIN_DEFAULT_PORT'
  | 'ORIGIN_NOT_CANONICAL'
  | 'ORIGIN_PATTERN_INVALID'
  | 'ORIGIN_DUPLICATE'
  | 'ORIGIN_WILDCARD_IN_LIST'
  | 'WILDCARD_ORIGIN_WITH_CREDENTIALS'
  | 'INSECURE_ORIGIN_WITH_CREDENTIALS'
  | 'PUBLIC_SUFFIX_WILDCARD_WITH_CREDENTIALS'
  | 'METHOD_INVALID'
  | 'METHOD_FORBIDDEN'
  | 'METHOD_DUPLICATE'
  | 'REQUEST_HEADER_INVALID'
  | 'REQUEST_HEADER_FORBIDDEN'
  | 'REQUEST_HEADER_DUPLICATE'
  | 'EXPOSE_HEADER_INVALID'
  | 'EXPOSE_HEADER_FORBIDDEN'
  | 'EXPOSE_HEADER_SAFELISTED'
  | 'EXPOSE_HEADER_DUPLICATE'
  | 'EXPOSE_WILDCARD_WITH_CREDENTIALS'
  | 'WILDCARD_IN_LIST'
  | 'MAX_AGE_INVALID'
  | 'PREFLIGHT_STATUS_INVALID'
  | 'VALIDATED_POLICY_INVALID';

/** One problem in a configuration. */
export interface CorsConfigIssue {
  readonly code: CorsConfigCode;
  /** Where it is, as a property path: `origins[2]`, `maxAge`. */
  readonly path: string;
  /** The offending value as given. */
  readonly value: unknown;
  /** Why it is refused. */
  readonly reason: string;
  /** What to write instead (or which opt-in allows it, where one exists). */
  readonly fix: string;
}

function show(value: unknown): string {
  if (typeof value === 'function') return '[function]';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** An issue of a policy, or of routes (whose codes are their own). */
type AnyIssue = Omit<CorsConfigIssue, 'code'> & { readonly code: string };

/** Formats one issue as a line of the error message. */
export function formatIssue(issue: AnyIssue): string {
  const at = issue.path === '' ? '' : `${issue.path} `;
  return `${at}${show(issue.value)}: ${issue.reason} (${issue.code}). Fix: ${issue.fix}`;
}

/**
 * The message of an error listing `issues`, one a line, under a head naming what has them
 * (`the CORS policy has`).
 */
export function issuesMessage(subjectHas: string, issues: readonly AnyIssue[]): string {
  const head =
    issues.length === 1
      ? `corsproof: ${subjectHas} a problem:`
      : `corsproof: ${subjectHas} ${issues.length} problems:`;
  return [head, ...issues.map((i) => `  - ${formatIssue(i)}`)].join('\n');
}

/** Thrown by `compilePolicy` with every problem the configuration has. */
export class CorsConfigError extends Error {
  override readonly name = 'CorsConfigError';
  readonly issues: readonly CorsConfigIssue[];

  constructor(issues: readonly CorsConfigIssue[]) {
    super(issuesMessage('the CORS policy has', issues));
    this.issues = Object.freeze([...issues]);
  }
}
