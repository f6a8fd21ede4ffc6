import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { compilePolicy } from '../../policy/compile.js';
import { CorsConfigError } from '../../policy/errors.js';
import type { CorsOptions } from '../../policy/options.js';
import { mergeVary } from '../../spec/vary.js';
import { applyCors, type NodeHandler, toPolicy, withCors } from './index.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';
const PREFLIGHT_VARY = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers';

const POLICY: CorsOptions = {
  origins: [APP],
  credentials: true,
  methods: ['PUT', 'PATCH'],
  requestHeaders: ['X-Custom'],
  exposeHeaders: ['X-Request-Id'],
  maxAge: 600,
};

// One server for the whole file; each test installs its handler. A fresh agent per file, so no
// keep-alive connection outlives the server.
let current: http.RequestListener = (_req, res) => res.end();
let server: http.Server;
let base: string;
const agent = new Agent({ keepAliveTimeout: 10 });

beforeAll(async () => {
  server = http.createServer((req, res) => current(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await agent.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

afterEach(() => {
  vi.restoreAllMocks();
});

function use(handler: NodeHandler): void {
  current = handler as http.RequestListener;
}

interface Sent {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

async function send(
  method: string,
  headers: Record<string, string | string[]> = {},
  path = '/resource',
): Promise<Sent> {
  const res = await request(`${base}${path}`, { method, headers, dispatcher: agent });
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
}

/** The CORS response headers of a response, for exact comparisons. */
function corsHeaders(sent: Sent): Record<string, string | string[] | undefined> {
  return Object.fromEntries(
    Object.entries(sent.headers).filter(([n]) => n.startsWith('access-control-') || n === 'vary'),
  );
}

const preflightHeaders = (origin: string, method: string, headers?: string) => ({
  origin,
  'access-control-request-method': method,
  ...(headers === undefined ? {} : { 'access-control-request-headers': headers }),
});

describe('withCors on a real node:http server', () => {
  it('answers an accepted preflight itself with 204 and never calls the handler', async () => {
    const handler = vi.fn((_req: http.IncomingMessage, res: http.ServerResponse) => res.end('app'));
    use(withCors(POLICY, handler));
    const sent = await send('OPTIONS', preflightHeaders(APP, 'PUT', 'x-custom'));
    expect(handler).not.toHaveBeenCalled();
    expect(sent.status).toBe(204);
    expect(sent.body).toBe('');
    expect(corsHeaders(sent)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'PUT',
      'access-control-allow-headers': 'x-custom',
      'access-control-max-age': '600',
      vary: PREFLIGHT_VARY,
    });
  });

  it('answers a refused preflight with a bare 403 and never calls the handler', async () => {
    const handler = vi.fn((_req: http.IncomingMessage, res: http.ServerResponse) => res.end('app'));
    use(withCors(POLICY, handler));
    for (const headers of [
      preflightHeaders(EVIL, 'PUT'),
      preflightHeaders(APP, 'DELETE'),
      preflightHeaders(APP, 'patch'),
      preflightHeaders(APP, 'PUT', 'x-other'),
    ]) {
      const sent = await send('OPTIONS', headers);
      expect(sent.status).toBe(403);
      expect(sent.headers['content-length']).toBe('0');
      expect(corsHeaders(sent)).toEqual({ vary: PREFLIGHT_VARY });
    }
    expect(handler).not.toHaveBeenCalled();
  });

  it('answers with preflightStatus 200 and an explicit Content-Length of 0', async () => {
    use(
      withCors({ origins: [APP], methods: ['PUT'], preflightStatus: 200 }, (_q, res) => res.end()),
    );
    const sent = await send('OPTIONS', preflightHeaders(APP, 'PUT'));
    expect(sent.status).toBe(200);
    expect(sent.headers['content-length']).toBe('0');
  });

  it('accepts a 204 preflight over fetch too', async () => {
    use(withCors(POLICY, (_q, res) => res.end('app')));
    const res = await fetch(`${base}/x`, {
      method: 'OPTIONS',
      headers: preflightHeaders(APP, 'PATCH'),
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-methods')).toBe('PATCH');
    expect(res.headers.get('vary')).toBe(PREFLIGHT_VARY);
  });

  it('sets the CORS headers before the handler runs, so the handler can see them', async () => {
    let seen: unknown;
    use(
      withCors(POLICY, (_req, res) => {
        seen = res.getHeader('access-control-allow-origin');
        res.setHeader('x-request-id', '42');
        res.end('app');
      }),
    );
    const sent = await send('GET', { origin: APP });
    expect(seen).toBe(APP);
    expect(sent.status).toBe(200);
    expect(sent.body).toBe('app');
    expect(corsHeaders(sent)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'x-request-id',
      vary: 'Origin',
    });
  });

  it('runs the handler for a refused origin, without CORS headers but with Vary: Origin', async () => {
    const handler = vi.fn((_req: http.IncomingMessage, res: http.ServerResponse) => res.end('app'));
    use(withCors(POLICY, handler));
    const sent = await send('POST', { origin: EVIL });
    expect(handler).toHaveBeenCalledOnce();
    expect(sent.body).toBe('app');
    expect(corsHeaders(sent)).toEqual({ vary: 'Origin' });
  });

  it('adds Vary: Origin to a request without Origin', async () => {
    use(withCors(POLICY, (_req, res) => res.end('app')));
    expect(corsHeaders(await send('GET'))).toEqual({ vary: 'Origin' });
  });

  it('sends a star policy its static headers with or without Origin, and no Vary', async () => {
    use(withCors({ origins: '*', exposeHeaders: ['X-Total'] }, (_req, res) => res.end('app')));
    const expected = {
      'access-control-allow-origin': '*',
      'access-control-expose-headers': 'x-total',
    };
    expect(corsHeaders(await send('GET'))).toEqual(expected);
    expect(corsHeaders(await send('GET', { origin: EVIL }))).toEqual(expected);
  });

  it('sends the headers on a HEAD request, without a body', async () => {
    use(withCors(POLICY, (_req, res) => res.end('app')));
    const sent = await send('HEAD', { origin: APP });
    expect(sent.body).toBe('');
    expect(sent.headers['access-control-allow-origin']).toBe(APP);
    expect(sent.headers.vary).toBe('Origin');
  });

  it('passes an OPTIONS without Access-Control-Request-Method to the app, with CORS headers', async () => {
    const handler = vi.fn((_req: http.IncomingMessage, res: http.ServerResponse) => {
      res.setHeader('allow', 'GET, OPTIONS');
      res.end('options from the app');
    });
    use(withCors(POLICY, handler));
    const sent = await send('OPTIONS', { origin: APP });
    expect(handler).toHaveBeenCalledOnce();
    expect(sent.body).toBe('options from the app');
    expect(sent.headers.allow).toBe('GET, OPTIONS');
    expect(sent.headers['access-control-allow-origin']).toBe(APP);
    expect(sent.headers.vary).toBe(PREFLIGHT_VARY);
  });

  it('passes an OPTIONS with Access-Control-Request-Method but no Origin to the app', async () => {
    const handler = vi.fn((_req: http.IncomingMessage, res: http.ServerResponse) => res.end('app'));
    use(withCors(POLICY, handler));
    const sent = await send('OPTIONS', { 'access-control-request-method': 'PUT' });
    expect(handler).toHaveBeenCalledOnce();
    expect(corsHeaders(sent)).toEqual({ vary: PREFLIGHT_VARY });
  });

  it('refuses two Origin lines, which Node joins into one invalid value', async () => {
    let origin: unknown;
    use(
      withCors(POLICY, (req, res) => {
        origin = req.headers.origin;
        res.end('app');
      }),
    );
    const sent = await send('GET', { origin: [APP, APP] });
    expect(origin).toBe(`${APP}, ${APP}`);
    expect(corsHeaders(sent)).toEqual({ vary: 'Origin' });
  });

  it('accepts Access-Control-Request-Headers split over two lines', async () => {
    use(withCors({ origins: [APP], requestHeaders: ['X-A', 'X-B'] }, (_q, res) => res.end()));
    const sent = await send('OPTIONS', {
      origin: APP,
      'access-control-request-method': 'POST',
      'access-control-request-headers': ['x-a', 'X-B, x-a'],
    });
    expect(sent.status).toBe(204);
    expect(sent.headers['access-control-allow-headers']).toBe('x-a,x-b');
  });

  it('refuses a 200 kB Access-Control-Request-Headers quickly', async () => {
    // Node's own limit on request headers (16 KiB) answers 431 before any handler runs.
    use(withCors({ origins: [APP], requestHeaders: '*' }, (_q, res) => res.end()));
    const sent = await send('OPTIONS', preflightHeaders(APP, 'POST', 'x-a,'.repeat(50_000)));
    expect(sent.status).toBe(431);
    const under = await send('OPTIONS', preflightHeaders(APP, 'POST', 'x,'.repeat(5000)));
    expect(under.status).toBe(403);
  });

  describe('Vary set by the app', () => {
    it('merges a Vary set before withCors runs (by an outer middleware)', async () => {
      const inner = withCors(POLICY, (_req, res) => res.end('app'));
      use((req, res) => {
        res.setHeader('vary', 'Accept-Encoding');
        inner(req, res);
      });
      expect((await send('GET', { origin: APP })).headers.vary).toBe('Accept-Encoding, Origin');
      expect((await send('OPTIONS', preflightHeaders(APP, 'PUT'))).headers.vary).toBe(
        `Accept-Encoding, ${PREFLIGHT_VARY}`,
      );
    });

    it('does not repeat a field an outer middleware already varies on', async () => {
      const inner = withCors(POLICY, (_req, res) => res.end('app'));
      use((req, res) => {
        res.setHeader('vary', ['origin', 'Accept']);
        inner(req, res);
      });
      expect((await send('GET', { origin: EVIL })).headers.vary).toBe('origin, Accept');
    });

    // The handler runs after withCors. These record what Node does with a Vary the handler
    // writes: setHeader and writeHead replace ours (Node keeps one value per name), appendHeader
    // adds a second line, and mergeVary keeps one. A handler that sets Vary must append or merge.
    it('loses Vary: Origin when the handler replaces Vary with setHeader', async () => {
      use(
        withCors(POLICY, (_req, res) => {
          res.setHeader('vary', 'Accept-Encoding');
          res.end('app');
        }),
      );
      expect((await send('GET', { origin: APP })).headers.vary).toBe('Accept-Encoding');
    });

    it('loses Vary: Origin when the handler passes Vary to writeHead', async () => {
      use(
        withCors(POLICY, (_req, res) => {
          res.writeHead(200, { vary: 'Accept-Encoding' });
          res.end('app');
        }),
      );
      const sent = await send('GET', { origin: APP });
      expect(sent.headers.vary).toBe('Accept-Encoding');
      // The other CORS headers survive: writeHead only replaces the names it is given.
      expect(sent.headers['access-control-allow-origin']).toBe(APP);
    });

    it('keeps Vary: Origin as a separate line when the handler uses appendHeader', async () => {
      use(
        withCors(POLICY, (_req, res) => {
          res.appendHeader('vary', 'Accept-Encoding');
          res.end('app');
        }),
      );
      expect((await send('GET', { origin: APP })).headers.vary).toEqual([
        'Origin',
        'Accept-Encoding',
      ]);
    });

    it('keeps one Vary line when the handler merges with mergeVary', async () => {
      use(
        withCors(POLICY, (_req, res) => {
          const existing = res.getHeader('vary');
          res.setHeader(
            'vary',
            mergeVary(
              typeof existing === 'number' ? String(existing) : existing,
              'Accept-Encoding',
            ),
          );
          res.end('app');
        }),
      );
      expect((await send('GET', { origin: APP })).headers.vary).toBe('Origin, Accept-Encoding');
    });
  });

  describe('errors', () => {
    it('keeps the CORS headers on the 500 of a throwing handler', async () => {
      const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
      use(
        withCors(POLICY, () => {
          throw new Error('handler failed');
        }),
      );
      const sent = await send('GET', { origin: APP });
      expect(sent.status).toBe(500);
      expect(sent.body).toBe('Internal Server Error');
      expect(sent.headers['access-control-allow-origin']).toBe(APP);
      expect(sent.headers['access-control-allow-credentials']).toBe('true');
      expect(sent.headers.vary).toBe('Origin');
      expect(logged).toHaveBeenCalledWith(expect.objectContaining({ message: 'handler failed' }));
    });

    it('keeps the CORS headers on the 500 of a rejected async handler', async () => {
      vi.spyOn(console, 'error').mockImplementation(() => {});
      use(
        withCors(POLICY, async () => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          throw new Error('async handler failed');
        }),
      );
      const sent = await send('GET', { origin: APP });
      expect(sent.status).toBe(500);
      expect(sent.headers['access-control-allow-origin']).toBe(APP);
      expect(sent.headers.vary).toBe('Origin');
    });

    it('hands handler errors to onError, which owns the response', async () => {
      const onError = vi.fn(
        (error: unknown, _req: http.IncomingMessage, res: http.ServerResponse) => {
          res.statusCode = 503;
          res.end(String((error as Error).message));
        },
      );
      use(
        withCors(
          POLICY,
          () => {
            throw new Error('busy');
          },
          { onError },
        ),
      );
      const sent = await send('GET', { origin: APP });
      expect(onError).toHaveBeenCalledOnce();
      expect(sent.status).toBe(503);
      expect(sent.body).toBe('busy');
      expect(sent.headers['access-control-allow-origin']).toBe(APP);
    });

    it('destroys the connection when the handler fails after the headers were sent', async () => {
      vi.spyOn(console, 'error').mockImplementation(() => {});
      use(
        withCors(POLICY, async (_req, res) => {
          res.writeHead(200);
          res.write('partial');
          await new Promise((resolve) => setTimeout(resolve, 5));
          throw new Error('mid-stream');
        }),
      );
      await expect(send('GET', { origin: APP })).rejects.toThrow();
    });

    it('sends a rejected async predicate to onError and never runs the handler', async () => {
      const handler = vi.fn((_req: http.IncomingMessage, res: http.ServerResponse) => res.end());
      const onError = vi.fn(
        (_error: unknown, _req: http.IncomingMessage, res: http.ServerResponse) => {
          res.statusCode = 503;
          res.end();
        },
      );
      const boom = new Error('tenant database unavailable');
      use(withCors({ origins: () => Promise.reject(boom) }, handler, { onError }));
      expect((await send('GET', { origin: APP })).status).toBe(503);
      expect((await send('OPTIONS', preflightHeaders(APP, 'POST'))).status).toBe(503);
      expect(onError).toHaveBeenCalledTimes(2);
      expect(onError.mock.calls[0]?.[0]).toBe(boom);
      expect(handler).not.toHaveBeenCalled();
    });

    it('sends a throwing sync predicate to onError', async () => {
      const onError = vi.fn(
        (_error: unknown, _req: http.IncomingMessage, res: http.ServerResponse) => res.end(),
      );
      const boom = new Error('sync failure');
      use(
        withCors(
          {
            origins: () => {
              throw boom;
            },
          },
          (_q, res) => res.end(),
          { onError },
        ),
      );
      await send('GET', { origin: APP });
      expect(onError.mock.calls[0]?.[0]).toBe(boom);
    });

    it('sends the TypeError of a predicate returning a string to onError, answering 500 by default', async () => {
      const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
      use(
        withCors(
          { origins: ((origin: string) => Promise.resolve(origin)) as unknown as () => boolean },
          (_q, res) => res.end('app'),
        ),
      );
      const sent = await send('GET', { origin: APP });
      expect(sent.status).toBe(500);
      // No decision was made, so no CORS header was set: the browser reports a CORS failure.
      expect(sent.headers['access-control-allow-origin']).toBeUndefined();
      expect(logged.mock.calls[0]?.[0]).toBeInstanceOf(TypeError);
    });

    it('throws a CorsConfigError when wrapping, not when serving', () => {
      expect(() => withCors({ origins: '*', credentials: true }, () => {})).toThrow(
        CorsConfigError,
      );
    });
  });

  describe('with an async predicate', () => {
    const tenants = new Set([APP]);
    const policy: CorsOptions = {
      origins: async (origin) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return tenants.has(origin);
      },
      methods: ['PUT'],
    };

    it('answers preflights once the predicate resolves', async () => {
      const handler = vi.fn((_req: http.IncomingMessage, res: http.ServerResponse) => res.end());
      use(withCors(policy, handler));
      expect((await send('OPTIONS', preflightHeaders(APP, 'PUT'))).status).toBe(204);
      expect((await send('OPTIONS', preflightHeaders(EVIL, 'PUT'))).status).toBe(403);
      expect(handler).not.toHaveBeenCalled();
    });

    it('runs the handler after the predicate resolves, with or without CORS headers', async () => {
      use(withCors(policy, (_q, res) => res.end('app')));
      const ok = await send('GET', { origin: APP });
      expect(ok.body).toBe('app');
      expect(ok.headers['access-control-allow-origin']).toBe(APP);
      const no = await send('GET', { origin: EVIL });
      expect(no.body).toBe('app');
      expect(no.headers['access-control-allow-origin']).toBeUndefined();
      expect(no.headers.vary).toBe('Origin');
    });
  });
});

describe('applyCors', () => {
  it('says true for a preflight it finished, false for a request the app must answer', async () => {
    const policy = compilePolicy(POLICY);
    const results: unknown[] = [];
    use((req, res) => {
      const answered = applyCors(policy, req, res);
      results.push(answered);
      if (answered === false) res.end('app');
    });
    await send('OPTIONS', preflightHeaders(APP, 'PUT'));
    await send('GET', { origin: APP });
    await send('GET');
    expect(results).toEqual([true, false, false]);
  });

  it('returns a promise for a policy with an async predicate', async () => {
    const policy = compilePolicy({ origins: async () => true });
    let answered: unknown;
    use((req, res) => {
      answered = applyCors(policy, req, res);
      void Promise.resolve(answered).then((done) => {
        if (!done) res.end('app');
      });
    });
    await send('GET', { origin: APP });
    expect(answered).toBeInstanceOf(Promise);
    expect(await answered).toBe(false);
  });
});

describe('toPolicy', () => {
  it('passes a compiled policy through and compiles options', () => {
    const policy = compilePolicy(POLICY);
    expect(toPolicy(policy)).toBe(policy);
    expect(toPolicy(POLICY).toJSON()).toEqual(policy.toJSON());
  });
});
