import { describe, expect, it } from 'vitest';
import { csvRows, parseCsv } from './csv.js';

const cases: readonly { name: string; text: string; rows: string[][] }[] = [
  {
    name: 'splits rows on LF and CRLF',
    text: 'a,b\r\nc,d\ne,f',
    rows: [
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
    ],
  },
  {
    name: 'keeps commas and line breaks inside quotes',
    text: '"a,1","b\nc"',
    rows: [['a,1', 'b\nc']],
  },
  { name: 'reads a doubled quote as one quote', text: '"say ""hi"""', rows: [['say "hi"']] },
  { name: 'drops a leading byte-order mark', text: '\uFEFFurl\nx', rows: [['url'], ['x']] },
  { name: 'skips blank lines', text: 'a\n\n  \nb\n', rows: [['a'], ['b']] },
  { name: 'keeps empty cells', text: 'a,,c', rows: [['a', '', 'c']] },
];

describe('parseCsv', () => {
  for (const c of cases) {
    it(c.name, () => expect(parseCsv(c.text)).toEqual(c.rows));
  }
});

describe('csvRows', () => {
  it('numbers each row by the line it starts on, counting line breaks inside quotes', () => {
    expect(csvRows('a,"b\nc"\n\nd\r\ne')).toEqual([
      { line: 1, cells: ['a', 'b\nc'] },
      { line: 3, cells: [''] },
      { line: 4, cells: ['d'] },
      { line: 5, cells: ['e'] },
    ]);
  });
});
