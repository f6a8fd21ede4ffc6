/**
 * Named policies, after ASP.NET Core's `AddPolicy("name")` + `[EnableCors("name")]`: policies are
 * registered once under a name, and routes pick one by name. Every policy is compiled (and
 * validated) when the registry is defined; a route naming an unknown policy fails at start-up.
 */
import type { CorsPolicy } from '../compile.js';
import { RoutesIssueList } from './errors.js';
import {
  compileInput,
  isPlainObject,
  isPolicyRegistry,
  type PolicyRegistry,
  type PolicyRegistryOptions,
  registryOf,
  unknownName,
} from './resolve.js';

export {
  compileInput,
  isCorsPolicy,
  isPolicyRegistry,
  type PolicyChoice,
  type PolicyInput,
  type PolicyRegistry,
  type PolicyRegistryOptions,
} from './resolve.js';

/**
 * Defines named policies and an optional default, compiling each once. Throws a `CorsRoutesError`
 * listing every problem in every policy.
 *
 * @example
 * const policies = definePolicies({
 *   default: { origins: ['https://app.example.com'] },
 *   policies: {
 *     public: { origins: '*' },
 *     partners: { origins: ['https://partner.example'], credentials: true },
 *     internal: false,
 *   },
 * });
 * policies.get('partners')?.toJSON().credentials // true
 * policies.get('internal')                       // null: no CORS
 * policies.get('parnters')                       // throws: corsproof: ... POLICY_UNKNOWN
 */
export function definePolicies(options: PolicyRegistryOptions = {}): PolicyRegistry {
  const issues = new RoutesIssueList();
  const byName = new Map<string, CorsPolicy | null>();
  let defaultPolicy: CorsPolicy | null = null;
  let hasDefault = false;
  if (!isPlainObject(options)) {
    issues.add(
      'POLICIES_NOT_OBJECT',
      '',
      options,
      'named policies are given as { default?, policies? }',
      'pass { policies: { name: { origins: [...] } } }',
    );
  } else {
    for (const key of Object.keys(options)) {
      if (key !== 'default' && key !== 'policies') {
        issues.add(
          'UNKNOWN_OPTION',
          key,
          options[key as keyof PolicyRegistryOptions],
          'a policy registry has only `default` and `policies`',
          key === 'origins'
            ? 'put these options under default: { origins: [...] }'
            : 'remove it, or move it into one of the policies',
        );
      }
    }
    if (options.default !== undefined) {
      hasDefault = true;
      defaultPolicy = compileInput(options.default, 'default', issues);
    }
    const policies = options.policies;
    if (policies !== undefined && !isPlainObject(policies)) {
      issues.add(
        'POLICIES_NOT_OBJECT',
        'policies',
        policies,
        'policies maps names to policies',
        'write policies: { partners: { origins: ["https://partner.example"] } }',
      );
    } else if (policies !== undefined) {
      for (const [name, input] of Object.entries(policies)) {
        const at = `policies.${name}`;
        if (name.trim() === '') {
          issues.add(
            'POLICY_NAME_INVALID',
            at,
            name,
            'a policy name cannot be empty',
            'name it after who or what it serves: "partners"',
          );
          continue;
        }
        byName.set(name, compileInput(input, at, issues));
      }
    }
  }
  issues.throwIfAny();
  return registryOf(byName, defaultPolicy, hasDefault);
}

/** Looks `name` up without throwing, for collecting problems. */
export function lookUp(
  registry: PolicyRegistry,
  name: string,
  at: string,
  issues: RoutesIssueList,
): CorsPolicy | null {
  if (registry.names.includes(name)) return registry.get(name);
  issues.addAll('', unknownName(name, registry.names, at).issues);
  return null;
}

/** A registry as given, or defined from options. */
export function toRegistry(
  value: PolicyRegistry | PolicyRegistryOptions | undefined,
): PolicyRegistry {
  return isPolicyRegistry(value) ? value : definePolicies(value);
}
