/**
 * A prevalidated policy: CORS options validated at build time by the full validator
 * (`prevalidatePolicy()`, in Node), written as plain JSON, and loaded where the validator is not
 * wanted (a Worker, by the edge build) after checks that it is what the validator wrote: its
 * format and version, and a checksum over the normalized configuration, so a record edited by
 * hand or written by another version of corsproof is refused rather than trusted. The checksum
 * guards against mistakes, not against someone forging a record in their own code: whoever can
 * edit the Worker can also pass options directly.
 *
 * This module holds what loading needs and nothing of the validator, so the edge build can load a
 * record without carrying the validator.
 */
import type { CorsConfigIssue } from './errors.js';
import type { CorsOptions } from './options.js';
import type { ParsedOriginSpec } from './origin-pattern.js';
import { type RecordProblem, STARTUP_MESSAGES } from './startup-messages.js';
import type { NormalizedConfig } from './validate.js';

/**
 * The version of the record format and of the rules it was validated by. Bump it when the
 * normalized configuration or a validation rule changes: records of another version are refused,
 * so no record escapes a rule added since it was written.
 */
export const VALIDATED_POLICY_VERSION = 1;

/** The normalized configuration as a record holds it: JSON, no functions. */
export interface ValidatedConfigJSON {
  readonly origins: '*' | readonly ParsedOriginSpec[];
  readonly credentials: boolean;
  readonly methods: '*' | readonly string[];
  readonly requestHeaders: '*' | readonly string[];
  readonly exposeHeaders: '*' | readonly string[];
  readonly maxAge: number | null;
  readonly privateNetwork: boolean;
  readonly preflightStatus: number;
  /** `debug: true` (messages to `console`). */
  readonly debug: boolean;
  /**
   * The opt-outs the options were validated with, so validating them again gives the same;
   * present only when set.
   */
  readonly dangerouslyAllowInsecureOrigins?: true;
  readonly dangerouslyAllowPublicSuffixWildcards?: true;
}

/** CORS options validated at build time by `prevalidatePolicy()`, as JSON. */
export interface ValidatedPolicy {
  readonly corsproof: 'validated-policy';
  readonly version: number;
  readonly config: ValidatedConfigJSON;
  /** A checksum of `version` and `config`, as `prevalidatePolicy()` wrote them. */
  readonly check: string;
}

/**
 * A prevalidated policy where one is accepted: what `prevalidatePolicy()` returned, or the same
 * imported from a JSON file, whose types TypeScript widens (`"validated-policy"` to `string`). Its
 * checks come when it is loaded.
 */
export interface StoredValidatedPolicy {
  readonly corsproof: string;
  readonly version: number;
  readonly config: object;
  readonly check: string;
}

/** What a validation gives: the configuration, or the problems found. */
export type ValidationResult =
  | { ok: true; config: NormalizedConfig }
  | { ok: false; issues: CorsConfigIssue[] };

/** Whether a value claims to be a prevalidated policy (its checks come when it is loaded). */
export function isValidatedPolicy(value: unknown): value is ValidatedPolicy {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { corsproof?: unknown }).corsproof === 'validated-policy'
  );
}

/**
 * FNV-1a over UTF-16 code units, 32 bits as 8 hex digits: enough to catch an edit (one in four
 * billion slips through), which is all it is for.
 */
function checksum(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

function checksumOf(version: number, config: ValidatedConfigJSON): string {
  return checksum(`${version}:${JSON.stringify(config)}`);
}

/**
 * The record of a validated configuration without functions (the caller has checked there are
 * none), and the opt-outs of the options it came from. Keys come in a fixed order, so the
 * checksum does not depend on how the options were written.
 */
export function recordOf(
  config: NormalizedConfig,
  options: Pick<
    CorsOptions,
    'dangerouslyAllowInsecureOrigins' | 'dangerouslyAllowPublicSuffixWildcards'
  >,
): ValidatedPolicy {
  const json: ValidatedConfigJSON = {
    origins: config.origins as '*' | readonly ParsedOriginSpec[],
    credentials: config.credentials,
    methods: config.methods,
    requestHeaders: config.requestHeaders,
    exposeHeaders: config.exposeHeaders,
    maxAge: config.maxAge,
    privateNetwork: config.privateNetwork,
    preflightStatus: config.preflightStatus,
    debug: config.logger !== null,
    ...(options.dangerouslyAllowInsecureOrigins === true && {
      dangerouslyAllowInsecureOrigins: true,
    }),
    ...(options.dangerouslyAllowPublicSuffixWildcards === true && {
      dangerouslyAllowPublicSuffixWildcards: true,
    }),
  };
  const copy = JSON.parse(JSON.stringify(json)) as ValidatedConfigJSON;
  return {
    corsproof: 'validated-policy',
    version: VALIDATED_POLICY_VERSION,
    config: copy,
    check: checksumOf(VALIDATED_POLICY_VERSION, copy),
  };
}

function refused(record: ValidatedPolicy, problem: RecordProblem): ValidationResult {
  const { reason, fix } = STARTUP_MESSAGES.VALIDATED_POLICY_INVALID(
    problem,
    record.version,
    VALIDATED_POLICY_VERSION,
  );
  return {
    ok: false,
    issues: [{ code: 'VALIDATED_POLICY_INVALID', path: '', value: record, reason, fix }],
  };
}

/**
 * Checks a record's format, version and checksum; the problem, or null when it is sound. A sound
 * record is the JSON `recordOf` wrote, so its configuration has the validator's shape.
 */
function recordProblem(record: ValidatedPolicy): ValidationResult | null {
  if (record.version !== VALIDATED_POLICY_VERSION) {
    return refused(record, 'version');
  }
  const config = record.config;
  if (
    typeof config !== 'object' ||
    config === null ||
    typeof record.check !== 'string' ||
    record.check !== checksumOf(record.version, config)
  ) {
    return refused(record, 'edited');
  }
  return null;
}

/** The options a record was validated from, for validating it again. */
export function optionsOf(config: ValidatedConfigJSON): CorsOptions {
  const origins = config.origins;
  return {
    origins:
      origins === '*' ? '*' : origins.map((s) => (s.kind === 'exact' ? s.serialized : s.canonical)),
    credentials: config.credentials,
    methods: config.methods,
    requestHeaders: config.requestHeaders,
    exposeHeaders: config.exposeHeaders,
    ...(config.maxAge === null ? {} : { maxAge: config.maxAge }),
    privateNetwork: config.privateNetwork,
    preflightStatus: config.preflightStatus,
    debug: config.debug,
    dangerouslyAllowInsecureOrigins: config.dangerouslyAllowInsecureOrigins === true,
    dangerouslyAllowPublicSuffixWildcards: config.dangerouslyAllowPublicSuffixWildcards === true,
  };
}

/**
 * Loads a record without the validator (the edge build): its format, version and checksum must be
 * what `prevalidatePolicy()` writes.
 */
export function loadValidatedPolicy(record: ValidatedPolicy): ValidationResult {
  const problem = recordProblem(record);
  if (problem !== null) return problem;
  // The opt-outs mattered to validation only; the rest is the configuration as validated.
  const {
    debug,
    dangerouslyAllowInsecureOrigins: _insecure,
    dangerouslyAllowPublicSuffixWildcards: _suffixes,
    ...config
  } = record.config;
  return { ok: true, config: { ...config, logger: debug ? console : null, decisionLog: null } };
}

/**
 * Loads a record with the validator (the Node build): the same checks, then the options it was
 * made from are validated again, and the result must be the record's configuration.
 */
export function revalidatePolicy(
  record: ValidatedPolicy,
  validate: (options: unknown) => ValidationResult,
): ValidationResult {
  const problem = recordProblem(record);
  if (problem !== null) return problem;
  const options = optionsOf(record.config);
  const result = validate(options);
  if (!result.ok) return result;
  if (recordOf(result.config, options).check !== record.check) {
    return refused(record, 'revalidated');
  }
  return result;
}
