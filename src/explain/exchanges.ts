/**
 * From HAR entries to cross-origin exchanges: which requests were cross-origin (and from which
 * page), which OPTIONS entry was each one's preflight, and whether the request carried credentials.
 */
import type { HarEntry, HarFile } from './har.js';
import { headerValue } from './har.js';

/** A cross-origin request of the recording, with its preflight when one was recorded. */
export interface CrossOriginRequest {
  readonly entry: HarEntry;
  readonly pageOrigin: string;
  readonly preflight: HarEntry | null;
  readonly credentials: CredentialsEvidence;
}

/** Whether the request was sent with credentials, and what says so. */
export interface CredentialsEvidence {
  readonly include: boolean;
  /**
   * What shows it: the request's Cookie header, its `Sec-Fetch-Storage-Access` header (sent by
   * Chromium 156 and Firefox 153 on credentialed cross-site requests only, measured), or nothing.
   */
  readonly evidence: 'cookie' | 'sec-fetch-storage-access' | null;
}

/**
 * How far apart a request and its preflight may be recorded. Browsers record the request first
 * and its preflight a few milliseconds later (Chromium and Firefox alike, measured); a page that
 * waits long between the two does not exist, since the preflight is part of the same fetch.
 */
const PREFLIGHT_WINDOW_MS = 5_000;

function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

/** Whether the entry is a preflight: the browser marks it so, or OPTIONS asking for a method. */
export function isPreflight(entry: HarEntry): boolean {
  if (entry.initiator === 'preflight') return true;
  return (
    entry.method === 'OPTIONS' &&
    headerValue(entry.requestHeaders, 'access-control-request-method') !== null
  );
}

/**
 * The page's origin: the request's Origin header, else its Referer's origin, else the origin of
 * its page in the HAR's `pages`. Null when none says (then the entry cannot be judged).
 */
function pageOriginOf(entry: HarEntry, har: HarFile, preflight: HarEntry | null): string | null {
  const origin =
    headerValue(entry.requestHeaders, 'origin') ??
    (preflight === null ? null : headerValue(preflight.requestHeaders, 'origin'));
  if (origin !== null && origin !== 'null') return origin;
  const referer = headerValue(entry.requestHeaders, 'referer');
  if (referer !== null) return originOf(referer);
  const page = entry.pageref === null ? undefined : har.pages.get(entry.pageref);
  return page === undefined ? null : originOf(page);
}

function credentialsOf(entry: HarEntry, preflight: HarEntry | null): CredentialsEvidence {
  if (headerValue(entry.requestHeaders, 'cookie') !== null) {
    return { include: true, evidence: 'cookie' };
  }
  // https://privacycg.github.io/storage-access-headers/: only on credentialed cross-site requests.
  const storageAccess = (e: HarEntry) =>
    headerValue(e.requestHeaders, 'sec-fetch-storage-access') !== null;
  if (storageAccess(entry) || (preflight !== null && storageAccess(preflight))) {
    return { include: true, evidence: 'sec-fetch-storage-access' };
  }
  return { include: false, evidence: null };
}

/** The recorded preflight of `entry`: OPTIONS to the same URL asking for its method, nearest in time. */
function preflightOf(
  entry: HarEntry,
  preflights: readonly HarEntry[],
  used: Set<HarEntry>,
): HarEntry | null {
  let best: HarEntry | null = null;
  let bestGap = Number.POSITIVE_INFINITY;
  for (const candidate of preflights) {
    if (used.has(candidate) || candidate.url !== entry.url) continue;
    const asked = headerValue(candidate.requestHeaders, 'access-control-request-method');
    if (asked !== null && asked !== entry.method) continue;
    const gap = Math.abs(candidate.started - entry.started);
    const close = Number.isNaN(gap) || gap <= PREFLIGHT_WINDOW_MS;
    if (close && (Number.isNaN(gap) ? bestGap === Number.POSITIVE_INFINITY : gap < bestGap)) {
      best = candidate;
      bestGap = Number.isNaN(gap) ? bestGap : gap;
    }
  }
  if (best !== null) used.add(best);
  return best;
}

/**
 * Whether the request was made in CORS mode (fetch() or XMLHttpRequest, not an image or a script
 * tag): its Sec-Fetch-Mode says so, or, when the recording kept only provisional headers, it had
 * a preflight, an Origin header or DevTools' fetch/xhr resource type.
 */
function isCorsRequest(entry: HarEntry, preflight: HarEntry | null): boolean {
  const mode = headerValue(entry.requestHeaders, 'sec-fetch-mode');
  if (mode !== null) return mode === 'cors';
  return (
    preflight !== null ||
    headerValue(entry.requestHeaders, 'origin') !== null ||
    entry.resourceType === 'fetch' ||
    entry.resourceType === 'xhr'
  );
}

/** Every cross-origin request of the recording, in the file's order, each with its preflight. */
export function crossOriginRequests(har: HarFile): {
  readonly requests: readonly CrossOriginRequest[];
  /** Entries that look cross-origin but name no page origin anywhere. */
  readonly unattributed: readonly HarEntry[];
} {
  const preflights = har.entries.filter(isPreflight);
  const used = new Set<HarEntry>();
  const requests: CrossOriginRequest[] = [];
  const unattributed: HarEntry[] = [];
  for (const entry of har.entries) {
    if (isPreflight(entry)) continue;
    const target = originOf(entry.url);
    if (target === null) continue;
    const preflight = preflightOf(entry, preflights, used);
    const pageOrigin = pageOriginOf(entry, har, preflight);
    if (pageOrigin === null) {
      if (preflight !== null) unattributed.push(entry);
      continue;
    }
    if (pageOrigin === target || !isCorsRequest(entry, preflight)) {
      if (preflight !== null) used.delete(preflight);
      continue;
    }
    requests.push({ entry, pageOrigin, preflight, credentials: credentialsOf(entry, preflight) });
  }
  return { requests, unattributed };
}
