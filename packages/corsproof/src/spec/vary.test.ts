import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeVary } from './vary.js';

const PREFLIGHT = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers';

describe('mergeVary', () => {
  it.each([
    ['no Vary yet', undefined, 'Origin', 'Origin'],
    ['an empty Vary', '', 'Origin', 'Origin'],
    ['a blank Vary', '  ', 'Origin', 'Origin'],
    ['another field', 'Accept-Encoding', 'Origin', 'Accept-Encoding, Origin'],
    ['the same field', 'Origin', 'Origin', 'Origin'],
    ['the same field in another case', 'origin', 'Origin', 'origin'],
    ['the field among others', 'Accept, ORIGIN, Cookie', 'Origin', 'Accept, ORIGIN, Cookie'],
    ['a star', '*', 'Origin', '*'],
    ['a star among others', 'Accept, *', 'Origin', '*'],
    ['the preflight fields', 'Accept-Encoding', PREFLIGHT, `Accept-Encoding, ${PREFLIGHT}`],
    [
      'part of the preflight fields',
      'Origin, Accept',
      PREFLIGHT,
      'Origin, Accept, Access-Control-Request-Method, Access-Control-Request-Headers',
    ],
    [
      'lines of several fields',
      ['Accept', 'Accept-Encoding'],
      'Origin',
      'Accept, Accept-Encoding, Origin',
    ],
    ['lines already holding the field', ['Accept', 'origin'], 'Origin', 'Accept, origin'],
    ['empty elements and odd spacing', 'Accept,, ,Cookie', 'Origin', 'Accept,, ,Cookie, Origin'],
    ['tabs around names', 'Accept\t,\tOrigin', 'Origin', 'Accept\t,\tOrigin'],
    ['a repeated name in the addition', 'Accept', 'Origin, origin', 'Accept, Origin'],
    ['an empty addition', 'Accept', '', 'Accept'],
  ] as const)('merges into %s', (_what, existing, add, expected) => {
    expect(mergeVary(existing, add)).toBe(expected);
  });

  const fieldName = fc.constantFrom(
    'Origin',
    'origin',
    'Accept',
    'Accept-Encoding',
    'Cookie',
    'Access-Control-Request-Method',
    'access-control-request-headers',
  );
  const vary = fc
    .array(fieldName, { maxLength: 5 })
    .chain((names) => fc.constantFrom(names.join(', '), names.join(','), names.join(' ,\t')));

  it('keeps every name it had and gains every added name, case-insensitively', () => {
    fc.assert(
      fc.property(vary, vary, (existing, add) => {
        const names = (v: string) =>
          new Set(
            v
              .split(',')
              .map((n) => n.trim().toLowerCase())
              .filter((n) => n !== ''),
          );
        const merged = names(mergeVary(existing, add));
        for (const n of names(existing)) expect(merged.has(n)).toBe(true);
        for (const n of names(add)) expect(merged.has(n)).toBe(true);
        // Nothing that was in neither.
        for (const n of merged) expect(names(existing).has(n) || names(add).has(n)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('is idempotent and never repeats a name it adds', () => {
    fc.assert(
      fc.property(vary, vary, (existing, add) => {
        const once = mergeVary(existing, add);
        expect(mergeVary(once, add)).toBe(once);
        if (existing.trim() !== '' && existing !== add)
          expect(once.startsWith(existing)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
