/**
 * The policy file: one JSON document a team keeps as the single source of truth for every server it
 * runs (the middleware, `corsproof generate` for nginx, Flask-CORS and the rest, `corsproof conform`
 * against the live server, `corsproof audit --policy`). Pure: the caller reads the file.
 *
 * Two forms, told apart by their keys:
 * - one policy: `{ "origins": [...], "credentials": true, ... }` (the options of `compilePolicy`);
 * - several: `{ "default": {...} | false, "policies": { "name": {...} | false }, "paths": { "/api/*": "name" | {...} | false } }`,
 *   the same shapes `definePolicies` and `compilePathTable` take.
 */
import { type CorsPolicy, compilePolicy } from './compile.js';
import type { CorsOptions } from './options.js';
import { CorsRoutesError } from './routes/errors.js';
import { definePolicies, type PolicyRegistry } from './routes/registry.js';
import { compilePathTable, type PathTable } from './routes/table.js';

/** Where editors find the JSON Schema of this format (`corsproof generate --schema` prints it). */
export const POLICY_FILE_SCHEMA_ID = 'https://corsproof.dev/schema/policy-file.json';

/** A policy in the file: options, or `false` for "no CORS here". */
export type PolicyFileEntry = CorsOptions | false;

/** The several-policies form as written. */
export interface PolicySetJSON {
  readonly $schema?: string;
  readonly default?: PolicyFileEntry;
  readonly policies?: Readonly<Record<string, PolicyFileEntry>>;
  /** Path patterns (`/api/*`, `/orders/:id`) to a policy name, inline options, or `false`; first match wins. */
  readonly paths?: Readonly<Record<string, PolicyFileEntry | string>>;
}

/** What a path-table entry chose, kept as written so generators can name policies as the file does. */
export type PathChoice =
  | { readonly kind: 'named'; readonly name: string }
  | { readonly kind: 'inline'; readonly policy: CorsPolicy }
  | { readonly kind: 'none' };

export interface PathRule {
  /** The pattern as written (`/api/*`, `/orders/:id`). */
  readonly pattern: string;
  readonly choice: PathChoice;
}

/** A validated policy file. Every policy in it is compiled; nothing here can fail per request. */
export interface PolicyFile {
  /** The policy where no path rule matches; null means no CORS there. */
  readonly default: CorsPolicy | null;
  /** Named policies in the order written; null for a name registered as `false`. */
  readonly policies: ReadonlyMap<string, CorsPolicy | null>;
  /** Path rules in matching order (first match wins); empty when the file has no `paths`. */
  readonly paths: readonly PathRule[];
  /** Picks the policy for a request target exactly as the adapters' path tables do. */
  policyFor(target: string): CorsPolicy | null;
}

const SET_KEYS = new Set(['$schema', 'default', 'policies', 'paths']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a document is the several-policies form (only `default`, `policies`, `paths`, `$schema`). */
function isPolicySet(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.some((k) => k !== '$schema' && SET_KEYS.has(k)) && keys.every((k) => SET_KEYS.has(k));
}

function withoutSchema(value: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = value;
  return rest;
}

function pathRules(paths: Record<string, unknown>, registry: PolicyRegistry): PathRule[] {
  return Object.entries(paths).map(([pattern, choice]): PathRule => {
    if (choice === false) return { pattern, choice: { kind: 'none' } };
    if (typeof choice === 'string') return { pattern, choice: { kind: 'named', name: choice } };
    // Compiled already by compilePathTable; resolving again hits the registry's per-object cache.
    const policy = registry.resolve(choice as CorsOptions, `paths[${JSON.stringify(pattern)}]`);
    return policy === null
      ? { pattern, choice: { kind: 'none' } }
      : { pattern, choice: { kind: 'inline', policy } };
  });
}

/**
 * Validates a parsed policy file and compiles every policy in it. Throws a `CorsConfigError` (one
 * policy) or a `CorsRoutesError` (several) listing every problem, with paths into the document.
 *
 * @example
 * const file = parsePolicyFile(JSON.parse(await readFile('cors.json', 'utf8')));
 * file.policyFor('/api/orders')?.toJSON().origins;
 */
export function parsePolicyFile(document: unknown): PolicyFile {
  if (!isPlainObject(document)) {
    throw new CorsRoutesError([
      {
        code: 'POLICIES_NOT_OBJECT',
        path: '',
        value: document,
        reason: 'a policy file is a JSON object',
        fix: 'write { "origins": ["https://app.example.com"] }, or { "default": {...}, "policies": {...}, "paths": {...} }',
      },
    ]);
  }
  if (!isPolicySet(document)) {
    // Compiled directly, so problems are reported at their own paths (`origins[0]`).
    const only = compilePolicy(withoutSchema(document) as unknown as CorsOptions);
    return Object.freeze({
      default: only,
      policies: new Map(),
      paths: [],
      policyFor: () => only,
    });
  }
  const set = document as PolicySetJSON;
  const registry = definePolicies({
    ...(set.default !== undefined && { default: set.default }),
    ...(set.policies !== undefined && { policies: set.policies }),
  });
  const policies = new Map(registry.names.map((name) => [name, registry.get(name)] as const));
  if (set.paths === undefined) {
    return Object.freeze({
      default: registry.default,
      policies,
      paths: [],
      policyFor: () => registry.default,
    });
  }
  const table: PathTable = compilePathTable(set.paths, { policies: registry });
  const paths = pathRules(set.paths as Record<string, unknown>, registry);
  return Object.freeze({
    default: registry.default,
    policies,
    paths,
    policyFor: (target: string) => table.match(target).policy,
  });
}
