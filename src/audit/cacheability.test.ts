import type { HeaderEntry } from 'corsproof/spec';
import { describe, expect, it } from 'vitest';
import { parseCacheControl, type Reuse, sharedCacheability } from './cacheability.js';

const RECEIVED = Date.parse('Mon, 07 Dec 2026 12:00:00 GMT');
const DATE: HeaderEntry = ['Date', 'Mon, 07 Dec 2026 12:00:00 GMT'];
const CC = (v: string): HeaderEntry => ['Cache-Control', v];
const AUTH: HeaderEntry = ['Authorization', 'Bearer x'];

interface Row {
  readonly name: string;
  readonly status?: number;
  readonly request?: readonly HeaderEntry[];
  readonly response: readonly HeaderEntry[];
  readonly reuse: Reuse;
  readonly lifetime?: number | null;
  readonly across: boolean;
  /** A fragment of the reasons: the section the decision rests on. */
  readonly cites: string;
}

const TABLE: readonly Row[] = [
  {
    name: 'no-store keeps a response out of every cache (§5.2.2.5)',
    response: [CC('no-store')],
    reuse: 'not-stored',
    across: false,
    cites: '§5.2.2.5',
  },
  {
    name: 'private keeps a response out of shared caches (§5.2.2.7)',
    response: [CC('private, max-age=600')],
    reuse: 'not-stored',
    across: false,
    cites: '§5.2.2.7',
  },
  {
    name: 'private with field names only keeps those fields out (§5.2.2.7)',
    response: [CC('private="set-cookie", max-age=60')],
    reuse: 'explicit',
    lifetime: 60,
    across: true,
    cites: '§4.2.1',
  },
  {
    name: 'a request with Authorization is not stored without public, s-maxage or must-revalidate (§3.5)',
    request: [AUTH],
    response: [CC('max-age=600')],
    reuse: 'not-stored',
    across: false,
    cites: '§3.5',
  },
  {
    name: 'public lets a shared cache store a response to a request with Authorization (§3.5)',
    request: [AUTH],
    response: [CC('public, max-age=600')],
    reuse: 'explicit',
    lifetime: 600,
    across: true,
    cites: '§4.2.1',
  },
  {
    name: 'a 401 without explicit freshness is not stored: not heuristically cacheable (RFC 9110 §15.1)',
    status: 401,
    response: [],
    reuse: 'not-stored',
    across: false,
    cites: '§15.1',
  },
  {
    name: 'a 403 with max-age is stored: explicit freshness makes any final status cacheable (§3)',
    status: 403,
    response: [CC('max-age=60')],
    reuse: 'explicit',
    lifetime: 60,
    across: true,
    cites: '§4.2.1',
  },
  {
    name: 's-maxage wins over max-age for a shared cache (§4.2.1)',
    response: [CC('max-age=0, s-maxage=300')],
    reuse: 'explicit',
    lifetime: 300,
    across: true,
    cites: 's-maxage=300',
  },
  {
    name: 'max-age=0 is stale at once: every reuse is validated (§4.2.4)',
    response: [CC('max-age=0')],
    reuse: 'validate',
    across: false,
    cites: '§4.2.4',
  },
  {
    name: 'max-age=0 with stale-while-revalidate may still be served (RFC 5861)',
    response: [CC('max-age=0, stale-while-revalidate=30')],
    reuse: 'explicit',
    lifetime: 30,
    across: true,
    cites: 'stale-while-revalidate',
  },
  {
    name: 'no-cache stores but validates every reuse (§5.2.2.4)',
    response: [CC('no-cache')],
    reuse: 'validate',
    across: false,
    cites: '§5.2.2.4',
  },
  {
    name: 'Expires after Date gives explicit freshness (§4.2.1)',
    response: [DATE, ['Expires', 'Mon, 07 Dec 2026 13:00:00 GMT']],
    reuse: 'explicit',
    lifetime: 3600,
    across: true,
    cites: 'Expires',
  },
  {
    name: 'an invalid Expires ("0") means already expired (§5.3)',
    response: [DATE, ['Expires', '0']],
    reuse: 'validate',
    across: false,
    cites: '§4.2.4',
  },
  {
    name: 'Last-Modified gives a heuristic lifetime of a tenth of its age (§4.2.2)',
    response: [DATE, ['Last-Modified', 'Fri, 27 Nov 2026 12:00:00 GMT']],
    reuse: 'heuristic',
    lifetime: 86400,
    across: true,
    cites: '§4.2.2',
  },
  {
    name: 'a 200 without any freshness information is left to the cache heuristic (§4.2.2)',
    response: [],
    reuse: 'heuristic',
    lifetime: null,
    across: true,
    cites: '§4.2.2',
  },
  {
    name: 'Vary: Origin keeps a fresh response to requests with the same Origin (§4.1)',
    response: [CC('public, max-age=600'), ['Vary', 'Accept-Encoding, Origin']],
    reuse: 'explicit',
    lifetime: 600,
    across: false,
    cites: '§4.1',
  },
  {
    name: 'Vary: * never matches (§4.1)',
    response: [CC('max-age=600'), ['Vary', '*']],
    reuse: 'explicit',
    lifetime: 600,
    across: false,
    cites: 'Vary: *',
  },
  {
    name: 'Vary on other fields does not keep Origins apart (§4.1)',
    response: [CC('max-age=600'), ['Vary', 'Accept-Encoding']],
    reuse: 'explicit',
    lifetime: 600,
    across: true,
    cites: '§4.2.1',
  },
];

describe('sharedCacheability, as RFC 9111 has it', () => {
  for (const row of TABLE) {
    it(row.name, () => {
      const v = sharedCacheability({
        status: row.status ?? 200,
        requestHeaders: row.request ?? [],
        responseHeaders: row.response,
        receivedAt: RECEIVED,
      });
      expect(v.reuse).toBe(row.reuse);
      if (row.lifetime !== undefined) expect(v.lifetime).toBe(row.lifetime);
      expect(v.servedAcrossOrigins).toBe(row.across);
      expect(v.reasons.join(' ')).toContain(row.cites);
    });
  }
});

describe('parseCacheControl', () => {
  it('reads directive names case-insensitively and unquotes arguments', () => {
    const cc = parseCacheControl('Public, MAX-AGE="60", private="set-cookie, x"');
    expect([...cc.names]).toEqual(['public', 'max-age', 'private']);
    expect(cc.values.get('max-age')).toBe('60');
    expect(cc.values.get('private')).toBe('set-cookie, x');
  });

  it('takes an invalid max-age as stale (§4.2.1)', () => {
    const v = sharedCacheability({
      status: 200,
      requestHeaders: [],
      responseHeaders: [CC('max-age=soon')],
      receivedAt: RECEIVED,
    });
    expect(v.reuse).toBe('validate');
  });
});
