import { describe, expect, it } from 'vitest';
import { countHeader, getHeader, type HeaderList } from './response-headers.js';

describe('getHeader', () => {
  it.each<{ name: string; list: HeaderList; get: string; value: string | null }>([
    {
      name: 'an absent header is null',
      list: [['Vary', 'Origin']],
      get: 'access-control-allow-origin',
      value: null,
    },
    { name: 'an empty list has no header', list: [], get: 'vary', value: null },
    {
      name: 'a single line gives its value',
      list: [['Vary', 'Origin']],
      get: 'vary',
      value: 'Origin',
    },
    {
      name: 'names match case-insensitively',
      list: [['VARY', 'Origin']],
      get: 'Vary',
      value: 'Origin',
    },
    {
      name: 'repeated lines are combined with ", " in order',
      list: [
        ['Vary', 'Origin'],
        ['Vary', 'Accept'],
      ],
      get: 'vary',
      value: 'Origin, Accept',
    },
    {
      name: 'other headers between repeated lines are skipped',
      list: [
        ['A', '1'],
        ['B', 'x'],
        ['a', '2'],
      ],
      get: 'a',
      value: '1, 2',
    },
    {
      name: 'each value is trimmed of HTTP whitespace',
      list: [
        ['A', ' 1\t'],
        ['A', '\r\n2 '],
      ],
      get: 'a',
      value: '1, 2',
    },
    { name: 'inner whitespace is kept', list: [['A', 'x  y']], get: 'a', value: 'x  y' },
    { name: 'an empty line gives an empty value', list: [['A', '']], get: 'a', value: '' },
    {
      name: 'an empty line still joins with ", "',
      list: [
        ['A', '*'],
        ['A', ''],
      ],
      get: 'a',
      value: '*, ',
    },
    {
      name: 'an empty first line still joins with ", "',
      list: [
        ['A', ''],
        ['A', '*'],
      ],
      get: 'a',
      value: ', *',
    },
    {
      name: 'a name differing only by the Kelvin sign does not match',
      list: [['\u212aeep-alive', 'x']],
      get: 'keep-alive',
      value: null,
    },
  ])('$name', ({ list, get, value }) => {
    expect(getHeader(list, get)).toBe(value);
  });
});

describe('countHeader', () => {
  it.each<{ name: string; list: HeaderList; count: number }>([
    { name: 'an absent header counts 0', list: [['Vary', 'Origin']], count: 0 },
    { name: 'one line counts 1', list: [['Access-Control-Allow-Origin', '*']], count: 1 },
    {
      name: 'each line counts, whatever the case of its name',
      list: [
        ['Access-Control-Allow-Origin', '*'],
        ['x', '1'],
        ['access-control-allow-origin', '*'],
        ['ACCESS-CONTROL-ALLOW-ORIGIN', ''],
      ],
      count: 3,
    },
    {
      name: 'one line holding a list counts 1',
      list: [['Access-Control-Allow-Origin', 'https://a.example, https://b.example']],
      count: 1,
    },
  ])('$name', ({ list, count }) => {
    expect(countHeader(list, 'access-control-allow-origin')).toBe(count);
  });
});
