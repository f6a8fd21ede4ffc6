import { describe, expect, it } from 'vitest';
import { parseCsvTargets, parseHeaderCell, parseTargetList } from './target-list.js';

const defaults = { origin: 'https://app.example.com', method: 'GET', credentials: 'omit' } as const;

describe('parseTargetList', () => {
  it('reads url, origin and method, separated by spaces or commas, with defaults for the rest', () => {
    const parsed = parseTargetList(
      '# comment\nhttps://a.example/x\nhttps://b.example/y, https://o.example PUT\n',
      defaults,
    );
    expect(parsed).toEqual({
      ok: true,
      targets: [
        {
          line: 2,
          url: 'https://a.example/x',
          origin: defaults.origin,
          method: 'GET',
          headers: [],
          credentials: 'omit',
        },
        {
          line: 3,
          url: 'https://b.example/y',
          origin: 'https://o.example',
          method: 'PUT',
          headers: [],
          credentials: 'omit',
        },
      ],
    });
  });

  it('names every bad line at once', () => {
    expect(
      parseTargetList('ftp://x\nhttps://ok.example\nnot a url at all really', defaults),
    ).toEqual({
      ok: false,
      problems: [
        'Line 1: "ftp://x" is not an http(s) URL.',
        'Line 3: expected at most three columns: url origin method.',
      ],
    });
  });

  it('refuses an empty list', () => {
    expect(parseTargetList('\n# only a comment\n', defaults).ok).toBe(false);
  });
});

describe('parseHeaderCell', () => {
  it('reads "Name: value" pairs separated by semicolons', () => {
    expect(parseHeaderCell('Authorization: Bearer a:b; X-Trace: 1')).toEqual([
      ['Authorization', 'Bearer a:b'],
      ['X-Trace', '1'],
    ]);
  });

  it('reads a JSON object', () => {
    expect(parseHeaderCell('{"X-A":"1","X-B":2}')).toEqual([
      ['X-A', '1'],
      ['X-B', '2'],
    ]);
  });

  it('says what is wrong with a cell it cannot read', () => {
    expect(parseHeaderCell('no colon here')).toBe('"no colon here" is not "Name: value"');
    expect(parseHeaderCell('{oops')).toMatch(/not valid JSON/);
  });
});

describe('parseCsvTargets', () => {
  it('maps columns by the header row, in any order and case', () => {
    const parsed = parseCsvTargets(
      'Method,URL,headers,origin\nDELETE,https://a.example/x,"X-A: 1; X-B: 2",https://o.example\n',
      defaults,
    );
    expect(parsed).toEqual({
      ok: true,
      targets: [
        {
          line: 2,
          url: 'https://a.example/x',
          origin: 'https://o.example',
          method: 'DELETE',
          headers: [
            ['X-A', '1'],
            ['X-B', '2'],
          ],
          credentials: 'omit',
        },
      ],
    });
  });

  it('requires a url column', () => {
    expect(parseCsvTargets('origin\nhttps://o.example', defaults)).toEqual({
      ok: false,
      problems: ['The first row must name the columns, with at least "url" (found: origin).'],
    });
  });

  it('names the row of a bad credentials value', () => {
    expect(parseCsvTargets('url,credentials\nhttps://a.example,yes', defaults)).toEqual({
      ok: false,
      problems: ['Row 2: credentials must be "omit" or "include".'],
    });
  });
});
