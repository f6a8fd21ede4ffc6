import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type RawHeaders, receivedLines, recentUtf8 } from './received-lines.js';

type Line = readonly [string, string];

/**
 * The parts undici's parser hands over for `lines`: views into one buffer holding the head as
 * sent (separators included), as when the head came in one read.
 */
function oneRead(lines: readonly Line[]): Buffer[] {
  const text = `HTTP/1.1 200 OK\r\n${lines.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
  const chunk = Buffer.from(text, 'latin1');
  const parts: Buffer[] = [];
  let at = text.indexOf('\r\n') + 2;
  for (const [name, value] of lines) {
    parts.push(chunk.subarray(at, at + name.length));
    at += name.length + 2;
    parts.push(chunk.subarray(at, at + value.length));
    at += value.length + 2;
  }
  return parts;
}

/** Each part a buffer of its own, as undici makes a part split between two reads. */
function copied(lines: readonly Line[]): Buffer[] {
  return lines.flatMap(([n, v]) => [Buffer.from(n, 'latin1'), Buffer.from(v, 'latin1')]);
}

const HEAD: readonly Line[] = [
  ['Access-Control-Allow-Origin', 'https://app.example.com'],
  ['Vary', 'Origin'],
  ['Date', 'Thu, 01 Jan 2026 00:00:00 GMT'],
];

describe('receivedLines', () => {
  it('gives the lines as received, in order, repeats kept', () => {
    const lines: Line[] = [...HEAD, ['vary', 'Accept'], ['X-Caf\u00e9', 'caf\u00e9']];
    expect(receivedLines(oneRead(lines))).toEqual(lines);
    expect(receivedLines(copied(lines))).toEqual(lines);
    expect(receivedLines(['a', 'b', 'c'])).toEqual([['a', 'b']]);
    expect(receivedLines([])).toEqual([]);
  });

  it('shares one frozen array between heads that are byte for byte the same', () => {
    const lines = [...HEAD, ['X-Shared', 'yes']] as const;
    receivedLines(oneRead(lines));
    const kept = receivedLines(oneRead(lines));
    expect(receivedLines(oneRead(lines))).toBe(kept);
    expect(Object.isFrozen(kept)).toBe(true);
    expect(Object.isFrozen(kept[0])).toBe(true);
    expect(kept).toEqual(lines);
  });

  it('decodes a head that differs from the one kept only in a value of the same length', () => {
    const at = (second: string): Line[] => [
      ...HEAD.slice(0, 2),
      ['Date', `Thu, 01 Jan 2026 00:00:${second} GMT`],
    ];
    for (let round = 0; round < 3; round++) receivedLines(oneRead(at('00')));
    for (const second of ['01', '02', '01', '00', '03']) {
      expect(receivedLines(oneRead(at(second)))).toEqual(at(second));
    }
  });

  it('decodes the parts of a head split between reads, never taking them for a head kept', () => {
    for (let round = 0; round < 3; round++) receivedLines(oneRead(HEAD));
    const other: Line[] = [
      ['Access-Control-Allow-Origin', 'https://evil.example.com'],
      ['Vary', 'Accept'],
      ['Date', 'Thu, 01 Jan 2026 00:00:09 GMT'],
    ];
    // The same lengths as HEAD's parts, each in a buffer of its own.
    expect(receivedLines(copied(other))).toEqual(other);
    const mixed: (Buffer | string)[] = copied(other);
    mixed[1] = 'https://evil.example.com';
    expect(receivedLines(mixed)).toEqual(other);
  });

  it('never takes a head whose parts are buffers of their own for a head kept', () => {
    // As a mock or an interceptor hands them over: each part allocated alone, so the first and
    // the last part can share Node's pool while a value between them lives elsewhere.
    const origin = (host: string): Line[] => [
      ['Access-Control-Allow-Origin', `https://${host}.example`],
      ['Vary', 'Origin'],
      ['Content-Length', '2'],
    ];
    const first = copied(origin('aaa'));
    for (let round = 0; round < 3; round++) expect(receivedLines(first)).toEqual(origin('aaa'));
    const other = [...first];
    other[1] = Buffer.from('https://bbb.example', 'latin1');
    expect(receivedLines(other)).toEqual(origin('bbb'));
  });

  it('always gives the exact lines, whatever heads came before', () => {
    const token = fc.stringMatching(/^[A-Za-z-]{1,12}$/);
    const value = fc.stringMatching(/^[ -~\u00a0-\u00ff]{0,40}$/).map((v) => v.trim());
    const head = fc.array(fc.tuple(token, value), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.constantFrom(...Array.from({ length: 4 }, (_, i) => i)), fc.boolean()),
          {
            minLength: 1,
            maxLength: 40,
          },
        ),
        fc.array(head, { minLength: 4, maxLength: 4 }),
        (sequence, heads) => {
          for (const [which, split] of sequence) {
            const lines = heads[which] as Line[];
            const raw: RawHeaders = split ? copied(lines) : oneRead(lines);
            expect(receivedLines(raw)).toEqual(lines);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('recentUtf8', () => {
  it('gives the UTF-8 text of a body, whether or not the table knows its bytes', () => {
    const texts = ['ok', 'caf\u00e9', '\u{1f600}', 'a'.repeat(80), '', 'ok'];
    for (let round = 0; round < 3; round++) {
      for (const text of texts) expect(recentUtf8(Buffer.from(text, 'utf8'))).toBe(text);
    }
    // Bytes that are latin1 text but not UTF-8: decoded as UTF-8, replacement characters and all.
    const latin1 = Buffer.from('caf\u00e9', 'latin1');
    for (let round = 0; round < 3; round++) expect(recentUtf8(latin1)).toBe('caf\ufffd');
  });
});
