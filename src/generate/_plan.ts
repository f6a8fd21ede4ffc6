/**
 * What a web server configuration must do, worked out once from the policy file for every target
 * that answers CORS itself (nginx, Apache, Caddy, HAProxy): the distinct policies with the regular
 * expressions and header values each needs, and the path rules that choose among them in the order
 * the engine's path table does. Targets only render this plan in their own syntax.
 */
import type { CorsPolicy, PolicyFile } from 'corsproof';
import {
  literal,
  type MethodRegex,
  methodRegex,
  type OriginRegex,
  originRegex,
  requestHeadersRegex,
} from './_regex.js';
import { GenerateError, type GenerateWarning, type TargetName } from './target.js';

/** One policy as a server applies it. */
export interface PlannedPolicy {
  /** A short identifier for variables and comments: `default`, `partners`, `path_2`. */
  readonly id: string;
  /** Where it is written in the policy file (`default`, `policies.partners`, `paths["/api/*"]`). */
  readonly where: string;
  /** `*` policies answer every request alike; otherwise the Origin decides. */
  readonly origin: { readonly any: true } | ({ readonly any: false } & OriginRegex);
  readonly credentials: boolean;
  /** Access-Control-Expose-Headers on actual responses, or null. */
  readonly exposeHeaders: string | null;
  readonly methods: MethodRegex;
  /** Anchored regex of the Access-Control-Request-Headers values allowed. */
  readonly requestHeaders: string;
  readonly maxAge: number | null;
  readonly privateNetwork: boolean;
  readonly preflightStatus: number;
  /** The Vary of every OPTIONS response (https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches). */
  readonly preflightVary: string;
}

/** One path rule: requests whose path matches `path` get `policy` (null: no CORS). */
export interface PlannedRoute {
  /**
   * Anchored regex over the request path as received (no query), matched only once `READABLE_PATH`
   * matched it; `(?i)` when the rule catches letter-case variants.
   */
  readonly path: string;
  /** The id of the policy, or null for no CORS headers at all. */
  readonly policy: string | null;
  /** Why the rule is there, for a comment. */
  readonly note: string;
}

export interface Plan {
  readonly policies: readonly PlannedPolicy[];
  /**
   * First match wins; empty when the file has no path table. Paths not `READABLE_PATH` get no
   * CORS when the table is not empty.
   */
  readonly routes: readonly PlannedRoute[];
  /** The policy where no route matches (or for every request without a table); null for none. */
  readonly fallback: string | null;
  readonly warnings: readonly GenerateWarning[];
}

/** RFC 3986 `pchar` without `%` (`$` and `'` written `\\xHH`, see `_regex.ts`). */
const PATH_CHAR = '[A-Za-z0-9._~!\\x24&\\x27()*+,;=:@-]';
const PATH_CHAR_NO_DOT = '[A-Za-z0-9_~!\\x24&\\x27()*+,;=:@-]';
const PATH_OR_SLASH = '[A-Za-z0-9._~!\\x24&\\x27()*+,;=:@/-]';
/** One segment that is not `.` or `..`. */
const SEGMENT = `(?:${PATH_CHAR_NO_DOT}${PATH_CHAR}*|\\.${PATH_CHAR_NO_DOT}${PATH_CHAR}*|\\.\\.${PATH_CHAR}+)`;

/**
 * Paths the engine reads exactly as written: only `pchar` (no `%`-escape, which the engine decodes
 * or a router could), no empty segment but a trailing slash, no `.` or `..` segment. The engine
 * refuses the latter outright; escaped paths are refused here too, which is stricter.
 */
export const READABLE_PATH = `^(?:/${SEGMENT})*/?$`;

/**
 * The complement of `READABLE_PATH` over a request target (path and optional query), for RE2
 * (Caddy), which cannot negate a regex: a character outside the alphabet before the query, an
 * empty segment, a dot segment, or a target not starting with `/`.
 */
export const UNREADABLE_TARGET = `^(?:[^?]*[^?A-Za-z0-9._~!\\x24&\\x27()*+,;=:@/-]|${PATH_OR_SLASH}*//|(?:${PATH_OR_SLASH}*/)?\\.\\.?(?:/|\\?|$)|[^/])`;

/**
 * The id that stands for "no CORS here" in every generated configuration (Caddy's `map` reads `-`
 * as "no value", so it is a word). No policy is given this id.
 */
export const NO_POLICY = 'none';

function identifier(name: string, taken: Set<string>): string {
  const base = name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([0-9])/, '_$1') || 'policy';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  taken.add(id);
  return id;
}

function planPolicy(
  target: TargetName,
  policy: CorsPolicy,
  id: string,
  where: string,
  warnings: GenerateWarning[],
): PlannedPolicy {
  const config = policy.config;
  if (typeof config.origins === 'function') {
    throw new GenerateError(
      target,
      'predicate-not-expressible',
      `${where}.origins`,
      'an origins function cannot be written into a server configuration',
      'list the origins (patterns like https://*.example.com are allowed)',
    );
  }
  if (config.logger !== null) {
    warnings.push({
      code: 'debug-not-supported',
      path: `${where}.debug`,
      message:
        'refused preflights get a bare 403 without the partial headers debug mode adds; debug mode only changes the browser console message',
    });
  }
  const origin =
    config.origins === '*'
      ? ({ any: true } as const)
      : ({ any: false, ...originRegex(config.origins) } as const);
  if (!origin.any && origin.refusesPunycodeLabels) {
    warnings.push({
      code: 'punycode-subdomains-refused',
      path: `${where}.origins`,
      message:
        'subdomains with a label starting "xn--" (internationalized names) are refused, since checking their punycode needs a decoder the server lacks',
    });
  }
  const expose = config.exposeHeaders;
  return {
    id,
    where,
    origin,
    credentials: config.credentials,
    exposeHeaders: expose === '*' ? '*' : expose.length > 0 ? expose.join(',') : null,
    methods: methodRegex(config.methods),
    requestHeaders: requestHeadersRegex(config.requestHeaders),
    maxAge: config.maxAge,
    privateNetwork: config.privateNetwork,
    preflightStatus: config.preflightStatus,
    preflightVary: config.privateNetwork
      ? 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network'
      : 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
  };
}

/** The regex of one path pattern over a readable path (see `compilePathPattern`). */
function patternRegex(pattern: string): { regex: string; rest: boolean; letters: boolean } {
  if (pattern === '/') return { regex: '^/$', rest: false, letters: false };
  const parts = pattern.slice(1).split('/');
  const rest = parts[parts.length - 1] === '*';
  const segments = rest ? parts.slice(0, -1) : parts;
  const body = segments.map((s) => (s.startsWith(':') ? '/[^/?]+' : `/${literal(s)}`)).join('');
  const letters = segments.some((s) => !s.startsWith(':') && /[A-Za-z]/.test(s));
  return { regex: `^${body}${rest ? '(?:/[^?]*)?' : ''}$`, rest, letters };
}

/**
 * The path rules, exact for readable paths. The engine reads a path once as written, once without
 * a trailing slash, and once case-folded, and gives no CORS when the readings pick different
 * entries. Walking the entries in order, the first one any reading matches decides: it applies if
 * the path as written matches it (a rest pattern matches a path with and without its trailing
 * slash alike), and otherwise the readings disagree and no CORS applies. So each entry becomes:
 * its own regex; the same without case (letters only) to no CORS; and for an exact pattern, the
 * pattern plus a trailing slash to no CORS.
 */
function planRoutes(file: PolicyFile, idOf: (rule: number) => string | null): PlannedRoute[] {
  const routes: PlannedRoute[] = [];
  file.paths.forEach((rule, i) => {
    const { regex, rest, letters } = patternRegex(rule.pattern);
    const policy = idOf(i);
    routes.push({ path: regex, policy, note: `paths[${JSON.stringify(rule.pattern)}]` });
    if (letters) {
      routes.push({
        path: regex.replace(/^\^/, '^(?i)'),
        policy: null,
        note: 'a letter-case variant: a case-insensitive router could pick another entry',
      });
    }
    if (!rest && rule.pattern !== '/') {
      routes.push({
        path: `${regex.slice(0, -1)}/$`.replace(/^\^/, '^(?i)'),
        policy: null,
        note: 'with a trailing slash: a router ignoring it could pick this entry',
      });
    }
  });
  return routes;
}

/** Works out the plan, or throws `GenerateError` when a policy cannot be written for `target`. */
export function planFile(target: TargetName, file: PolicyFile): Plan {
  const warnings: GenerateWarning[] = [];
  const policies: PlannedPolicy[] = [];
  const taken = new Set<string>([NO_POLICY]);
  const byPolicy = new Map<CorsPolicy, string>();
  const add = (policy: CorsPolicy | null, name: string, where: string): string | null => {
    if (policy === null) return null;
    const known = byPolicy.get(policy);
    if (known !== undefined) return known;
    const id = identifier(name, taken);
    byPolicy.set(policy, id);
    policies.push(planPolicy(target, policy, id, where, warnings));
    return id;
  };
  const fallback = add(file.default, 'default', 'default');
  const named = new Map<string, string | null>();
  for (const [name, policy] of file.policies) {
    const used = file.paths.some((r) => r.choice.kind === 'named' && r.choice.name === name);
    if (used) named.set(name, add(policy, name, `policies.${name}`));
  }
  const ids = file.paths.map((rule, i) => {
    const c = rule.choice;
    if (c.kind === 'none') return null;
    if (c.kind === 'named') return named.get(c.name) ?? null;
    return add(c.policy, `path_${i + 1}`, `paths[${JSON.stringify(rule.pattern)}]`);
  });
  const routes = planRoutes(file, (i) => ids[i] ?? null);
  if (file.paths.some((r) => r.pattern.includes('%'))) {
    warnings.push({
      code: 'escaped-path-pattern',
      path: 'paths',
      message:
        'a pattern with a %-escape never matches here, because paths with %-escapes get no CORS headers',
    });
  }
  if (routes.length > 0) {
    warnings.push({
      code: 'escaped-paths-refused',
      path: 'paths',
      message:
        'requests whose path has a %-escape or a character outside RFC 3986 pchar get no CORS headers, where the engine would decode the path first and might allow them',
    });
  }
  return { policies, routes, fallback, warnings };
}
