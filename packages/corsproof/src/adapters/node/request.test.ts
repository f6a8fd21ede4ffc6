import { describe, expect, it } from 'vitest';
import { corsRequestFromNode } from './request.js';

describe('corsRequestFromNode', () => {
  it('reads the method and the CORS request headers', () => {
    const req = {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'x-a,x-b',
        'access-control-request-private-network': 'true',
      },
    };
    expect(corsRequestFromNode(req)).toEqual({
      method: 'OPTIONS',
      origin: 'https://app.example.com',
      requestMethod: 'PUT',
      requestHeaders: 'x-a,x-b',
      requestPrivateNetwork: 'true',
      raw: req,
    });
  });

  it('leaves absent headers undefined and defaults the method to GET', () => {
    expect(corsRequestFromNode({ headers: {} })).toMatchObject({
      method: 'GET',
      origin: undefined,
      requestMethod: undefined,
      requestHeaders: undefined,
    });
  });

  it('joins header lines given as an array with ", ", as Fetch "get" does', () => {
    const headers = { 'access-control-request-headers': ['x-a', 'x-b'] } as unknown as Record<
      string,
      string
    >;
    expect(corsRequestFromNode({ method: 'OPTIONS', headers }).requestHeaders).toBe('x-a, x-b');
  });

  it('keeps an empty header as an empty string, not as absent', () => {
    const r = corsRequestFromNode({ headers: { origin: '', 'access-control-request-method': '' } });
    expect(r.origin).toBe('');
    expect(r.requestMethod).toBe('');
  });

  it('hands a framework request to predicates as raw when given', () => {
    const framework = { tenant: 'acme' };
    expect(corsRequestFromNode({ headers: {} }, framework).raw).toBe(framework);
  });
});
