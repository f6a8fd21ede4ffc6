/**
 * Who may call what: every route of the route table against every scope, no token, a revoked token
 * and a malformed one. The table is `API_ROUTES` itself, so a new route is tested the day it is
 * added; the expected grants are written out here, apart from `auth/scopes.ts`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/service/auth/api-token.js';
import type { RouteSpec } from '../../src/service/http/route-spec.js';
import { ROUTE_ACCESS } from '../../src/service/routes/access.js';
import { API_ROUTES } from '../../src/service/routes/api.js';
import { createIdFactory } from '../../src/service/store/ids.js';
import type { TokenScope } from '../../src/service/store/index.js';
import { checkBody, createTestService, type TestService } from './helpers.js';

let service: TestService | undefined;

afterEach(async () => {
  await service?.close();
  service = undefined;
});

/** What each scope may reach, written out (not derived from the code under test). */
const MAY: Readonly<Record<TokenScope, readonly string[]>> = {
  read: ['read'],
  run: ['read', 'run'],
  monitors: ['read', 'monitors'],
  metrics: ['metrics'],
  admin: ['read', 'run', 'monitors', 'metrics', 'admin'],
};
const SCOPES = Object.keys(MAY) as TokenScope[];

type RouteKey = keyof typeof API_ROUTES;
const ROUTES = Object.entries(API_ROUTES) as [RouteKey, RouteSpec][];

async function setup(): Promise<{ s: TestService; tokens: Record<TokenScope, string> }> {
  const s = await createTestService({ auth: 'tokens' });
  service = s;
  const tokens = {} as Record<TokenScope, string>;
  const newId = createIdFactory(() => 0);
  for (const scope of SCOPES) {
    const issued = await issueToken(s.store.tokens, newId, 0, {
      name: `${scope}-holder`,
      scope,
      createdBy: null,
    });
    tokens[scope] = issued.token;
  }
  return { s, tokens };
}

function call(s: TestService, spec: RouteSpec, token?: string) {
  return s.app.inject({
    method: spec.method,
    url: spec.url.replace(':id', 'nonexistent'),
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    ...(spec.method === 'POST' || spec.method === 'PATCH' ? { payload: {} } : {}),
  });
}

describe('access to the API', () => {
  it('gives every route of the table an access rule, and registers every one', async () => {
    const { s } = await setup();
    for (const [key, spec] of ROUTES) {
      expect(ROUTE_ACCESS[key], key).toBeDefined();
      expect(s.app.hasRoute({ method: spec.method, url: spec.url }), spec.url).toBe(true);
    }
  });

  it('answers 401 without a token on every route but the public ones', async () => {
    const { s } = await setup();
    for (const [key, spec] of ROUTES) {
      const res = await call(s, spec);
      if (ROUTE_ACCESS[key] === 'public') expect(res.statusCode, key).not.toBe(401);
      else {
        expect(res.statusCode, key).toBe(401);
        expect(res.headers['www-authenticate'], key).toBe('Bearer');
        expect(res.json().error, key).toBe('unauthorized');
      }
    }
  });

  it('lets each scope through exactly the routes it grants, and answers 403 elsewhere', async () => {
    const { s, tokens } = await setup();
    for (const [key, spec] of ROUTES) {
      const access = ROUTE_ACCESS[key];
      for (const scope of SCOPES) {
        const res = await call(s, spec, tokens[scope]);
        const allowed =
          access === 'public' || access === 'signed-in' || MAY[scope].includes(access);
        const what = `${key} as ${scope}`;
        if (allowed) expect([401, 403], what).not.toContain(res.statusCode);
        else {
          expect(res.statusCode, what).toBe(403);
          expect(res.json().message, what).toContain(`"${access}" scope`);
        }
      }
    }
  });

  it('answers 401 to a revoked token and to a malformed one on every protected route', async () => {
    const { s, tokens } = await setup();
    const admin = (await s.store.tokens.list()).find((t) => t.scope === 'admin');
    await s.store.tokens.revoke(admin?.id ?? '', 1);
    const tampered = `${tokens.read.slice(0, -2)}xx`;
    for (const [key, spec] of ROUTES) {
      if (ROUTE_ACCESS[key] === 'public') continue;
      for (const token of [tokens.admin, tampered, 'not-a-token']) {
        const res = await call(s, spec, token);
        expect(res.statusCode, `${key} with ${token.slice(0, 8)}`).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
      }
    }
  });
});

describe('tokens', () => {
  it('shows a token once, stores only its hash, and stops it when revoked', async () => {
    const { s, tokens } = await setup();
    const admin = { authorization: `Bearer ${tokens.admin}` };
    const made = await s.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: admin,
      payload: { name: 'ci', scope: 'run' },
    });
    expect(made.statusCode).toBe(201);
    const { id, token, createdBy } = made.json();
    expect(token).toMatch(/^cpt_[0-9A-Z]{26}_[A-Za-z0-9_-]{43}$/);
    expect(createdBy).toBe('admin-holder');
    const row = s.store.db.prepare('SELECT * FROM api_tokens WHERE id = ?').get(id);
    expect(JSON.stringify(row)).not.toContain(token.slice(31));

    const listed = await s.app.inject({ method: 'GET', url: '/api/tokens', headers: admin });
    expect(JSON.stringify(listed.json())).not.toContain(token);

    const me = await s.app.inject({
      method: 'GET',
      url: '/api/session',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.json()).toEqual({ auth: 'tokens', name: 'ci', scope: 'run' });

    const revoked = await s.app.inject({
      method: 'DELETE',
      url: `/api/tokens/${id}`,
      headers: admin,
    });
    expect(revoked.statusCode).toBe(204);
    const after = await s.app.inject({
      method: 'GET',
      url: '/api/session',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(after.statusCode).toBe(401);
  });

  it('refuses a token request without a known scope, naming the field', async () => {
    const { s, tokens } = await setup();
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: { authorization: `Bearer ${tokens.admin}` },
      payload: { name: 'x', scope: 'root' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('scope');
  });

  it('says who the caller is when authentication is off', async () => {
    service = await createTestService({ auth: 'off' });
    const res = await service.app.inject({ method: 'GET', url: '/api/session' });
    expect(res.json()).toEqual({ auth: 'off', name: 'anonymous', scope: 'admin' });
  });
});

describe('the audit log', () => {
  it('records who created and deleted what, and not reads or refusals', async () => {
    const { s, tokens } = await setup();
    const as = (scope: TokenScope) => ({ authorization: `Bearer ${tokens[scope]}` });
    const made = await s.app.inject({
      method: 'POST',
      url: '/api/monitors',
      headers: as('monitors'),
      payload: { ...checkBody(), intervalSeconds: 300 },
    });
    expect(made.statusCode).toBe(201);
    const id = made.json().id as string;
    await s.app.inject({ method: 'GET', url: `/api/monitors/${id}`, headers: as('read') });
    await s.app.inject({ method: 'DELETE', url: `/api/monitors/${id}`, headers: as('read') });
    await s.app.inject({ method: 'DELETE', url: `/api/monitors/${id}`, headers: as('admin') });

    const log = await s.app.inject({ method: 'GET', url: '/api/audit-log', headers: as('admin') });
    expect(log.statusCode).toBe(200);
    const entries = log
      .json()
      .items.map((e: Record<string, unknown>) => [e.actor, e.action, e.resource, e.resourceId]);
    expect(entries).toEqual([
      ['admin-holder', 'deleteMonitor', 'monitors', id],
      ['monitors-holder', 'createMonitor', 'monitors', id],
    ]);

    const mine = await s.app.inject({
      method: 'GET',
      url: '/api/audit-log?actor=admin-holder&limit=1',
      headers: as('admin'),
    });
    expect(mine.json().items).toHaveLength(1);
    expect(mine.json().nextCursor).toBeNull();
  });
});

describe('rate limits', () => {
  it('gives each token its own bucket', async () => {
    const s = await createTestService({
      auth: 'tokens',
      limits: { rate: { capacity: 1, refillPerSecond: 0.001 } },
    });
    service = s;
    const newId = createIdFactory(() => 0);
    const a = await issueToken(s.store.tokens, newId, 0, {
      name: 'a',
      scope: 'run',
      createdBy: null,
    });
    const b = await issueToken(s.store.tokens, newId, 0, {
      name: 'b',
      scope: 'run',
      createdBy: null,
    });
    const check = (token: string) =>
      s.app.inject({
        method: 'POST',
        url: '/api/checks',
        headers: { authorization: `Bearer ${token}` },
        payload: checkBody(),
      });
    expect((await check(a.token)).statusCode).toBe(201);
    expect((await check(a.token)).statusCode).toBe(429);
    expect((await check(b.token)).statusCode).toBe(201);
  });
});
