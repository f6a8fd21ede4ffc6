import { describe, expect, it } from 'vitest';
import { curlCommand, shellQuote } from './curl.js';

describe('shellQuote', () => {
  it.each([
    ['plain', 'plain'],
    ['https://api.example/x', 'https://api.example/x'],
    ['a b', "'a b'"],
    ["it's", "'it'\\''s'"],
    ['$HOME', "'$HOME'"],
    ['', "''"],
  ])('%j -> %s', (input, expected) => {
    expect(shellQuote(input)).toBe(expected);
  });
});

describe('curlCommand', () => {
  it('reproduces a preflight: method, URL, headers in order, no body', () => {
    expect(
      curlCommand({
        method: 'OPTIONS',
        url: 'https://api.example/x?a=1&b=2',
        headers: [
          ['Origin', 'https://app.example'],
          ['Access-Control-Request-Method', 'PUT'],
        ],
        body: null,
      }),
    ).toBe(
      [
        "curl -sS -i -X OPTIONS 'https://api.example/x?a=1&b=2'",
        "  -H 'Origin: https://app.example'",
        "  -H 'Access-Control-Request-Method: PUT'",
      ].join(' \\\n'),
    );
  });

  it('uses --head for HEAD, nothing for GET, and --data-binary for a body', () => {
    expect(
      curlCommand({ method: 'HEAD', url: 'https://a.example/', headers: [], body: null }),
    ).toBe('curl -sS -i --head https://a.example/');
    expect(curlCommand({ method: 'GET', url: 'https://a.example/', headers: [], body: null })).toBe(
      'curl -sS -i https://a.example/',
    );
    expect(
      curlCommand({ method: 'POST', url: 'https://a.example/', headers: [], body: '{"a":1}' }),
    ).toBe(`curl -sS -i -X POST https://a.example/ \\\n  --data-binary '{"a":1}'`);
  });

  it("sends an empty header value with curl's `Name;` form", () => {
    expect(
      curlCommand({
        method: 'GET',
        url: 'https://a.example/',
        headers: [['X-Empty', '']],
        body: null,
      }),
    ).toContain("-H 'X-Empty;'");
  });
});
