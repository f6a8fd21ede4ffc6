import { describe, expect, it, vi } from 'vitest';
import { compilePolicy } from './compile.js';
import { CorsConfigError } from './errors.js';

describe('compilePolicy', () => {
  it('shows the normalized configuration in toJSON', () => {
    const policy = compilePolicy({
      origins: ['HTTPS://App.Example.com', 'https://*.Example.net:*', 'http://localhost:*'],
      credentials: true,
      methods: ['put', 'PATCH'],
      requestHeaders: ['X-Custom'],
      exposeHeaders: ['X-Total'],
      maxAge: 600,
    });
    expect(policy.toJSON()).toEqual({
      origins: ['https://app.example.com', 'https://*.example.net:*', 'http://localhost:*'],
      credentials: true,
      methods: ['PUT', 'PATCH'],
      requestHeaders: ['x-custom'],
      exposeHeaders: ['x-total'],
      maxAge: 600,
      privateNetwork: false,
      preflightStatus: 204,
      debug: false,
    });
  });

  it('serializes a star policy and a predicate policy without exposing the function', () => {
    expect(compilePolicy({ origins: '*' }).toJSON()).toMatchObject({ origins: '*' });
    const json = JSON.stringify(compilePolicy({ origins: () => true, debug: false }));
    expect(JSON.parse(json)).toMatchObject({ origins: '[predicate]', debug: false });
  });

  it('compiles a policy that toJSON describes into an equivalent policy', () => {
    const first = compilePolicy({ origins: ['https://*.Example.net'], methods: ['put'] });
    const json = first.toJSON();
    const again = compilePolicy({
      origins: json.origins as string[],
      methods: json.methods as string[],
    });
    expect(again.toJSON()).toEqual(json);
  });

  it('returns a frozen policy whose toJSON is frozen too', () => {
    const policy = compilePolicy({ origins: ['https://a.example'] });
    expect(Object.isFrozen(policy)).toBe(true);
    expect(Object.isFrozen(policy.toJSON())).toBe(true);
    expect(Object.isFrozen(policy.toJSON().origins)).toBe(true);
  });

  it('is not affected by later changes to the options object', () => {
    const origins = ['https://a.example'];
    const methods = ['PUT'];
    const policy = compilePolicy({ origins, methods });
    origins.push('https://evil.example');
    methods.push('DELETE');
    expect(policy.decide({ method: 'GET', origin: 'https://evil.example' })).toMatchObject({
      kind: 'actual-refused',
    });
    expect(
      policy.decide({ method: 'OPTIONS', origin: 'https://a.example', requestMethod: 'DELETE' }),
    ).toMatchObject({ kind: 'preflight-refused' });
  });

  it('throws a CorsConfigError for a bad configuration', () => {
    expect(() => compilePolicy({ origins: '*', credentials: true })).toThrow(CorsConfigError);
  });

  it('uses console.warn as the logger for debug: true', () => {
    expect(compilePolicy({ origins: ['https://a.example'], debug: true }).config.logger).toBe(
      console,
    );
  });

  describe('in debug mode with credentials', () => {
    it('warns when the predicate accepts a random origin', () => {
      const warn = vi.fn();
      compilePolicy({ origins: () => true, credentials: true, debug: { warn } });
      expect(warn).toHaveBeenCalledOnce();
      expect(warn.mock.calls[0]?.[0]).toMatch(
        /^corsproof: the origins predicate accepted the random origin "https:\/\/corsproof-probe-[a-z0-9]+\.example" while credentials are on/,
      );
    });

    it('warns when an async predicate accepts a random origin', async () => {
      const warn = vi.fn();
      compilePolicy({ origins: async () => true, credentials: true, debug: { warn } });
      expect(warn).not.toHaveBeenCalled();
      await vi.waitFor(() => expect(warn).toHaveBeenCalledOnce());
    });

    it('stays quiet for a predicate that refuses, throws or rejects', async () => {
      const warn = vi.fn();
      compilePolicy({ origins: () => false, credentials: true, debug: { warn } });
      compilePolicy({
        origins: () => {
          throw new Error('no');
        },
        credentials: true,
        debug: { warn },
      });
      compilePolicy({
        origins: () => Promise.reject(new Error('no')),
        credentials: true,
        debug: { warn },
      });
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(warn).not.toHaveBeenCalled();
    });

    it('does not call the predicate at all outside debug mode or without credentials', () => {
      const predicate = vi.fn(() => true);
      compilePolicy({ origins: predicate, credentials: true });
      compilePolicy({ origins: predicate, debug: { warn: () => {} } });
      expect(predicate).not.toHaveBeenCalled();
    });
  });
});
