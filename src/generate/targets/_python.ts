/**
 * What the Python targets (Flask-CORS, django-cors-headers, Starlette for FastAPI) share: Python
 * literals, anchored regular expressions for origins and paths, and where each policy sits in the
 * file so warnings can point at it. Pure.
 *
 * Every regular expression emitted is anchored at both ends with `\A` and `\Z` (`$` would also
 * match before a final newline) and escapes every character it takes from the policy: Flask-CORS
 * and django-cors-headers match with `re.match`, which anchors only the start, so an unanchored
 * `https://app\.example\.com` would allow `https://app.example.com.evil.test`.
 */
import type { CorsPolicy, ParsedOriginSpec, PathRule, PolicyFile } from 'corsproof';
import { compilePathPattern, isPatternProblem } from 'corsproof';
import { GenerateError, type GenerateWarning, type TargetName } from '../target.js';

/** A Python string literal (JSON's escapes are Python's). */
export function pyString(text: string): string {
  return JSON.stringify(text);
}

/** A regular expression as a Python raw string where that is possible, for readability. */
export function pyRegex(source: string): string {
  const trailing = /\\*$/.exec(source)?.[0].length ?? 0;
  return !source.includes('"') && !/[\n\r]/.test(source) && trailing % 2 === 0
    ? `r"${source}"`
    : pyString(source);
}

/** A Python list literal of strings on one line. */
export function pyList(items: readonly string[]): string {
  return `[${items.map(pyString).join(', ')}]`;
}

/** Escapes every character Python's `re` gives a meaning outside a character class. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/**
 * One host label as the origin patterns read it (`*.` stands for one or more of them). Narrower
 * than what a URL host may hold (`!`, `$`, `~`...), so the regex is never looser than the policy.
 */
const LABEL = '[a-z0-9_-]+';

/** A port number from 1 to 65535 without leading zeros, as origins serialize it. */
const PORT_NUMBER =
  '(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])';

/** Browsers leave a scheme's default port out of `Origin`, so `:443` is never sent for https. */
const DEFAULT_PORTS: Readonly<Record<string, string>> = {
  http: '80',
  https: '443',
  ws: '80',
  wss: '443',
};

/**
 * The regular expression (unanchored body) matching exactly the origins one `origins` entry allows.
 *
 * @example
 * originRegex(parseOriginSpec('https://*.example.com').spec) // 'https://(?:[a-z0-9_-]+\.)+example\.com'
 */
export function originRegex(spec: ParsedOriginSpec): string {
  if (spec.kind === 'exact') return escapeRegex(spec.serialized);
  const host = spec.anySubdomain
    ? `(?:${LABEL}\\.)+${escapeRegex(spec.host)}`
    : escapeRegex(spec.host);
  let port = '';
  if (spec.port === '*') {
    const implicit = DEFAULT_PORTS[spec.scheme];
    // `http://localhost:*` allows the default port too, but only as browsers send it: left out.
    port = `(?::${implicit === undefined ? '' : `(?!${implicit}\\Z)`}${PORT_NUMBER})?`;
  } else if (spec.port !== null) port = `:${spec.port}`;
  return `${escapeRegex(spec.scheme)}://${host}${port}`;
}

/** `\A` + body + `\Z`: matches the whole string and nothing longer, under `re.match` or `fullmatch`. */
export function anchored(body: string): string {
  return `\\A${body}\\Z`;
}

/** Where a policy sits in the file, for warning paths: `''`, `default`, `policies.x`, `paths["/a"]`. */
export interface Placement {
  readonly where: string;
  readonly policy: CorsPolicy;
}

/** Joins a placement and an option into a warning path (`policies.partners.maxAge`). */
export function optionPath(where: string, option: string): string {
  return where === '' ? option : `${where}.${option}`;
}

/** Whether the file is one policy for every path (no names, no path table). */
export function isSinglePolicy(file: PolicyFile): boolean {
  return file.policies.size === 0 && file.paths.length === 0;
}

/** The policy a path rule chose, or null for `false`. */
export function ruleChoice(file: PolicyFile, rule: PathRule): CorsPolicy | null {
  const choice = rule.choice;
  if (choice.kind === 'inline') return choice.policy;
  if (choice.kind === 'none') return null;
  return file.policies.get(choice.name) ?? null;
}

/** Where a path rule's policy is written: the named policy, or the inline entry. */
function ruleWhere(rule: PathRule): string {
  return rule.choice.kind === 'named'
    ? `policies.${rule.choice.name}`
    : `paths[${JSON.stringify(rule.pattern)}]`;
}

/** The policies a request can end up with, each once, where the file writes it. */
export function placementsOf(file: PolicyFile): Placement[] {
  if (isSinglePolicy(file))
    return file.default === null ? [] : [{ where: '', policy: file.default }];
  const out: Placement[] = [];
  const seen = new Set<CorsPolicy>();
  const add = (where: string, policy: CorsPolicy | null) => {
    if (policy === null || seen.has(policy)) return;
    seen.add(policy);
    out.push({ where, policy });
  };
  for (const rule of file.paths) add(ruleWhere(rule), ruleChoice(file, rule));
  add('default', file.default);
  return out;
}

/**
 * Paths no browser sends and routers read differently: empty segments (`//`), dot segments (also
 * as `%2E%2E`, which the frameworks decode before matching) and backslashes. The path tables give
 * them no CORS (see `policy/routes/path.ts`), so neither does the generated configuration.
 */
const READABLE_PATH = '(?!.*//)(?!.*/\\.\\.?(?:/|\\Z))(?!.*\\\\)';

/** The body of a path pattern's regex, matched against the percent-decoded path. */
function patternBody(pattern: string): string {
  const compiled = compilePathPattern(pattern);
  // The file was parsed, so its patterns compiled once already.
  if (isPatternProblem(compiled)) throw new Error(`corsproof: invalid path pattern ${pattern}`);
  // The frameworks match the decoded path; literals are canonical (`caf%C3%A9`), so decode them.
  const segments = compiled.segments.map((s) =>
    s === null ? '[^/]+' : escapeRegex(decodeURIComponent(s)),
  );
  if (compiled.rest) return segments.length === 0 ? '/.*' : `/${segments.join('/')}(?:/.*)?`;
  return `/${segments.join('/')}`;
}

/** One region of the path space and the policy it gets. */
export interface PathRegion {
  /** The pattern as written, or null for the paths no pattern matches. */
  readonly pattern: string | null;
  /** Anchored regex for the decoded path (use with `re.match`). */
  readonly regex: string;
  readonly policy: CorsPolicy | null;
}

/**
 * The path table as regions that never overlap, so the order a library tries them in cannot
 * matter (Flask-CORS sorts its resources by slashes and length): each pattern's region leaves out
 * every path an earlier pattern matches in any way a router could read it (another letter case, a
 * trailing slash), where the table itself would refuse to choose; the last region is every readable
 * path no pattern matches, which gets the default.
 */
export function pathRegions(file: PolicyFile): PathRegion[] {
  const regions: PathRegion[] = [];
  const earlier: string[] = [];
  const excluding = () =>
    earlier.length === 0 ? '' : `(?!${earlier.map((b) => `(?ai:${b})/?\\Z`).join('|')})`;
  for (const rule of file.paths) {
    const body = patternBody(rule.pattern);
    regions.push({
      pattern: rule.pattern,
      regex: `\\A${READABLE_PATH}${excluding()}${body}\\Z`,
      policy: ruleChoice(file, rule),
    });
    earlier.push(body);
  }
  regions.push({ pattern: null, regex: `\\A${READABLE_PATH}${excluding()}`, policy: file.default });
  return regions;
}

/** The methods a preflight may ask for under a method list: GET, HEAD and POST always. */
export function listedMethods(methods: readonly string[]): string[] {
  return ['GET', 'HEAD', 'POST', ...methods.filter((m) => !['GET', 'HEAD', 'POST'].includes(m))];
}

/** What a library sends for `methods: '*'` when it cannot say "any": every method in common use. */
export const COMMON_METHODS: readonly string[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Builds warnings for one target with less repetition. */
export class Warnings {
  readonly list: GenerateWarning[] = [];
  add(code: string, path: string, message: string): void {
    this.list.push({ code, path, message });
  }
}

/**
 * The one policy of a file that a library without per-path configuration applies to every path.
 * Throws for a file with a path table: even one giving every pattern the same policy leaves paths
 * a router could read two ways without CORS, which such a library cannot do.
 */
export function uniformPolicy(file: PolicyFile, target: TargetName, library: string): Placement {
  if (file.paths.length > 0) {
    const placements = placementsOf(file);
    throw new GenerateError(
      target,
      'paths-not-expressible',
      'paths',
      `${library} applies one policy to every path, and this file's path table gives paths ${placements.length > 1 ? `different policies (${placements.map((p) => p.where).join(', ')})` : 'their own policy'} and leaves some without CORS`,
      'write one policy for every path (without "paths"), or serve the paths with different policies from separate applications, each generated from its own file',
    );
  }
  const first = placementsOf(file)[0];
  if (first === undefined) {
    throw new GenerateError(
      target,
      'no-policy',
      '',
      'the file allows CORS nowhere, so there is nothing to configure',
      'remove the CORS configuration from the application instead',
    );
  }
  return first;
}
