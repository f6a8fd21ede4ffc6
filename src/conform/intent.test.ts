import { parsePolicyFile } from 'corsproof';
import { describe, expect, it } from 'vitest';
import { check } from '../check/index.js';
import { IntentDispatcher, intendedResponse } from './intent.js';

const APP = 'https://app.example.com';
const file = parsePolicyFile({
  default: { origins: [APP], methods: ['PUT'], exposeHeaders: ['X-Total-Count'] },
  paths: { '/admin/*': false },
});

describe('intendedResponse', () => {
  it('answers an allowed request as the middleware would, exposed headers sent', async () => {
    const response = await intendedResponse(
      file,
      new Request('http://api.test/x', { headers: { origin: APP } }),
      ['x-total-count'],
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('access-control-expose-headers')?.toLowerCase()).toBe(
      'x-total-count',
    );
    expect(response.headers.get('vary')).toBe('Origin');
    expect(response.headers.get('x-total-count')).toBe('corsproof-conform');
  });

  it('answers a preflight itself, and a path the file closes with no CORS at all', async () => {
    const preflight = await intendedResponse(
      file,
      new Request('http://api.test/x', {
        method: 'OPTIONS',
        headers: { origin: APP, 'access-control-request-method': 'PUT' },
      }),
      [],
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('PUT');
    const closed = await intendedResponse(
      file,
      new Request('http://api.test/admin/x', { headers: { origin: APP } }),
      [],
    );
    expect(closed.headers.get('access-control-allow-origin')).toBeNull();
    expect(closed.headers.get('vary')).toBeNull();
  });
});

describe('IntentDispatcher', () => {
  it('lets check() judge the policy without a network', async () => {
    const dispatcher = new IntentDispatcher(file);
    // A loopback URL: an https page may fetch it (no mixed content); nothing listens there.
    const url = 'http://127.0.0.1:8080/x';
    const put = await check({ url, origin: APP, method: 'PUT', dispatcher, preflightOnly: true });
    expect(put.verdict).toBe('allowed');
    const del = await check({
      url,
      origin: APP,
      method: 'DELETE',
      dispatcher,
      preflightOnly: true,
    });
    expect(del.verdict).toBe('blocked');
    const admin = await check({ url: 'http://127.0.0.1:8080/admin/x', origin: APP, dispatcher });
    expect(admin.verdict).toBe('blocked');
  });
});
