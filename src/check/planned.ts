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
  /** The request options it was made from, to tell which checks it serves. */
  readonly given: GivenOptions;
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
  /** The gate (port blocking, mixed content) its request fails, or null. */
  readonly gate: 'UnsafePort' | 'MixedContent' | null;
  /** Whether the URL is potentially trustworthy. */
  readonly trustworthy: boolean;
  readonly site: FetchSite;
  readonly referrer: string | null;
}

/** Option sets kept in all; past this, those of the URL kept longest ago are forgotten. */
const CAPACITY = 256;
/** Option sets kept per URL; past this, the URL's oldest is forgotten. */
const PER_URL = 16;

/**
 * The plans kept, by URL as given. A check finds its own by comparing its options with those a
 * kept plan was made from, value by value: no key to build, and the URL string, given the same
 * each time, is hashed once.
 */
const PLANNED = new Map<string, Planned[]>();
let kept = 0;

/**
 * URLs checked once and not yet planned for. Most checks of a batch are the only check of their
 * URL: a plan kept for them is never used, and keeping it (freezing it, holding it until it is old
 * enough for the collector to copy it out of the young generation) made such checks three times
 * slower. So a plan is kept at a URL's second check only; the first costs one lookup here. Emptied
 * when full: a URL seen once long ago is as good as new.
 */
const SEEN_ONCE = new Set<string>();
const SEEN_ONCE_CAPACITY = 1024;

/** The request options a plan was made from, as given (headers as a flat name, value list). */
interface GivenOptions {
  readonly origin: string | undefined;
  readonly method: string | undefined;
  readonly credentials: string | undefined;
  readonly body: string | null | undefined;
  readonly cookie: string | undefined;
  readonly browser: string | undefined;
  readonly headers: readonly string[];
}

/** The plan kept for checks with these options, or undefined. */
export function plannedFor(options: CheckOptions): Planned | undefined {
  const url = options.emulate === undefined ? urlOf(options) : null;
  const bucket = url === null ? undefined : PLANNED.get(url);
  if (bucket === undefined) return undefined;
  for (const planned of bucket) if (sameOptions(planned.given, options)) return planned;
  return undefined;
}

/**
 * Keeps a check's plan for the next checks with the same request options. Null (nothing kept)
 * when the options cannot be compared exactly and cheaply: an emulation, headers given as a
 * `Headers` or another iterable that may not be read twice, a value that is not a string.
 */
export function keepPlanned(
  options: CheckOptions,
  resolved: ResolvedOptions,
  profile: BrowserProfile,
  plan: RequestPlan,
): Planned | null {
  const url = options.emulate === undefined ? urlOf(options) : null;
  if (url === null || firstSighting(url)) return null;
  const given = givenOptions(options);
  if (given === null) return null;
  const planned: Planned = {
    given,
    // Without the first check's signal, which the kept plan must not hold on to.
    resolved: resolved.signal === undefined ? resolved : { ...resolved, signal: undefined },
    profile,
    plan: deepFreeze(plan),
    warnings: null,
    firstHop: null,
    firstPreflight: null,
    firstRequest: null,
  };
  if (kept >= CAPACITY) forgetOldestUrl();
  const bucket = PLANNED.get(url);
  if (bucket === undefined) {
    PLANNED.set(url, [planned]);
  } else {
    if (bucket.length >= PER_URL) {
      bucket.shift();
      kept--;
    }
    bucket.push(planned);
  }
  kept++;
  return planned;
}

/** Whether `url` is seen for the first time lately (and is then remembered as seen). */
function firstSighting(url: string): boolean {
  if (PLANNED.has(url) || SEEN_ONCE.delete(url)) return false;
  if (SEEN_ONCE.size >= SEEN_ONCE_CAPACITY) SEEN_ONCE.clear();
  SEEN_ONCE.add(url);
  return true;
}

function forgetOldestUrl(): void {
  const oldest = PLANNED.entries().next();
  if (oldest.done === true) return;
  PLANNED.delete(oldest.value[0]);
  kept -= oldest.value[1].length;
}

/** Forgets every kept plan (for tests). */
export function forgetPlanned(): void {
  PLANNED.clear();
  SEEN_ONCE.clear();
  kept = 0;
}

function urlOf(options: CheckOptions): string | null {
  const url = options.url;
  return typeof url === 'string' ? url : url instanceof URL ? url.href : null;
}

function givenOptions(options: CheckOptions): GivenOptions | null {
  const { origin, method, credentials, body, cookie, browser } = options;
  const scalars: unknown[] = [origin, method, credentials, cookie, browser];
  for (const value of scalars) if (value !== undefined && typeof value !== 'string') return null;
  if (body !== undefined && body !== null && typeof body !== 'string') return null;
  const headers = flatHeaders(options.headers);
  if (headers === null) return null;
  return { origin, method, credentials, body, cookie, browser, headers };
}

function sameOptions(given: GivenOptions, options: CheckOptions): boolean {
  return (
    given.origin === options.origin &&
    given.method === options.method &&
    given.credentials === options.credentials &&
    given.body === options.body &&
    given.cookie === options.cookie &&
    given.browser === options.browser &&
    sameHeaders(given.headers, options.headers)
  );
}

/** The headers as a flat list of strings, or null when they are not a record or list of strings. */
function flatHeaders(headers: CheckOptions['headers']): string[] | null {
  const flat: string[] = [];
  if (headers === undefined) return flat;
  if (Array.isArray(headers)) {
    for (const entry of headers as readonly unknown[]) {
      if (!Array.isArray(entry) || entry.length !== 2) return null;
      const [name, value] = entry as unknown[];
      if (typeof name !== 'string' || typeof value !== 'string') return null;
      flat.push(name, value);
    }
    return flat;
  }
  const record = recordOf(headers);
  if (record === null) return null;
  for (const name of Object.keys(record)) {
    const value = record[name];
    if (typeof value !== 'string') return null;
    flat.push(name, value);
  }
  return flat;
}

/** Whether `headers` are the flat list `flat`, in the same order. */
function sameHeaders(flat: readonly string[], headers: CheckOptions['headers']): boolean {
  if (headers === undefined) return flat.length === 0;
  if (Array.isArray(headers)) {
    if (headers.length * 2 !== flat.length) return false;
    for (let i = 0; i < headers.length; i++) {
      const entry = headers[i] as unknown;
      if (!Array.isArray(entry) || entry.length !== 2) return false;
      if (entry[0] !== flat[2 * i] || entry[1] !== flat[2 * i + 1]) return false;
    }
    return true;
  }
  const record = recordOf(headers);
  if (record === null) return false;
  const names = Object.keys(record);
  if (names.length * 2 !== flat.length) return false;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (name !== flat[2 * i] || record[name] !== flat[2 * i + 1]) return false;
  }
  return true;
}

/** The headers as a record (what the options read with Object.entries), or null for an iterable. */
function recordOf(headers: CheckOptions['headers']): Readonly<Record<string, unknown>> | null {
  if (typeof headers !== 'object' || headers === null || Symbol.iterator in headers) return null;
  return headers as Readonly<Record<string, unknown>>;
}

/** Freezes `value` and everything it holds (plain objects and arrays). */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const inner of Object.values(value)) deepFreeze(inner);
  return value;
}
