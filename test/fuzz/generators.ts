/**
 * What the random harnesses draw: policies from a small alphabet (so that entries and near-misses
 * collide often), the policy's meaning written from the README's words (not from corsproof's
 * code), and requests as browsers send them, near-misses, and now and then anything at all.
 */
import type { CorsOptions, CorsRequest } from 'corsproof';
import type { Credentials } from './fetch-oracle.js';
import type { Random } from './knobs.js';

// --- Policies: a small alphabet, so that entries and near-misses collide often. ----------------

export const EXACT = [
  'https://app.example',
  'https://a.test',
  'http://localhost:3000',
  'https://a.test:8443',
  'http://app.example',
];
export const PATTERNS = ['https://*.a.test', 'https://*.app.example'];
export const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'patch', 'PROPFIND'];
export const HEADER_NAMES = ['x-a', 'x-b', 'content-type', 'authorization', 'x-long-header-name'];

export interface Model {
  readonly origins: '*' | readonly string[];
  readonly credentials: boolean;
  readonly methods: '*' | readonly string[];
  readonly requestHeaders: '*' | readonly string[];
  readonly options: CorsOptions;
}

export function randomModel(r: Random): Model {
  const origins: Model['origins'] = r.bool(0.2)
    ? '*'
    : [...new Set([r.pick([...EXACT, ...PATTERNS]), ...r.subset([...EXACT, ...PATTERNS], 0.2)])];
  // Now and then the combination the standard forbids, to see it refused.
  const credentials = origins === '*' ? r.bool(0.1) : r.bool(0.5);
  const methods: Model['methods'] = r.bool(0.15) ? '*' : r.subset(METHODS, 0.4);
  const requestHeaders: Model['requestHeaders'] = r.bool(0.15) ? '*' : r.subset(HEADER_NAMES, 0.4);
  const options: CorsOptions = {
    origins: origins === '*' ? '*' : [...origins],
    credentials,
    methods: methods === '*' ? '*' : [...methods],
    requestHeaders: requestHeaders === '*' ? '*' : [...requestHeaders],
    ...(r.bool(0.3) ? { exposeHeaders: r.subset(['x-total', 'etag'], 0.5) } : {}),
    ...(r.bool(0.3) ? { maxAge: r.int(7200) } : {}),
    dangerouslyAllowInsecureOrigins: true,
  };
  return { origins, credentials, methods, requestHeaders, options };
}

/** The policy's meaning, from the README's words: exact origins, and `*.` for one or more labels. */
export function allows(model: Model, origin: string): boolean {
  if (model.origins === '*') return true;
  return model.origins.some((entry) => {
    if (!entry.includes('*')) return entry === origin;
    const [scheme, suffix] = entry.split('://*.') as [string, string];
    const prefix = `${scheme}://`;
    if (!origin.startsWith(prefix) || !origin.endsWith(`.${suffix}`)) return false;
    const labels = origin.slice(prefix.length, origin.length - suffix.length - 1);
    return labels.split('.').every((l) => /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(l));
  });
}

// --- Requests: what browsers send, near-misses, and now and then anything at all. -------------

export const ORIGINS = [
  ...EXACT,
  'https://b.a.test',
  'https://x.y.a.test',
  'https://www.app.example',
  'https://a.test.evil',
  'https://ba.test',
  'https://evil.example',
  'http://a.test',
  'https://a.test:9999',
  'null',
];
/** Strings a browser never sends as Origin. */
export const MALFORMED = [
  'HTTPS://APP.EXAMPLE',
  'https://app.example/',
  'https://app.example:443',
  '',
  ' ',
];

export interface BrowserRequest {
  readonly request: CorsRequest;
  /** Set when a browser could send it: its origin, credentials mode and preflight facts. */
  readonly browser: {
    readonly origin: string;
    readonly credentials: Credentials;
    readonly preflight: boolean;
    readonly method: string;
    readonly unsafeHeaderNames: readonly string[];
  } | null;
}

function randomString(r: Random): string {
  const alphabet = ['a', ',', ' ', '\t', '*', ':', '/', '.', '\u00e9', '\u2028', '\u0000', 'X'];
  let s = '';
  const n = r.int(24);
  for (let i = 0; i < n; i++) s += r.pick(alphabet);
  return s;
}

/** Half the time an origin the policy names (or one of its patterns covers), else any. */
function randomOrigin(r: Random, model: Model): string {
  if (model.origins === '*' || r.bool(0.5)) return r.pick(ORIGINS);
  const entry = r.pick(model.origins);
  return entry.replace('://*.', `://${r.pick(['w', 'a.b', 'x-1'])}.`);
}

export function randomRequest(r: Random, model: Model): BrowserRequest {
  const roll = r.next();
  if (roll < 0.05) {
    // Anything at all, in every field.
    return {
      request: {
        method: r.bool() ? randomString(r) : 'OPTIONS',
        origin: r.bool(0.8) ? randomString(r) : undefined,
        requestMethod: r.bool() ? randomString(r) : undefined,
        requestHeaders: r.bool() ? randomString(r) : undefined,
      },
      browser: null,
    };
  }
  if (roll < 0.12) {
    const method = r.pick(['GET', 'OPTIONS', 'PUT']);
    return {
      request: {
        method,
        origin: r.pick([...MALFORMED, undefined]),
        ...(method === 'OPTIONS' ? { requestMethod: r.pick(METHODS) } : {}),
      },
      browser: null,
    };
  }
  const origin = randomOrigin(r, model);
  const credentials: Credentials = r.pick(['omit', 'same-origin', 'include']);
  const method = r.pick(['GET', 'HEAD', 'POST', ...METHODS]);
  const names = [...new Set(r.subset(HEADER_NAMES, 0.25))].sort();
  // fetch.bs "CORS-preflight fetch": a preflight when the method or a header is not safelisted.
  const preflight = !['GET', 'HEAD', 'POST'].includes(method) || names.length > 0;
  if (!preflight) {
    return {
      request: { method, origin },
      browser: { origin, credentials, preflight, method, unsafeHeaderNames: [] },
    };
  }
  return {
    request: {
      method: 'OPTIONS',
      origin,
      requestMethod: method,
      ...(names.length > 0 ? { requestHeaders: names.join(',') } : {}),
    },
    browser: { origin, credentials, preflight, method, unsafeHeaderNames: names },
  };
}
