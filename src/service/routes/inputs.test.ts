import { describe, expect, it } from 'vitest';
import { changesData, normalizeCheck } from './inputs.js';

describe('changesData', () => {
  it.each([
    ['GET', [], null, false],
    ['HEAD', [], null, false],
    ['OPTIONS', [], null, false],
    ['get', [], null, false],
    ['POST', [], null, false],
    ['POST', [], 'text', false],
    ['POST', [['Content-Type', 'application/x-www-form-urlencoded']], 'a=1', false],
    ['POST', [['content-type', 'multipart/form-data; boundary=x']], '--x', false],
    ['POST', [['Content-Type', 'text/plain;charset=UTF-8']], 'x', false],
    ['POST', [['Content-Type', 'application/json']], '{}', true],
    ['POST', [['Content-Type', 'not a mime type']], 'x', true],
    ['PUT', [], null, true],
    ['DELETE', [], null, true],
    ['PATCH', [], null, true],
    ['patch', [], null, true],
    ['PURGE', [], null, true],
  ] as const)('%s %j %j -> %s', (method, headers, body, expected) => {
    expect(
      changesData(
        method,
        headers.map(([n, v]) => [n, v]),
        body,
      ),
    ).toBe(expected);
  });
});

describe('normalizeCheck', () => {
  it('prefixes fields so batch errors name the target', () => {
    expect(() =>
      normalizeCheck({ url: 'https://x.example/', origin: 'nope' }, 'public', 'targets[4]'),
    ).toThrowError(expect.objectContaining({ field: 'targets[4].origin', statusCode: 400 }));
  });

  it('keeps header pairs in order, duplicates included', () => {
    const { input } = normalizeCheck(
      {
        url: 'https://x.example/',
        origin: 'https://a.example',
        headers: [
          ['X-A', '1'],
          ['x-a', '2'],
        ],
      },
      'public',
    );
    expect(input.headers).toEqual([
      ['X-A', '1'],
      ['x-a', '2'],
    ]);
  });
});
