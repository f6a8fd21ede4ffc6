import type { Decision } from 'corsproof';
import { type PolicyFile, parsePolicyFile } from 'corsproof';
import { describe, expect, it } from 'vitest';
import { policies } from '../../test/servers/policies.js';
import { NO_POLICY, type Plan, planFile, READABLE_PATH, UNREADABLE_TARGET } from './_plan.js';
import { HAS_TOKEN, MAX_REQUEST_HEADERS_LENGTH } from './_regex.js';

const compiled = new Map<string, RegExp>();

/** Our regexes put `(?i)` only right after `^`; JavaScript spells that as a flag. */
function regex(source: string): RegExp {
  let re = compiled.get(source);
  if (re === undefined) {
    re = source.startsWith('^(?i)') ? new RegExp(`^${source.slice(5)}`, 'i') : new RegExp(source);
    compiled.set(source, re);
  }
  return re;
}

interface Request {
  readonly method: string;
  readonly path: string;
  readonly origin?: string;
  readonly acrm?: string;
  readonly acrh?: string;
  readonly acrpn?: string;
}

/** What a response carries, CORS-wise: status when the CORS layer answers, headers, Vary. */
interface Answer {
  readonly status: number | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly vary: string | null;
}

/** A server carrying out the plan, as each target renders it. */
function simulate(plan: Plan, r: Request): Answer {
  let id = plan.fallback ?? NO_POLICY;
  if (plan.routes.length > 0) {
    const path = r.path.split('?')[0] as string;
    const route = plan.routes.find((x) => regex(x.path).test(path));
    if (route !== undefined) id = route.policy ?? NO_POLICY;
    if (!regex(READABLE_PATH).test(path)) id = NO_POLICY;
  }
  const p = plan.policies.find((x) => x.id === id);
  if (p === undefined) return { status: null, headers: {}, vary: null };
  const origin = r.origin;
  const allowed =
    origin !== undefined &&
    (p.origin.any ||
      (regex(p.origin.allow).test(origin) &&
        (p.origin.maxLength === null || origin.length <= p.origin.maxLength)));
  const preflight = r.method === 'OPTIONS' && origin !== undefined && r.acrm !== undefined;
  const vary = r.method === 'OPTIONS' ? p.preflightVary : p.origin.any ? null : 'Origin';
  if (preflight) {
    const acrm = r.acrm as string;
    const methodOk =
      regex(p.methods.allow).test(acrm) &&
      (p.methods.deny === null || !regex(p.methods.deny).test(acrm));
    const headersOk =
      r.acrh === undefined ||
      (regex(p.requestHeaders).test(r.acrh) && r.acrh.length <= MAX_REQUEST_HEADERS_LENGTH);
    if (!(allowed && methodOk && headersOk)) return { status: 403, headers: {}, vary };
    const headers: Record<string, string> = {
      'access-control-allow-origin': p.origin.any ? '*' : (origin as string),
      'access-control-allow-methods': acrm,
    };
    if (p.credentials) headers['access-control-allow-credentials'] = 'true';
    if (r.acrh !== undefined && regex(HAS_TOKEN).test(r.acrh)) {
      headers['access-control-allow-headers'] = r.acrh;
    }
    if (p.maxAge !== null) headers['access-control-max-age'] = String(p.maxAge);
    if (p.privateNetwork && r.acrpn === 'true') {
      headers['access-control-allow-private-network'] = 'true';
    }
    return { status: p.preflightStatus, headers, vary };
  }
  const headers: Record<string, string> = {};
  if (p.origin.any || allowed) {
    headers['access-control-allow-origin'] = p.origin.any ? '*' : (origin as string);
    if (p.credentials) headers['access-control-allow-credentials'] = 'true';
    if (p.exposeHeaders !== null) headers['access-control-expose-headers'] = p.exposeHeaders;
  }
  return { status: null, headers, vary };
}

/** What the engine decides, in the same terms. */
function engine(file: PolicyFile, r: Request): Answer {
  const policy = file.policyFor(r.path);
  if (policy === null) return { status: null, headers: {}, vary: null };
  const d = policy.decide({
    method: r.method,
    origin: r.origin,
    requestMethod: r.acrm,
    requestHeaders: r.acrh,
    requestPrivateNetwork: r.acrpn,
  }) as Decision;
  const headers = Object.fromEntries(d.headers.map(([k, v]) => [k.toLowerCase(), v]));
  // The engine lists requested headers lower-cased and de-duplicated; servers echo the value as
  // the browser sent it (already so), which browsers read alike.
  if (headers['access-control-allow-headers'] !== undefined) {
    headers['access-control-allow-headers'] = r.acrh as string;
  }
  const status =
    d.kind === 'preflight-accepted' || d.kind === 'preflight-refused' ? d.status : null;
  return { status, headers, vary: d.vary };
}

function originsOf(file: PolicyFile): string[] {
  const out = new Set<string>();
  const all = [file.default, ...file.policies.values()];
  for (const rule of file.paths) if (rule.choice.kind === 'inline') all.push(rule.choice.policy);
  for (const policy of all) {
    const origins = policy?.toJSON().origins;
    if (!Array.isArray(origins)) continue;
    for (const o of origins) {
      const base = o.replace('*.', 'a.').replace(':*', '');
      const [scheme, host] = base.split('://') as [string, string];
      out.add(base);
      out.add(`${base}.evil.com`);
      out.add(`${scheme}://evil${host}`);
      out.add(`${scheme}://x.y.${host}`);
      out.add(`${scheme}://${host.replace(/^a\./, '')}`);
      out.add(`${base}:8443`);
      out.add(`${base}:80`);
      out.add(`${base}:443`);
      out.add(`${base}:65536`);
      out.add(`${base}:0`);
      out.add(`${base}:080`);
      out.add(`${base}.`);
      out.add(base.toUpperCase());
      out.add(`${scheme === 'https' ? 'http' : 'https'}://${host}`);
      out.add(`${scheme}://${'a'.repeat(500)}.${host}`);
      out.add(`${scheme}://xn--abc.${host}`);
      out.add(`${scheme}://a_b-.${host}`);
      out.add(`${scheme}://a..${host}`);
      out.add(`${scheme}://.${host}`);
    }
  }
  return [...out, 'null', 'https://evil.com', 'https://app.example.com.evil.com', ''];
}

const PATHS = [
  '/',
  '/x',
  '/api',
  '/api/',
  '/api/x',
  '/API/x',
  '/api/x/',
  '/api/x?q=/admin',
  '/apiary',
  '/public/a',
  '/public/../admin/a',
  '/admin/a',
  '/Admin/a',
  '/orders',
  '/orders/',
  '/orders/5',
  '/orders/5/',
  '/orders/5/items',
  '/health',
  '/health/',
  '/Health',
  '/partners/x',
  '/internal/a',
  '/legacy/x',
  '//api/x',
  '/api/%78',
  '/api%2Fx',
];

const PREFLIGHTS: Omit<Request, 'path' | 'origin'>[] = [
  { method: 'GET' },
  { method: 'POST' },
  { method: 'DELETE' },
  { method: 'OPTIONS' },
  { method: 'OPTIONS', acrm: 'GET' },
  { method: 'OPTIONS', acrm: 'PUT' },
  { method: 'OPTIONS', acrm: 'PATCH' },
  { method: 'OPTIONS', acrm: 'patch' },
  { method: 'OPTIONS', acrm: 'DELETE' },
  { method: 'OPTIONS', acrm: 'CONNECT' },
  { method: 'OPTIONS', acrm: 'trace' },
  { method: 'OPTIONS', acrm: 'BAD METHOD' },
  { method: 'OPTIONS', acrm: 'PUT', acrh: 'content-type' },
  { method: 'OPTIONS', acrm: 'PUT', acrh: 'Content-Type, Authorization' },
  { method: 'OPTIONS', acrm: 'PUT', acrh: 'content-type,x-request-id,authorization' },
  { method: 'OPTIONS', acrm: 'PUT', acrh: 'x-csrf-token' },
  { method: 'OPTIONS', acrm: 'PUT', acrh: 'content-type x-request-id' },
  { method: 'OPTIONS', acrm: 'PUT', acrh: ' , ,' },
  { method: 'OPTIONS', acrm: 'PUT', acrh: 'x-unknown' },
  { method: 'OPTIONS', acrm: 'DELETE', acrpn: 'true' },
  { method: 'OPTIONS', acrm: 'PUT', acrh: `content-type${', content-type'.repeat(127)}` },
  { method: 'OPTIONS', acrm: 'PUT', acrh: `content-type${', content-type'.repeat(128)}` },
  { method: 'OPTIONS', acrm: 'PUT', acrh: `content-type,${' '.repeat(8200)}content-type` },
  { method: 'OPTIONS', acrm: 'POST', acrpn: 'true', acrh: 'content-type' },
];

/** Differences the plan warns about: the server gives no CORS where the engine might. */
function warnedDifference(r: Request, plan: Plan): boolean {
  const codes = plan.warnings.map((w) => w.code);
  if (codes.includes('escaped-paths-refused') && /%/.test(r.path.split('?')[0] as string)) {
    return true;
  }
  return codes.includes('punycode-subdomains-refused') && /:\/\/(?:.*\.)?xn--/.test(r.origin ?? '');
}

describe('planFile', () => {
  for (const { name, file: document } of policies) {
    it(`answers every request as the engine does: ${name}`, () => {
      const file = parsePolicyFile(document);
      const plan = planFile('nginx', file);
      let compared = 0;
      for (const path of PATHS) {
        for (const origin of [undefined, ...originsOf(file)]) {
          for (const shape of PREFLIGHTS) {
            const r: Request = { ...shape, path, ...(origin === undefined ? {} : { origin }) };
            const server = simulate(plan, r);
            const expected = engine(file, r);
            if (warnedDifference(r, plan)) {
              // Stricter only: never a header the engine would not send.
              for (const [k, v] of Object.entries(server.headers)) {
                expect(expected.headers[k], `${k} on ${JSON.stringify(r)}`).toBe(v);
              }
              continue;
            }
            // Compared as JSON first: expect() on every one of ~40,000 requests is slow.
            if (JSON.stringify(server) !== JSON.stringify(expected)) {
              expect(server, JSON.stringify(r)).toEqual(expected);
            }
            compared++;
          }
        }
      }
      expect(compared).toBeGreaterThan(1000);
    });
  }

  it('reads exactly the paths READABLE_PATH reads as unreadable targets for RE2', () => {
    const targets = [...PATHS, '/a/./b', '/a/..', '/.x', '/..x/y', '/a//', '/a b', '/é', '/a|b'];
    for (const target of [...targets, ...targets.map((t) => `${t}?x=/../%zz`)]) {
      const path = target.split('?')[0] as string;
      expect(regex(UNREADABLE_TARGET).test(target), target).toBe(!regex(READABLE_PATH).test(path));
    }
  });

  it('reuses a named policy for every path that names it and skips unused ones', () => {
    const plan = planFile(
      'nginx',
      parsePolicyFile({
        policies: { shared: { origins: ['https://a.example'] }, unused: { origins: '*' } },
        paths: { '/a/*': 'shared', '/b/*': 'shared' },
      }),
    );
    expect(plan.policies.map((p) => p.id)).toEqual(['shared']);
    expect(plan.routes.filter((r) => r.policy === 'shared')).toHaveLength(2);
  });

  it('never names a policy "none", the id of no CORS', () => {
    const plan = planFile(
      'nginx',
      parsePolicyFile({ policies: { none: { origins: '*' } }, paths: { '/n/*': 'none' } }),
    );
    expect(plan.policies.map((p) => p.id)).toEqual(['none_2']);
  });

  it('warns that debug mode refuses preflights without partial headers', () => {
    const plan = planFile(
      'nginx',
      parsePolicyFile({ origins: ['https://a.example'], debug: true }),
    );
    expect(plan.warnings.map((w) => [w.code, w.path])).toEqual([
      ['debug-not-supported', 'default.debug'],
    ]);
  });
});
