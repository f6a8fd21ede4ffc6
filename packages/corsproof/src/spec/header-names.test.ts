import { describe, expect, it } from 'vitest';
import * as names from './header-names.js';

describe('header names', () => {
  it.each([
    { constant: 'ORIGIN', header: 'Origin' },
    { constant: 'VARY', header: 'Vary' },
    { constant: 'ACRM', header: 'Access-Control-Request-Method' },
    { constant: 'ACRH', header: 'Access-Control-Request-Headers' },
    { constant: 'ACRPN', header: 'Access-Control-Request-Private-Network' },
    { constant: 'ACAO', header: 'Access-Control-Allow-Origin' },
    { constant: 'ACAC', header: 'Access-Control-Allow-Credentials' },
    { constant: 'ACAM', header: 'Access-Control-Allow-Methods' },
    { constant: 'ACAH', header: 'Access-Control-Allow-Headers' },
    { constant: 'ACEH', header: 'Access-Control-Expose-Headers' },
    { constant: 'ACMA', header: 'Access-Control-Max-Age' },
    { constant: 'ACAPN', header: 'Access-Control-Allow-Private-Network' },
  ])('$constant is $header, lower-cased as Node and Headers expose it', ({ constant, header }) => {
    expect((names as Record<string, string>)[constant]).toBe(header.toLowerCase());
  });

  it('exports no name without a test', () => {
    expect(Object.keys(names).sort()).toEqual(
      [
        'ACAC',
        'ACAH',
        'ACAM',
        'ACAO',
        'ACAPN',
        'ACEH',
        'ACMA',
        'ACRH',
        'ACRM',
        'ACRPN',
        'ORIGIN',
        'VARY',
      ].sort(),
    );
  });
});
