import type { HeaderEntry } from 'corsproof/spec';
import { originOfUrl } from 'corsproof/spec';
import { describe, expect, it } from 'vitest';
import { followRedirect, locationOf, type RedirectState } from './redirects.js';

const PAGE = originOfUrl('https://page.example');

function state(url: string, over: Partial<RedirectState> = {}): RedirectState {
  return {
    url: new URL(url),
    method: 'GET',
    headers: [],
    body: null,
    redirectCount: 0,
    tainted: false,
    ...over,
  };
}

function follow(from: RedirectState, to: string, status = 302, corsTainting = true) {
  return followRedirect(
    { state: from, status, origin: PAGE, corsTainting, maxRedirects: 20 },
    new URL(to, from.url),
  );
}

describe('tainted origin (WPT cors-redirect.any.js)', () => {
  it('"cors to same cors": same-origin hop keeps the origin', () => {
    const r = follow(state('https://api.example/a'), 'https://api.example/b');
    expect(r).toMatchObject({ ok: true, next: { tainted: false } });
  });

  it('"cors to another cors": Origin becomes null', () => {
    const r = follow(state('https://api.example/a'), 'https://other.example/b');
    expect(r).toMatchObject({ ok: true, next: { tainted: true } });
  });

  it('"cors to same origin": back to the page origin, still null', () => {
    const r = follow(state('https://api.example/a'), 'https://page.example/b');
    expect(r).toMatchObject({ ok: true, next: { tainted: true } });
  });

  it('"same origin to cors": leaving the page origin keeps it', () => {
    const r = follow(state('https://page.example/a'), 'https://api.example/b', 302, false);
    expect(r).toMatchObject({ ok: true, next: { tainted: false } });
  });

  it('stays tainted for the rest of the chain', () => {
    const r = follow(
      state('https://other.example/a', { tainted: true }),
      'https://other.example/b',
    );
    expect(r).toMatchObject({ ok: true, next: { tainted: true, redirectCount: 1 } });
  });
});

describe('method and body on redirect (fetch.bs HTTP-redirect fetch step 11)', () => {
  const body: HeaderEntry[] = [
    ['Content-Type', 'text/plain'],
    ['Content-Language', 'en'],
    ['X-A', '1'],
  ];
  it.each([
    [301, 'POST', 'GET', true],
    [302, 'POST', 'GET', true],
    [303, 'POST', 'GET', true],
    [303, 'PUT', 'GET', true],
    [303, 'GET', 'GET', false],
    [303, 'HEAD', 'HEAD', false],
    [307, 'POST', 'POST', false],
    [308, 'POST', 'POST', false],
    [301, 'PUT', 'PUT', false],
    [302, 'DELETE', 'DELETE', false],
  ])('%i %s becomes %s', (status, method, expected, dropsBody) => {
    const r = follow(
      state('https://api.example/a', {
        method,
        headers: body,
        body: method === 'GET' || method === 'HEAD' ? null : 'x',
      }),
      '/b',
      status,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.next.method).toBe(expected);
    expect(r.becameGet).toBe(dropsBody);
    if (dropsBody) {
      expect(r.next.body).toBeNull();
      expect(r.next.headers).toEqual([['X-A', '1']]);
      expect(r.removedHeaders).toEqual(['content-type', 'content-language']);
    }
  });
});

describe('Authorization on a cross-origin hop (fetch.bs HTTP-redirect fetch step 12)', () => {
  const headers: HeaderEntry[] = [
    ['Authorization', 'Bearer x'],
    ['X-A', '1'],
  ];
  it('is removed when the origin changes', () => {
    const r = follow(state('https://api.example/a', { headers }), 'https://other.example/b', 307);
    expect(r).toMatchObject({
      ok: true,
      next: { headers: [['X-A', '1']] },
      removedHeaders: ['authorization'],
    });
  });
  it('is kept on a same-origin hop', () => {
    const r = follow(state('https://api.example/a', { headers }), '/b', 307);
    expect(r).toMatchObject({ ok: true, next: { headers }, removedHeaders: [] });
  });
});

describe('refused redirects', () => {
  it.each([
    ['userinfo', 'https://u:p@api.example/b', 'RedirectContainsCredentials'],
    ['ftp:', 'ftp://api.example/b', 'CorsDisabledScheme'],
    ['javascript:', 'javascript:1', 'CorsDisabledScheme'],
    ['data:', 'data:text/plain,x', 'UnsafeRedirect'],
    ['file:', 'file:///etc/passwd', 'UnsafeRedirect'],
    ['about:', 'about:blank', 'UnsafeRedirect'],
  ])('%s', (_name, to, code) => {
    expect(follow(state('https://api.example/a'), to)).toMatchObject({
      ok: false,
      detail: { code },
    });
  });

  it('allows userinfo on a same-origin hop of a basic (same-origin) request (step 8-9)', () => {
    const r = follow(state('https://page.example/a'), 'https://u:p@page.example/b', 302, false);
    expect(r.ok).toBe(true);
  });

  it('stops after the limit: the 21st redirect fails (fetch.bs step 6)', () => {
    expect(follow(state('https://api.example/a', { redirectCount: 19 }), '/b').ok).toBe(true);
    expect(follow(state('https://api.example/a', { redirectCount: 20 }), '/b')).toMatchObject({
      ok: false,
      detail: { code: 'TooManyRedirects', limit: 20 },
    });
  });
});

describe('locationOf', () => {
  const base = new URL('https://api.example/a/b?q#frag');
  it('resolves relative to the current URL and keeps the fragment', () => {
    expect(locationOf([['Location', '../c']], base)).toEqual({
      url: new URL('https://api.example/c#frag'),
    });
    expect(locationOf([['Location', '/c#own']], base)).toEqual({
      url: new URL('https://api.example/c#own'),
    });
  });
  it('reads identical lines as one, fails on an unparseable value', () => {
    expect(
      locationOf(
        [
          ['location', '/c'],
          ['Location', '/c'],
        ],
        base,
      ),
    ).toHaveProperty('url');
    expect(locationOf([['Location', 'http://[bad']], base)).toEqual({ error: 'http://[bad' });
  });
});
