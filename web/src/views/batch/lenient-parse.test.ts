import { describe, expect, it } from 'vitest';
import { parseCsvSkipping, parseListSkipping } from './lenient-parse';

const defaults = { origin: 'https://app.example.com', method: 'GET', credentials: 'omit' } as const;

describe('parseListSkipping', () => {
  it('skips a bad line, names it, and keeps the lines around it', () => {
    const parsed = parseListSkipping(
      'https://a.example\nftp://bad\n\n# note\nhttps://b.example https://o.example PUT',
      defaults,
    );
    expect(parsed.skipped).toEqual(['Line 2: "ftp://bad" is not an http(s) URL.']);
    expect(parsed.targets.map((t) => [t.line, t.url, t.origin, t.method])).toEqual([
      [1, 'https://a.example', defaults.origin, 'GET'],
      [5, 'https://b.example', 'https://o.example', 'PUT'],
    ]);
  });

  it('reads nothing from a list of comments', () => {
    expect(parseListSkipping('# only\n\n', defaults)).toEqual({ targets: [], skipped: [] });
  });
});

describe('parseCsvSkipping', () => {
  it('skips a bad row by its number and keeps quoted cells intact', () => {
    const parsed = parseCsvSkipping(
      'url,credentials\n"https://a.example/x?a=1,2",include\nhttps://b.example,yes\nnope,\n',
      defaults,
    );
    expect(parsed.skipped).toEqual([
      'Row 3: credentials must be "omit" or "include".',
      'Row 4: "nope" is not an absolute URL.',
    ]);
    expect(parsed.targets).toHaveLength(1);
    expect(parsed.targets[0]).toMatchObject({
      line: 2,
      url: 'https://a.example/x?a=1,2',
      credentials: 'include',
    });
  });

  it('refuses a file whose header names no url column', () => {
    expect(parseCsvSkipping('origin\nhttps://o.example', defaults)).toEqual({
      targets: [],
      skipped: ['The first row must name the columns, with at least "url" (found: origin).'],
    });
  });
});
