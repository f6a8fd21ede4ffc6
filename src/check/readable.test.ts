import type { HeaderEntry } from 'corsproof/spec';
import { describe, expect, it } from 'vitest';
import { readableResponse } from './readable.js';

const url = new URL('https://api.example/items');
const read = (headers: HeaderEntry[], cors = true, credentialsInclude = false) =>
  readableResponse({ headers, url, status: 200, hop: 0, cors, credentialsInclude });

describe('readableResponse', () => {
  const lines: HeaderEntry[] = [
    ['Content-Type', 'application/json'],
    ['X-Count', '1'],
    ['Access-Control-Expose-Headers', 'x-count'],
    ['Set-Cookie', 'a=1'],
    ['content-type', 'text/plain'],
  ];

  it('lists each name once, lower-cased, as readable or hidden', () => {
    expect(read(lines)).toEqual({
      url: url.href,
      status: 200,
      redirected: false,
      readableHeaders: ['content-type', 'x-count'],
      hiddenHeaders: ['access-control-expose-headers', 'set-cookie'],
    });
  });

  it('judges a response again when its names or what it exposes differ from the last one', () => {
    const first = read(lines);
    expect(read([...lines])).toEqual(first);
    expect(read(lines, false).readableHeaders).toEqual([
      'content-type',
      'x-count',
      'access-control-expose-headers',
    ]);
    const unexposed = lines.map(([n, v]): HeaderEntry => [n, n === 'X-Count' ? '2' : v]);
    unexposed[2] = ['Access-Control-Expose-Headers', 'x-other'];
    expect(read(unexposed).hiddenHeaders).toContain('x-count');
    expect(read(lines.slice(1)).readableHeaders).toEqual(['x-count', 'content-type']);
    expect(read(lines)).toEqual(first);
  });

  it('gives each result lists of its own', () => {
    const a = read(lines);
    (a.readableHeaders as string[]).push('changed');
    expect(read(lines).readableHeaders).toEqual(['content-type', 'x-count']);
  });
});
