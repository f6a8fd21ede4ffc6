/**
 * The headers `cors` 2.8 sets, computed as a list before anything touches the response: a setting
 * that `cors` fails on (`methods: undefined`) then fails before any header is set, as it does there.
 */
import { mergeVary } from '../../spec/vary.js';
import { allowOrigin } from './_allow-origin.js';
import type { Settings } from './_settings.js';

/**
 * Names as `cors` 2.8 writes them. Node ignores the case, but test doubles that keep headers in a
 * plain object do not, and a drop-in must satisfy their assertions too.
 */
const ALLOW_ORIGIN = 'Access-Control-Allow-Origin';
const ALLOW_CREDENTIALS = 'Access-Control-Allow-Credentials';
const ALLOW_METHODS = 'Access-Control-Allow-Methods';
const ALLOW_HEADERS = 'Access-Control-Allow-Headers';
const MAX_AGE = 'Access-Control-Max-Age';
const EXPOSE_HEADERS = 'Access-Control-Expose-Headers';
const VARY = 'Vary';
const VARY_ORIGIN = 'Origin';
const VARY_REQUEST_HEADERS = 'Access-Control-Request-Headers';

/** One change to the response: set a header, or add a field name to `Vary`. */
export type HeaderStep =
  | { readonly set: string; readonly value: string | readonly string[] }
  | { readonly vary: string };

/** The request values the headers depend on. */
export interface RequestFacts {
  readonly origin: string | undefined;
  /** `Access-Control-Request-Headers`, as the request object holds it. */
  readonly requestHeaders: string | readonly string[] | undefined;
}

/**
 * Steps for a request `cors` treats as a preflight (any OPTIONS), in `cors`' order: origin,
 * credentials, methods, allowed headers, max age, exposed headers.
 */
export function preflightSteps(
  settings: Settings,
  origin: unknown,
  facts: RequestFacts,
): HeaderStep[] {
  const steps: HeaderStep[] = [];
  pushOrigin(steps, origin, facts.origin);
  pushSet(steps, ALLOW_CREDENTIALS, settings.credentials === true ? 'true' : undefined);
  pushSet(steps, ALLOW_METHODS, methodsValue(settings.methods));
  pushAllowHeaders(steps, settings, facts.requestHeaders);
  pushSet(steps, MAX_AGE, maxAgeValue(settings.maxAge));
  pushSet(steps, EXPOSE_HEADERS, listValue(settings.exposedHeaders));
  return steps;
}

/** Steps for every other request: origin, credentials, exposed headers. */
export function actualSteps(
  settings: Settings,
  origin: unknown,
  facts: RequestFacts,
): HeaderStep[] {
  const steps: HeaderStep[] = [];
  pushOrigin(steps, origin, facts.origin);
  pushSet(steps, ALLOW_CREDENTIALS, settings.credentials === true ? 'true' : undefined);
  pushSet(steps, EXPOSE_HEADERS, listValue(settings.exposedHeaders));
  return steps;
}

/** The part of a response the steps need. */
export interface HeaderTarget {
  setHeader(name: string, value: string | readonly string[]): unknown;
  getHeader(name: string): unknown;
}

/** Carries the steps out in order. `Vary` is merged with what the response already has. */
export function applySteps(steps: readonly HeaderStep[], res: HeaderTarget): void {
  for (const step of steps) {
    if ('vary' in step)
      res.setHeader(VARY, mergeVary(existingVary(res.getHeader(VARY)), step.vary));
    else res.setHeader(step.set, step.value);
  }
}

function pushOrigin(
  steps: HeaderStep[],
  setting: unknown,
  requestOrigin: string | undefined,
): void {
  const decided = allowOrigin(setting, requestOrigin);
  pushSet(steps, ALLOW_ORIGIN, decided.value);
  if (decided.varyOnOrigin) steps.push({ vary: VARY_ORIGIN });
}

/** An empty or missing value sends nothing, as in `cors`, which skips falsy header values. */
function pushSet(
  steps: HeaderStep[],
  name: string,
  value: string | readonly string[] | undefined,
): void {
  if (value !== undefined && value.length > 0) steps.push({ set: name, value });
}

/**
 * Allowed headers: the configured list, or (when `allowedHeaders` and `headers` are both unset or
 * empty strings) the request's own `Access-Control-Request-Headers`, echoed unchecked and verbatim.
 * corsproof's engine would parse and filter that list; cors 2.8 does not, so neither does this.
 */
function pushAllowHeaders(
  steps: HeaderStep[],
  settings: Settings,
  requested: string | readonly string[] | undefined,
): void {
  const configured = settings.allowedHeaders || settings.headers;
  if (configured) {
    pushSet(steps, ALLOW_HEADERS, listValue(configured));
    return;
  }
  steps.push({ vary: VARY_REQUEST_HEADERS });
  pushSet(steps, ALLOW_HEADERS, requested);
}

/**
 * A list option (`allowedHeaders`, `exposedHeaders`): arrays are joined with a bare comma, strings
 * pass unchanged, and other values (which have no length in cors 2.8's eyes) send nothing.
 */
function listValue(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'string') return value;
  return undefined;
}

/**
 * `methods` is read unconditionally on preflights, so cors 2.8 throws a TypeError when it is null
 * or undefined. The same failure, with a message that names the option, keeps the status (a 500 in
 * Express) and tells the developer what to fix.
 */
function methodsValue(methods: unknown): string | undefined {
  if (methods === undefined || methods === null) {
    throw new TypeError(
      `corsproof/compat: option "methods" is ${String(methods)}; give a list such as ["GET", "POST"] or leave the property out for the default (cors 2.8 also fails here)`,
    );
  }
  if (Array.isArray(methods)) return methods.join(',');
  return methods ? String(methods) : undefined;
}

/**
 * Any number is sent in its JavaScript spelling (`0` stays `0`), as is any other truthy value
 * (a string from an environment variable, say); other falsy values send nothing.
 */
function maxAgeValue(maxAge: unknown): string | undefined {
  return typeof maxAge === 'number' || maxAge ? String(maxAge) : undefined;
}

/** The response's current `Vary`, read the way the `vary` package that cors 2.8 uses reads it. */
function existingVary(current: unknown): string | undefined {
  if (!current) return undefined;
  return Array.isArray(current) ? current.join(', ') : String(current);
}
