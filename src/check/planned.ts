/**
 * What a check works out from its request options alone (the options resolved, the request plan,
 * the warnings known before anything is sent, and the first hop's preflight and request), kept for
 * the next check with the same options. A monitor, a batch or a load test sends the same check
 * again and again; each then only sends, judges and builds its result.
 *
 * The kept values go into every such check's result, so they are frozen: a caller that changes
 * one result cannot change another's (as with the shared decisive-header lists).
 */
import type { FetchSite } from 'corsproof/spec';
import type { CheckOptions, ResolvedOptions } from './options.js';
import type { BrowserProfile } from './profiles.js';
import type { RequestPlan, SentRequest, Warning } from './result.js';

export interface Planned {
  /** The options as the first check with them resolved them (its run settings are not reused). */
  readonly resolved: ResolvedOptions;
  readonly profile: BrowserProfile;
  readonly plan: RequestPlan;
  /** The plan's warnings, for the pinned address they were worked out with. */
  warnings: { readonly address: string | null; readonly list: readonly Warning[] } | null;
  /** The first hop's facts, once a check has worked them out. */
  firstHop: FirstHop | null;
  /** The first hop's preflight and request, once a check has sent them. */
  firstPreflight: SentRequest | null;
  firstRequest: SentRequest | null;
}

/** What the first hop's requests carry, which depends on the page and the URL alone. */
export interface FirstHop {
  /** Whether the URL is potentially trustworthy. */
  readonly trustworthy: boolean;
  readonly site: FetchSite;
  readonly referrer: string | null;
}

/** Distinct option sets kept; past this, the oldest is forgotten. */
const CAPACITY = 256;

const PLANNED = new Map<string, Planned>();

/** The plan kept for these options, or undefined. */
export function plannedFor(key: string): Planned | undefined {
  return PLANNED.get(key);
}

/** Keeps a check's plan for the next check with the same options (`key`, from `planKey`). */
export function keepPlanned(
  key: string,
  resolved: ResolvedOptions,
  profile: BrowserProfile,
  plan: RequestPlan,
): Planned {
  if (PLANNED.size >= CAPACITY) {
    const oldest = PLANNED.keys().next();
    if (oldest.done !== true) PLANNED.delete(oldest.value);
  }
  const planned: Planned = {
    // Without the first check's signal, which the kept plan must not hold on to.
    resolved: resolved.signal === undefined ? resolved : { ...resolved, signal: undefined },
    profile,
    plan: deepFreeze(plan),
    warnings: null,
    firstHop: null,
    firstPreflight: null,
    firstRequest: null,
  };
  PLANNED.set(key, planned);
  return planned;
}

/** Forgets every kept plan (for tests). */
export function forgetPlanned(): void {
  PLANNED.clear();
}

/**
 * Everything the plan depends on, as one string, or null when the options cannot be keyed
 * cheaply and exactly (an emulation, headers given as a `Headers` or other iterable that may not
 * be read twice, a value that is not a string): such checks are planned afresh each time.
 * Each part is written as its length and itself, so no two option sets share a key.
 */
export function planKey(options: CheckOptions): string | null {
  if (options.emulate !== undefined) return null;
  const url = options.url;
  let key = part(typeof url === 'string' ? url : url instanceof URL ? url.href : null);
  if (key === '') return null;
  const parts = [
    options.origin,
    options.method,
    options.credentials,
    options.body,
    options.cookie,
    options.browser,
  ];
  for (const value of parts) {
    if (value === undefined || value === null) key += '~';
    else if (typeof value === 'string') key += part(value);
    else return null;
  }
  const headers = headersKey(options.headers);
  return headers === null ? null : key + headers;
}

function part(value: string | null): string {
  return value === null ? '' : `${value.length}:${value}`;
}

function headersKey(headers: CheckOptions['headers']): string | null {
  if (headers === undefined) return '~';
  if (Array.isArray(headers)) {
    let key = `[${headers.length}`;
    for (const entry of headers as readonly unknown[]) {
      if (!Array.isArray(entry) || entry.length !== 2) return null;
      const [name, value] = entry as unknown[];
      if (typeof name !== 'string' || typeof value !== 'string') return null;
      key += part(name) + part(value);
    }
    return key;
  }
  // A record (what headerPairs reads with Object.entries); any other iterable is not keyed.
  if (typeof headers !== 'object' || headers === null || Symbol.iterator in headers) return null;
  const record = headers as Readonly<Record<string, unknown>>;
  const names = Object.keys(record);
  let key = `{${names.length}`;
  for (const name of names) {
    const value = record[name];
    if (typeof value !== 'string') return null;
    key += part(name) + part(value);
  }
  return key;
}

/** Freezes `value` and everything it holds (plain objects and arrays). */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const inner of Object.values(value)) deepFreeze(inner);
  return value;
}
