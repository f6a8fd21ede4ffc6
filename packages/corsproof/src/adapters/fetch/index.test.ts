import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { compilePolicy } from '../../policy/compile.js';
import { CorsRoutesError } from '../../policy/routes/errors.js';
import { cors, corsPolicies, type FetchHandler, targetOfUrl, withCors } from './index.js';

const APP = 'https://app.example';
const EVIL = 'https://evil.example';
const PARTNER = 'https://partner.example';

const policy = { origins: [APP], credentials: true, methods: ['PUT'], exposeHeaders: ['x-total'] };

const get = (path: string, origin?: string, method = 'GET') =>
  new Request(`http://api.test${path}`, {
    method,
    headers: origin === undefined ? {} : { origin },
  });
const preflight = (path: string, origin: string, method = 'PUT') =>
  new Request(`http://api.test${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method },
  });

const servers: ServerType[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(
  handler: (request: Request) => Response | Promise<Response>,
): Promise<string> {
  const server = serve({ fetch: handler, port: 0, hostname: '127.0.0.1' });
  servers.push(server);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('withCors for fetch handlers', () => {
  it('answers a preflight without calling the handler', async () => {
    let ran = false;
    const handler = withCors(policy, () => {
      ran = true;
      return new Response('no');
    });
    const res = await handler(preflight('/items/1', APP));
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-methods')).toBe('PUT');
    expect(res.headers.get('vary')).toBe(
      'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    );
    expect(ran).toBe(false);
    expect((await handler(preflight('/', EVIL))).status).toBe(403);
  });

  it("adds the headers to the response and merges Vary with the handler's", async () => {
    const handler = withCors(policy, () =>
      Response.json([], { headers: { vary: 'Accept-Encoding' } }),
    );
    const res = await handler(get('/items', APP));
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-expose-headers')).toBe('x-total');
    expect(res.headers.get('vary')).toBe('Accept-Encoding, Origin');
  });

  it('leaves a refused origin without CORS headers but with Vary: Origin', async () => {
    const res = await withCors(policy, () => new Response('ok'))(get('/', EVIL));
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('vary')).toBe('Origin');
  });

  it('copies responses whose headers are immutable: redirects', async () => {
    const handler = withCors(policy, () => Response.redirect('https://app.example/next', 302));
    const res = await handler(get('/old', APP));
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://app.example/next');
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('copies responses whose headers are immutable: a fetch() passed through, body intact', async () => {
    const upstream = await listen(
      () => new Response('from upstream', { headers: { 'x-upstream': '1' } }),
    );
    const handler = withCors(policy, () => fetch(`${upstream}/`));
    const res = await handler(get('/proxy', APP));
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('x-upstream')).toBe('1');
    expect(await res.text()).toBe('from upstream');
  });

  it('passes streamed bodies through without reading them', async () => {
    const handler = withCors(policy, () => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('a'));
          controller.enqueue(new TextEncoder().encode('b'));
          controller.close();
        },
      });
      return new Response(body);
    });
    const res = await handler(get('/stream', APP));
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(await res.text()).toBe('ab');
  });

  it('handles HEAD, and leaves network errors and non-CORS requests alone', async () => {
    const head = await withCors(policy, () => new Response(null))(get('/', APP, 'HEAD'));
    expect(head.headers.get('access-control-allow-origin')).toBe(APP);
    const error = Response.error();
    expect(await withCors(policy, () => error)(get('/', APP))).toBe(error);
    const plain = await withCors(policy, () => new Response('ok'))(get('/'));
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
    expect(plain.headers.get('vary')).toBe('Origin');
  });

  it('passes extra arguments through (Workers env and ctx)', async () => {
    const handler = withCors(
      policy,
      (_request: Request, env: { name: string }, ctx: number) => new Response(`${env.name}:${ctx}`),
    );
    expect(await (await handler(get('/', APP), { name: 'env' }, 7)).text()).toBe('env:7');
  });

  it('turns handler errors into a response with CORS headers with onError, or rethrows', async () => {
    const failing: FetchHandler = () => {
      throw new Error('boom');
    };
    const handled = withCors(policy, failing, {
      onError: (error) => new Response(String((error as Error).message), { status: 500 }),
    });
    const res = await handled(get('/', APP));
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('boom');
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    await expect(withCors(policy, failing)(get('/', APP))).rejects.toThrow('boom');
  });

  it('gives async predicate errors to onError, or rethrows them', async () => {
    const predicate = {
      origins: async () => {
        throw new Error('lookup failed');
      },
    };
    const ok = () => new Response('ok');
    await expect(withCors(predicate, ok)(get('/', APP))).rejects.toThrow('lookup failed');
    const res = await withCors(predicate, ok, {
      onError: () => new Response('sorry', { status: 503 }),
    })(get('/', APP));
    expect(res.status).toBe(503);
  });

  it('serves through a real Node server (@hono/node-server)', async () => {
    const base = await listen(withCors(policy, () => new Response('ok')));
    const pre = await fetch(`${base}/x`, {
      method: 'OPTIONS',
      headers: { origin: APP, 'access-control-request-method': 'PUT' },
    });
    expect(pre.status).toBe(204);
    const res = await fetch(`${base}/x`, { headers: { origin: APP } });
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('accepts a compiled policy and validates options at once', async () => {
    const res = await withCors(
      compilePolicy({ origins: '*' }),
      () => new Response(),
    )(get('/', EVIL));
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(() => withCors({ origins: '*', credentials: true }, () => new Response())).toThrow(
      /^corsproof: /,
    );
  });
});

describe('path tables and named policies for fetch handlers', () => {
  it('picks the policy by path, first match wins', async () => {
    const handler = cors.paths({
      '/admin/*': false,
      '/public/*': { origins: '*' },
      '/*': { origins: [APP] },
    })(() => new Response('ok'));
    const acao = async (path: string, origin: string) =>
      (await handler(get(path, origin))).headers.get('access-control-allow-origin');
    expect(await acao('/public/a?x=/admin', EVIL)).toBe('*');
    expect(await acao('/orders', APP)).toBe(APP);
    expect(await acao('/admin/users', APP)).toBeNull();
    expect(await acao('/Admin/users', APP)).toBeNull();
  });

  it('uses named policies, and the outermost wrapper decides', async () => {
    const cp = corsPolicies({
      default: { origins: [APP] },
      policies: { partners: { origins: [PARTNER] } },
    });
    const inner = cp.route('partners')(() => new Response('ok'));
    const outer = cp()(inner);
    expect((await inner(get('/', PARTNER))).headers.get('access-control-allow-origin')).toBe(
      PARTNER,
    );
    expect((await outer(get('/', PARTNER))).headers.get('access-control-allow-origin')).toBeNull();
    expect((await outer(get('/', APP))).headers.get('access-control-allow-origin')).toBe(APP);
    expect(() => cp.route('partner')).toThrow(CorsRoutesError);
  });

  it('reads the request target out of an absolute URL', () => {
    expect(targetOfUrl('https://a.example/x/y?z=1')).toBe('/x/y?z=1');
    expect(targetOfUrl('https://a.example')).toBe('/');
    expect(targetOfUrl('http://[::1]:8080/p')).toBe('/p');
  });
});
