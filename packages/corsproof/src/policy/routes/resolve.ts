/**
 * What every adapter's `cors(...)` needs of named policies, without defining any: turning a choice
 * (options, a compiled policy, `false`, a name) into a policy, and the registry object itself.
 * `definePolicies` (registry.ts) builds on it; the default factory of each adapter uses the empty
 * registry from here, so a Worker that never defines named policies does not carry their checks.
 */
import { type CorsPolicy, compilePolicy } from '../compile.js';
import { CorsConfigError } from '../errors.js';
import type { CorsOptions } from '../options.js';
import { STARTUP_MESSAGES } from '../startup-messages.js';
import type { StoredValidatedPolicy } from '../validated-policy.js';
import { CorsRoutesError, RoutesIssueList } from './errors.js';

/**
 * A policy where one is expected: options, a compiled policy, a prevalidated policy (from
 * `prevalidatePolicy()`), or `false` for "no CORS here".
 */
export type PolicyInput = CorsOptions | CorsPolicy | StoredValidatedPolicy | false;

/** What a route or a path-table entry may say: a policy input, or a registered policy's name. */
export type PolicyChoice = PolicyInput | string;

/** The named policies, and the default one. */
export interface PolicyRegistryOptions {
  /**
   * The policy for requests nothing more specific picks: paths no table entry matches, and
   * middleware created without a name. `false` says "no CORS unless a route asks for it", like
   * leaving it out, but also lets `cors()` without arguments mean exactly that.
   */
  readonly default?: PolicyInput;
  /** Policies by name. `false` registers an explicit "no CORS" under that name. */
  readonly policies?: Readonly<Record<string, PolicyInput>>;
}

/** Compiled named policies. Build one with {@link definePolicies}. */
export interface PolicyRegistry {
  /** The default policy; null when there is none or it is `false`. */
  readonly default: CorsPolicy | null;
  /** Whether `default` was given (as a policy or as `false`). */
  readonly hasDefault: boolean;
  /** The registered names, in the order given. */
  readonly names: readonly string[];
  /** The policy registered as `name` (null for `false`). Throws a `CorsRoutesError` if unknown. */
  get(name: string): CorsPolicy | null;
  /**
   * Turns a choice into a policy: a name is looked up, options are compiled (once per options
   * object), `false` is null. Throws what `compilePolicy` throws for invalid options (a
   * `CorsConfigError`, its paths prefixed with `at`), and a `CorsRoutesError` for unknown names.
   */
  resolve(choice: PolicyChoice, at?: string): CorsPolicy | null;
}

const REGISTRY = Symbol.for('corsproof.policy-registry');

/** Whether a value is a compiled policy (from `compilePolicy`) rather than options. */
export function isCorsPolicy(value: unknown): value is CorsPolicy {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { decide?: unknown }).decide === 'function' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  );
}

/** Whether a value is a registry made by {@link definePolicies}. */
export function isPolicyRegistry(value: unknown): value is PolicyRegistry {
  return typeof value === 'object' && value !== null && REGISTRY in value;
}

/** Options objects compile once, however many routes share them (Fastify copies GET to HEAD). */
const compiled = new WeakMap<object, CorsPolicy>();

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Compiles one policy input, adding any problem to `issues` (paths prefixed with `at`). Names are
 * not inputs; the caller looks them up.
 */
export function compileInput(
  input: unknown,
  at: string,
  issues: RoutesIssueList,
  rethrow = false,
): CorsPolicy | null {
  if (input === false) return null;
  if (isCorsPolicy(input)) return input;
  if (!isPlainObject(input)) {
    const { reason, fix } = STARTUP_MESSAGES.POLICY_INVALID(input);
    issues.add('POLICY_INVALID', at, input, reason, fix);
    return null;
  }
  const cached = compiled.get(input);
  if (cached !== undefined) return cached;
  try {
    const policy = compilePolicy(input as unknown as CorsOptions);
    compiled.set(input, policy);
    return policy;
  } catch (error) {
    if (rethrow || !(error instanceof CorsConfigError)) throw error;
    issues.addAll(at, error.issues);
    return null;
  }
}

export function unknownName(name: string, names: readonly string[], at: string): RoutesIssueList {
  const issues = new RoutesIssueList();
  const { reason, fix } = STARTUP_MESSAGES.POLICY_UNKNOWN(names);
  issues.add('POLICY_UNKNOWN', at, name, reason, fix);
  return issues;
}

/**
 * The registry object over compiled policies: `get` throws for an unknown name, `resolve` turns
 * any choice into a policy.
 */
export function registryOf(
  byName: ReadonlyMap<string, CorsPolicy | null>,
  defaultPolicy: CorsPolicy | null,
  hasDefault: boolean,
): PolicyRegistry {
  const names = Object.freeze([...byName.keys()]);

  const get = (name: string, at = ''): CorsPolicy | null => {
    const policy = byName.get(name);
    if (policy === undefined) throw new CorsRoutesError(unknownName(name, names, at).issues);
    return policy;
  };
  const resolve = (choice: PolicyChoice, at = ''): CorsPolicy | null => {
    if (typeof choice === 'string') return get(choice, at);
    if (choice === false) return null;
    if (isCorsPolicy(choice)) return choice;
    if (!isPlainObject(choice)) {
      const found = new RoutesIssueList();
      compileInput(choice, at, found);
      found.throwIfAny();
    }
    // One policy fails as `compilePolicy` does, with a CorsConfigError; `at` prefixes its paths.
    try {
      return compileInput(choice, at, new RoutesIssueList(), true);
    } catch (error) {
      if (!(error instanceof CorsConfigError) || at === '') throw error;
      throw new CorsConfigError(
        error.issues.map((i) => ({ ...i, path: i.path === '' ? at : `${at}.${i.path}` })),
      );
    }
  };
  return Object.freeze({
    [REGISTRY]: true,
    default: defaultPolicy,
    hasDefault,
    names,
    get: (name: string) => get(name),
    resolve,
  });
}

/** The registry with no named policies and no default: what `definePolicies()` gives. */
export function emptyRegistry(): PolicyRegistry {
  return registryOf(new Map(), null, false);
}
