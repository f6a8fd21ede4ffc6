import { describe, expect, it } from 'vitest';
import { parseBatchInput } from './check-batch.js';

describe('JSON lines', () => {
  it('reads one object per line, skipping blanks and # comments, and names bad lines', () => {
    const lines = parseBatchInput(
      [
        '{"url": "https://a.example/", "origin": "https://p.example", "headers": {"X-A": "1"}}',
        '',
        '# a comment',
        '{"url": "https://b.example/", "credentials": true, "method": "PUT"}',
        'nope',
        '[1]',
        '{"origin": "https://p.example"}',
        '{"url": "https://c.example/", "colour": "red"}',
        '{"url": "https://c.example/", "headers": {"X-A": 1}}',
        '{"url": "https://c.example/", "credentials": "sometimes"}',
      ].join('\n'),
    );
    expect(lines[0]).toEqual({
      line: 1,
      ok: true,
      entry: { url: 'https://a.example/', origin: 'https://p.example', headers: { 'X-A': '1' } },
    });
    expect(lines[1]).toEqual({
      line: 4,
      ok: true,
      entry: { url: 'https://b.example/', method: 'PUT', credentials: 'include' },
    });
    const errors = lines.filter((l) => !l.ok).map((l) => (l.ok ? '' : l.message));
    expect(errors).toEqual([
      expect.stringMatching(/^line 5: not valid JSON/),
      'line 6: expected a JSON object like {"url": "...", "origin": "..."}',
      'line 7: "url" is missing',
      'line 8: unknown field(s) "colour"; expected url, origin, method, headers, credentials, body',
      'line 9: "headers" must be an object of strings or a list of [name, value] pairs',
      'line 10: "credentials" must be "include", "omit" or "same-origin", not "sometimes"',
    ]);
  });
});

describe('CSV', () => {
  it('reads a header row, quoted fields and both header notations', () => {
    const lines = parseBatchInput(
      [
        'url,origin,method,headers',
        'https://a.example/,https://p.example,GET,X-A: 1 | Content-Type: text/plain;charset=utf-8',
        '"https://b.example/?a,b",https://p.example,POST,"{""X-B"":""2""}"',
        '"https://c.example/",,,',
        'https://d.example/,https://p.example,GET,broken',
      ].join('\r\n'),
    );
    expect(lines).toEqual([
      {
        line: 2,
        ok: true,
        entry: {
          url: 'https://a.example/',
          origin: 'https://p.example',
          method: 'GET',
          headers: [
            ['X-A', '1'],
            ['Content-Type', 'text/plain;charset=utf-8'],
          ],
        },
      },
      {
        line: 3,
        ok: true,
        entry: {
          url: 'https://b.example/?a,b',
          origin: 'https://p.example',
          method: 'POST',
          headers: { 'X-B': '2' },
        },
      },
      { line: 4, ok: true, entry: { url: 'https://c.example/' } },
      { line: 5, ok: false, message: 'line 5: the header "broken" is not "Name: value"' },
    ]);
  });

  it('refuses a header row without url or with unknown columns', () => {
    expect(parseBatchInput('origin,method\nx,y')).toEqual([
      {
        line: 1,
        ok: false,
        message:
          'line 1: the CSV header has no "url" column; expected url,origin,method,headers,credentials,body',
      },
    ]);
    expect(parseBatchInput('url,verb\nx,y')[0]).toMatchObject({
      ok: false,
      message: expect.stringContaining('"verb"'),
    });
  });
});
